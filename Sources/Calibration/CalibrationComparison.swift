import CostModel
import Hardware

/// `loom compare-collectives`: measured collective times against what the cost model predicts
/// for the same collective, size and rank placement on a topology (`CollectiveCost.seconds`,
/// with the topology's calibration entries when it has them).
public struct CollectiveComparison: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        /// The operation's name in the benchmark file.
        public var collective: String
        public var bytes: Int
        public var ranks: Int
        public var measuredUs: Double
        public var predictedUs: Double
        /// (predicted - measured) / measured.
        public var error: Double
    }

    public var rows: [Row]
    /// Median of |error| over the rows.
    public var medianAbsError: Double

    /// Compares every size of every run with the prediction on `cluster`. A run on one host is
    /// predicted on the scale-up tier; a run across hosts as a group of `ranks_per_host` ranks on
    /// each host, over the scale-out tier (`RankPlacement.Group`).
    public static func compare(runs: [BenchmarkRun], cluster: ClusterTopology,
                               statistic: TimeStatistic = .avg) throws -> CollectiveComparison {
        guard !runs.isEmpty else { throw CalibrationError("no benchmark files given") }
        var rows: [Row] = []
        for run in runs {
            for sample in run.samples.sorted(by: { $0.bytes < $1.bytes }) {
                let measured = sample.microseconds(statistic)
                let predicted = 1e6 * CollectiveCost.seconds(run.kind, bytes: Double(sample.bytes), group: run.group,
                                                             cluster: cluster)
                rows.append(Row(collective: run.collective, bytes: sample.bytes, ranks: run.ranks, measuredUs: measured,
                                predictedUs: predicted, error: (predicted - measured) / measured))
            }
        }
        return CollectiveComparison(rows: rows, medianAbsError: median(rows.map { abs($0.error) }))
    }
}
