import CostModel
import Workloads

/// One published training run, as in `Validation/published-runs.json`: the model shape, the
/// cluster, the layout and what the authors reported.
public struct PublishedRun: Sendable, Hashable, Codable {
    public struct Model: Sendable, Hashable, Codable {
        public var layers: Int
        public var hidden: Int
        public var heads: Int
        public var kvHeads: Int?
        public var ffn: Int?
        public var vocab: Int
        public var seq: Int
        public var mlp: String?
        public var tiedEmbeddings: Bool?
        /// A preset name instead of the shape fields (optional extension of the format).
        public var preset: String?
    }

    public struct Cluster: Sendable, Hashable, Codable {
        public var preset: String
        public var gpus: Int
    }

    public struct Layout: Sendable, Hashable, Codable {
        public var tp: Int
        public var pp: Int
        public var dp: Int
        public var cp: Int?
        public var ep: Int?
        public var vpp: Int?
        public var zero: Int?
        public var recompute: String?
        public var sequenceParallel: Bool?
        public var flashAttention: Bool?
        public var microBatch: Int
        public var globalBatch: Int
    }

    public struct Reported: Sendable, Hashable, Codable {
        public var tflopsPerGpu: Double?
        public var mfu: Double?
        public var hfu: Double?
        public var iterationS: Double?
        public var tokensPerS: Double?
    }

    public var id: String
    public var source: String?
    public var framework: String?
    public var model: Model
    public var cluster: Cluster
    public var layout: Layout
    public var reported: Reported
    public var notes: String?
}
