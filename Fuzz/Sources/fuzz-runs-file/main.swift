import Foundation
import FuzzSupport
import Hardware
import Validation

/// A runs file for `loom validate`: the published-runs reader (each run on its own, with its
/// unread fields) and the fine-tuning reader must read it or refuse it with an error, never trap,
/// and every run read must map to inputs or be refused with reasons.
@_cdecl("fuzz_runs_file_main")
public func fuzz_runs_file_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.run(argc, argv, fuzzRunsFile)
}

/// The repository's preset of that name, as `TopologyCatalog.load` would find it.
func preset(_ name: String) throws -> ClusterTopology {
    guard let cluster = Fuzz.presets.first(where: { $0.name == name }) else { throw CocoaError(.fileNoSuchFile) }
    return cluster
}

func fuzzRunsFile(_ data: Data) {
    if let (runs, _) = try? RunsFileReader.loadRunsLossy(data: data, path: "runs.json") {
        _ = try? RunsFileReader.unreadFields(data: data)
        for run in runs { _ = RunMapping.inputs(for: run, cluster: preset) }
    }
    if let cases = try? RunsFileReader.loadFinetuneRuns(data: data, path: "cases.json") {
        for run in cases { _ = RunMapping.inputs(for: run, cluster: preset) }
    }
}
