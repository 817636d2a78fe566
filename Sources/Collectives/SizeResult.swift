/// The measurement of one message size.
public struct SizeResult: Codable, Equatable, Sendable {
    /// count x element size (nccl-tests' "size").
    public var bytes: Int
    /// Elements in the operation's full buffer (nccl-tests' "count").
    public var count: Int
    /// Element type name: "float", "double", "int32" ("none" for barrier).
    public var dtype: String
    /// Time of one operation in microseconds: each rank's mean over the timed loop, then the
    /// minimum, mean and maximum of those over ranks.
    public var timeMicroseconds: TimeSummary
    /// Algorithm bandwidth in GB/s, from the mean time.
    public var algorithmBandwidth: Double
    /// Bus bandwidth in GB/s: algorithm bandwidth x the collective's factor.
    public var busBandwidth: Double
    /// Receive-buffer elements, summed over ranks, that did not hold the expected value.
    public var wrong: Int
    /// Timed iterations.
    public var iterations: Int
    /// Untimed warm-up iterations before them.
    public var warmup: Int

    enum CodingKeys: String, CodingKey {
        case bytes, count, dtype, wrong, iterations, warmup
        case timeMicroseconds = "time_us"
        case algorithmBandwidth = "algbw_gbps"
        case busBandwidth = "busbw_gbps"
    }
}

/// Minimum, mean and maximum over ranks.
public struct TimeSummary: Codable, Equatable, Sendable {
    public var min: Double
    public var avg: Double
    public var max: Double
}

extension TimeSummary {
    /// The summary of `values` (zeros when empty).
    public init(of values: [Double]) {
        guard let first = values.first else {
            self.init(min: 0, avg: 0, max: 0)
            return
        }
        let total = values.reduce(0, +)
        self.init(min: values.reduce(first, Swift.min), avg: total / Double(values.count),
                  max: values.reduce(first, Swift.max))
    }
}
