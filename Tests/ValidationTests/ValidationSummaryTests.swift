import CostModel
import Foundation
import Hardware
import Testing
import Validation

/// The summary `loom validate` prints, on a hand-made runs file whose errors are chosen: every
/// run has the same shape (so the same prediction P), and run i reports P / (1 + e_i), so its
/// error is e_i. The expected figures are worked out by hand below.
@Suite struct ValidationSummaryTests {
    /// Group A (8 runs) and group B (2 runs, plus one refused FP8 run).
    static let errorsA = [0.01, -0.02, 0.03, -0.04, 0.05, -0.06, 0.07, -0.20]
    static let errorsB = [0.10, -0.08]

    static func runJSON(id: String, source: String, reported: Double, precision: String = "bf16") -> String {
        """
        {"id": "\(id)", "source": "\(source)", "framework": "megatron-core", "precision": "\(precision)",
         "model": {"layers": 4, "hidden": 1024, "heads": 16, "vocab": 32000, "seq": 2048},
         "cluster": {"preset": "dgx-a100-80gb", "gpus": 8},
         "layout": {"tp": 2, "pp": 1, "dp": 4, "micro_batch": 2, "global_batch": 64},
         "reported": {"tokens_per_s": \(String(format: "%.17g", reported))}}
        """
    }

    static func report() throws -> ValidationReport {
        // P: the prediction for the shape every run shares.
        let probePath = try temporaryFile("[\(runJSON(id: "probe", source: "x", reported: 1))]")
        defer { try? FileManager.default.removeItem(atPath: probePath) }
        let probe = ValidationRunner.validate(runs: try RunsFileReader.loadRuns(path: probePath), cluster: TopologyCatalog.load)
        let p = try #require(probe.runs.first?.predictedTokensPerS)

        var runs: [String] = []
        for (i, e) in errorsA.enumerated() {
            runs.append(runJSON(id: "a\(i + 1)", source: "org/repo docs/a.md @abc123", reported: p / (1 + e)))
        }
        for (i, e) in errorsB.enumerated() {
            runs.append(runJSON(id: "b\(i + 1)", source: "Paper B 2024, Table 2; layouts from its code", reported: p / (1 + e)))
        }
        runs.append(runJSON(id: "b-fp8", source: "Paper B 2024, Table 2", reported: p, precision: "fp8"))
        let path = try temporaryFile("[\(runs.joined(separator: ",\n"))]")
        defer { try? FileManager.default.removeItem(atPath: path) }
        return ValidationRunner.validate(runs: try RunsFileReader.loadRuns(path: path), cluster: TopologyCatalog.load)
    }

    @Test func overallMeanP90AndMaxByHand() throws {
        let report = try Self.report()
        #expect(report.runs.count == 10)
        // |e| sorted: 0.01 0.02 0.03 0.04 0.05 0.06 0.07 0.08 0.10 0.20, sum 0.66.
        // mean = 0.66 / 10 = 0.066; p90 = rank ceil(0.9 x 10) = 9th = 0.10; max 0.20.
        // signed sum: 0.01 - 0.02 + 0.03 - 0.04 + 0.05 - 0.06 + 0.07 - 0.20 + 0.10 - 0.08 = -0.14.
        #expect(abs(report.meanAbsError - 0.066) < 1e-12)
        #expect(abs(report.p90AbsError - 0.10) < 1e-12)
        #expect(abs(report.maxAbsError - 0.20) < 1e-12)
        #expect(abs(report.meanError - -0.014) < 1e-12)
    }

    @Test func perGroupFiguresAndWorstRunsByHand() throws {
        let report = try Self.report()
        #expect(report.groups.map(\.source) == ["org/repo docs/a.md", "Paper B 2024, Table 2"])
        let a = report.groups[0]
        // A: |e| sum 0.01 + ... + 0.07 = 0.28, + 0.20 = 0.48 over 8: mean 0.06;
        // p90 = rank ceil(7.2) = 8th of 8 = 0.20. Worst: -0.20, +0.07, -0.06.
        #expect(a.tokensPerS.count == 8)
        #expect(abs(a.tokensPerS.meanAbsError - 0.06) < 1e-12)
        #expect(abs(a.tokensPerS.p90AbsError - 0.20) < 1e-12)
        #expect(a.worst.map(\.id) == ["a8", "a7", "a6"])
        #expect(a.refused == 0)
        let b = report.groups[1]
        // B: (0.10 + 0.08) / 2 = 0.09; p90 = rank ceil(1.8) = 2nd of 2 = 0.10; one refused.
        #expect(b.tokensPerS.count == 2)
        #expect(abs(b.tokensPerS.meanAbsError - 0.09) < 1e-12)
        #expect(abs(b.tokensPerS.p90AbsError - 0.10) < 1e-12)
        #expect(b.refused == 1)
    }

    @Test func aRefusedRunIsListedWithItsReasonNotSkipped() throws {
        let report = try Self.report()
        #expect(report.refused.map(\.id) == ["b-fp8"])
        // FP8 on an A100 (no FP8 tensor cores): the layout check's one line.
        #expect(report.refused.first?.reasons.count == 1)
        #expect(report.refused.first?.reasons.first?.hasPrefix("--precision fp8: A100") == true)
    }

    @Test func nearestRankPercentileOnSmallSets() {
        // n = 1: rank ceil(0.9) = 1. n = 0: all zero. n = 11: rank ceil(9.9) = 10th.
        #expect(ErrorSummary(errors: [-0.3]).p90AbsError == 0.3)
        #expect(ErrorSummary(errors: []).meanAbsError == 0)
        let eleven = ErrorSummary(errors: (1...11).map { Double($0) / 100 })
        #expect(abs(eleven.p90AbsError - 0.10) < 1e-15)
        #expect(abs(eleven.meanAbsError - 0.06) < 1e-15)
    }

    @Test func sourceGroupsDropCommitFilesAndRemarks() {
        #expect(SourceGroup.name(of: "pytorch/torchtitan docs/performance.md @041336434916") == "pytorch/torchtitan docs/performance.md")
        #expect(SourceGroup.name(of: "AI-Hypercomputer/maxtext MaxText/configs/v4/README.md + v4/22b.sh @76bd53b0")
                    == "AI-Hypercomputer/maxtext MaxText/configs/v4/README.md")
        #expect(SourceGroup.name(of: "Korthikanti et al. 2022, Table 5 (iteration times); layouts from the paper")
                    == "Korthikanti et al. 2022, Table 5 (iteration times)")
        #expect(SourceGroup.name(of: nil) == SourceGroup.unstated)
    }
}
