import Foundation
import Hardware
import Testing
import Validation
import Workloads

/// `published-runs-maxtext-v5e.json`: MaxText's TPU v5e table (README and v5e/*.sh at 76bd53b0,
/// the commit of the v5p rows in published-runs-2.json): 16B, 32B, 64B and 128B on 1 to 32
/// v5e-256 slices. Not an issue target.
@Suite struct MaxTextV5eRunsTests {
    static let report: ValidationReport = {
        let runs = (try? RunsFileReader.loadRuns(path: validationFile("published-runs-maxtext-v5e.json"))) ?? []
        return ValidationRunner.validate(runs: runs, cluster: TopologyCatalog.load)
    }()

    /// The shapes `global_parameter_scale` gives (pyconfig.get_individual_scales @76bd53b0 from
    /// base.yml's emb 2560, 8 heads of 256, MLP 8192, 16 layers, doubling heads and MLP, then the
    /// embedding, then the layers): scale 16 is 32 layers of 5,120 with 32 heads and MLP 32,768,
    /// 16,273,899,520 parameters (32,768 x 5,120 tied embedding + 32 x (4 x 5,120 x 32 x 256 + 2 x
    /// 5,120 x 32,768), norms aside).
    @Test func everyRowIsReadAndPredicted() throws {
        let path = validationFile("published-runs-maxtext-v5e.json")
        #expect(try RunsFileReader.unreadFields(path: path).isEmpty)
        let runs = try RunsFileReader.loadRuns(path: path)
        #expect(runs.count == 24)
        #expect(Self.report.refused.isEmpty && Self.report.runs.count == 24)
        let small = try #require(runs.first { $0.id == "maxtext-v5e-16b-1xv5e-256" })
        let model = try RunMapping.inputs(for: small, cluster: TopologyCatalog.load).get().model
        #expect(model.layers == 32 && model.hidden == 5120 && model.heads == 32 && model.ffn == 32768)
        let counted = 32_768 * 5120 + 32 * (4 * 5120 * 32 * 256 + 2 * 5120 * 32_768)
        #expect(counted == 16_273_899_520)
        #expect(abs(Double(model.parameterCount.total - counted)) / Double(counted) < 1e-4)
    }

    /// Today (`loom validate --runs Validation/published-runs-maxtext-v5e.json`): mean |error| 6.5%,
    /// max 15.0%; every row within 20%.
    @Test func rowsWithinTwentyPercent() {
        #expect(Self.report.meanAbsError <= 0.066)
        for run in Self.report.runs {
            #expect(abs(run.error) <= 0.20, "\(run.id): \(run.error)")
        }
    }

    /// What Loom does not model: the table's MFU falls as slices are added (16B: 61.10% on one
    /// slice, 54.65% on 32; 128B: 56.06% and 46.25%), where Loom's stays within a point (the
    /// cross-slice gradient all-reduce, 2 x 31/32 x 4 bytes x 129.2e9 / 256 = 3.9 GB a chip for
    /// 128B at 3.125 GB/s of DCN a chip, is hidden behind the backward as the scripts' XLA flags
    /// pipeline it, and even exposed it would cost the 16B model 0.18 s of its 10.3 s step).
    @Test func mfuFallsWithSlicesInTheTable() throws {
        func mfu(_ id: String) throws -> (reported: Double, predicted: Double) {
            let run = try #require(Self.report.runs.first { $0.id == id })
            return (try #require(run.reportedMfu), run.predictedMfu)
        }
        for scale in [16, 128] {
            let one = try mfu("maxtext-v5e-\(scale)b-1xv5e-256"), many = try mfu("maxtext-v5e-\(scale)b-32xv5e-256")
            #expect(many.reported / one.reported < 0.9)
            withKnownIssue { #expect(abs(many.predicted / one.predicted - many.reported / one.reported) <= 0.03) }
        }
    }
}
