/// Per-GPU memory in bytes, split as `loom estimate` reports it (ARCHITECTURE.md: `memory`).
public struct MemoryBreakdown: Sendable, Hashable, Codable {
    public var weights: Double
    public var gradients: Double
    public var optimizer: Double
    public var activations: Double
    /// Runtime context, communication buffers and allocator fragmentation.
    public var other: Double
    /// Host (CPU) memory of this GPU's offloaded or paged states, bytes; not part of `total`
    /// (reported as the estimate's `host_memory`).
    public var host: Double = 0
    /// Bytes of `activations` the caching allocator holds reserved at the peak but no tensor
    /// occupies at the allocated peak (`CachingAllocatorPeaks`); not encoded.
    public var reservedOnly: Double = 0
    /// Bytes of `host` that are a paged optimizer's states in unified memory
    /// (`OffloadTime.pagedStateMigrationSeconds`); not encoded.
    public var pagedStates: Double = 0

    public init(weights: Double = 0, gradients: Double = 0, optimizer: Double = 0, activations: Double = 0,
                other: Double = 0) {
        self.weights = weights
        self.gradients = gradients
        self.optimizer = optimizer
        self.activations = activations
        self.other = other
    }

    public var modelStates: Double { weights + gradients + optimizer }
    /// The reserved peak (`CachingAllocatorPeaks`) with the runtime's share: what decides fit.
    public var total: Double { weights + gradients + optimizer + activations + other }
    /// PyTorch's allocated peak (`torch.cuda.max_memory_allocated`): the tensors alive together,
    /// without the runtime's share (`other`) and the reserve no tensor occupies.
    public var allocated: Double { weights + gradients + optimizer + activations - reservedOnly }

    enum CodingKeys: String, CodingKey { case total, weights, gradients, optimizer, activations, other }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(total, forKey: .total)
        try container.encode(weights, forKey: .weights)
        try container.encode(gradients, forKey: .gradients)
        try container.encode(optimizer, forKey: .optimizer)
        try container.encode(activations, forKey: .activations)
        try container.encode(other, forKey: .other)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        weights = try container.decode(Double.self, forKey: .weights)
        gradients = try container.decode(Double.self, forKey: .gradients)
        optimizer = try container.decode(Double.self, forKey: .optimizer)
        activations = try container.decode(Double.self, forKey: .activations)
        other = try container.decode(Double.self, forKey: .other)
    }
}
