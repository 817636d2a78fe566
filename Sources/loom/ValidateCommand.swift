import ArgumentParser
import Foundation
import Hardware
import Validation

/// `loom validate`: reported vs predicted throughput, step time and peak memory of published
/// training runs, per source group.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Compare Loom's predictions with published training runs.",
        discussion: """
            The default runs files are Validation/published-runs.json (22 A100 runs: Megatron-LM 2021
            Table 1, GPT-3 175B on 1024 GPUs, Korthikanti et al. 2022 Table 5, MT-NLG 530B) and
            Validation/published-runs-2.json (218 runs: NeMo 24.07, torchtitan, llm-foundry, TinyLlama,
            MaxText). Runs Loom cannot evaluate yet (a framework, precision or cluster preset it lacks)
            are listed as refused with the reason.
            Examples:
              loom validate
              loom validate --runs Validation/published-runs-2.json --flash-attention
              loom validate --runs my-runs.json --format json
            """)

    static let defaultRunsFiles = ["Validation/published-runs.json", "Validation/published-runs-2.json"]

    @Option(help: "Runs file in the format of Validation/published-runs.json (repeatable; default: both published-runs files).")
    var runs: [String] = []
    @Flag(name: .customLong("flash-attention"), help: "Fused flash attention for the runs that do not state flash_attention (not for megatron-lm and megatron-deepspeed, whose 2021-22 code had none).")
    var flashAttention = false
    @Flag(name: .customLong("all-runs"), help: "Also print every predicted run (table format).")
    var allRuns = false
    @OptionGroup var output: FormatOption

    func run() throws {
        let paths = runs.isEmpty ? Self.defaultRunsFiles.map(Self.repositoryPath) : runs
        if !paths.isEmpty, let finetune = try finetuneRuns(paths) {
            let report = FinetuneValidation.validate(runs: finetune) { try TopologyCatalog.load($0) }
            switch output.format {
            case .json: try JSONOutput.print(report)
            case .table: print(FinetuneValidationTable.render(report))
            }
            return
        }
        var published: [PublishedRun] = []
        var unreadable: [RunsFileReader.UnreadableRun] = []
        for path in paths {
            do {
                let loaded = try RunsFileReader.loadRunsLossy(path: path)
                published += loaded.runs
                unreadable += loaded.unreadable
                for field in try RunsFileReader.unreadFields(path: path) {
                    FileHandle.standardError.write(Data("warning: \(path): \(field) is not a field Loom reads\n".utf8))
                }
            } catch {
                throw ValidationError("\(error)")
            }
        }
        let defaults = RunDefaults(flashAttention: flashAttention ? true : nil)
        let report = ValidationRunner.validate(runs: published, unreadable: unreadable, defaults: defaults) {
            try TopologyCatalog.load($0)
        }
        switch output.format {
        case .json: try JSONOutput.print(report)
        case .table: print(ValidationTables(report: report, allRuns: allRuns).render())
        }
    }

    /// The fine-tuning cases when every runs file is in the format of
    /// Validation/finetune-runs.json (an object with `cases`), else nil.
    func finetuneRuns(_ paths: [String]) throws -> [FinetuneRun]? {
        var cases: [FinetuneRun] = []
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["cases"] != nil
            else { return nil }
            do { cases += try RunsFileReader.loadFinetuneRuns(path: path) } catch { throw ValidationError("\(error)") }
        }
        return cases
    }

    /// `relative` in the working directory, else beside the repository that holds the running
    /// binary.
    static func repositoryPath(_ relative: String) -> String {
        if FileManager.default.fileExists(atPath: relative) { return relative }
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent(relative)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            dir = dir.deletingLastPathComponent()
        }
        return relative
    }
}
