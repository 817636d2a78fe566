import Calibration
import CostModel
import Foundation
import FuzzSupport
import Hardware

/// A loom-bench result file: read and check; a run that reads must either be refused by the
/// calibration with an error or give a finite fit and a finite comparison.
@_cdecl("fuzz_bench_result_main")
public func fuzz_bench_result_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.run(argc, argv, fuzzBenchResult)
}

func fuzzBenchResult(_ data: Data) {
    guard let run = try? BenchmarkRun.parse(data, file: "bench.json") else { return }
    for sample in run.samples {
        Fuzz.requireFinite(sample.avgUs, "time")
    }
    let base = Fuzz.presets[0]
    if let result = try? Calibration.calibrate(runs: [run], base: base, name: "fuzz") {
        for entry in result.entries {
            Fuzz.requireFinite(entry.alphaUs, "alpha")
            Fuzz.requireFinite(entry.betaUsPerByte, "beta")
        }
        if let comparison = try? CollectiveComparison.compare(runs: [run], cluster: result.topology) {
            Fuzz.requireFinite(comparison, "comparison")
        }
    }
}
