/// A cluster: one kind of accelerator, nodes of `acceleratorsPerNode` joined by a scale-up tier
/// (NVLink/NVSwitch, xGMI, ICI), and a scale-out fabric between nodes (InfiniBand, RoCE).
/// Loaded from the YAML files in `Topologies/` (schema: `Topologies/README.md`).
///
/// Units: bandwidths in GB/s (1e9 bytes/s) per accelerator per direction, latencies in
/// microseconds, memory in GiB (2^30 bytes) as datasheets state HBM capacity.
public struct ClusterTopology: Sendable, Hashable, Codable {
    public var name: String
    public var description: String
    public var accelerator: Accelerator
    public var node: NodeSpec
    public var scaleOut: NetworkTier
    /// Largest number of nodes this cluster description holds; nil = unbounded.
    public var maxNodes: Int?
    /// Collective parameters fitted from `loom-bench` measurements by `loom calibrate`; empty for
    /// datasheet topologies.
    public var calibration: [CollectiveCalibration]
    /// Where the numbers came from (datasheet, calibration run, ...), free text.
    public var provenance: String?
    /// How the accelerators are wired (`Interconnect.swift`); `switched` unless the file says
    /// otherwise (`interconnect: pcie`, or a `torus` block).
    public var interconnect: InterconnectKind
    /// The torus of a `torus` interconnect; nil otherwise.
    public var torus: TorusSpec?
    /// Write bandwidth from one host to checkpoint storage (parallel file system, object store),
    /// GB/s; nil = CostModel's default (`CostModelConstants.checkpointWriteGBpsPerHost`).
    public var checkpointBandwidthGBps: Double?
    /// Interruptions per accelerator-hour this cluster sees, all causes; nil = the Llama 3 rate
    /// (Goodput's `FailureRate.llama3`).
    public var failureRatePerAcceleratorHour: Double?

    public init(name: String, description: String, accelerator: Accelerator, node: NodeSpec,
                scaleOut: NetworkTier, maxNodes: Int? = nil, calibration: [CollectiveCalibration] = [],
                provenance: String? = nil, interconnect: InterconnectKind? = nil, torus: TorusSpec? = nil,
                checkpointBandwidthGBps: Double? = nil, failureRatePerAcceleratorHour: Double? = nil) {
        self.name = name
        self.description = description
        self.accelerator = accelerator
        self.node = node
        self.scaleOut = scaleOut
        self.maxNodes = maxNodes
        self.calibration = calibration
        self.provenance = provenance
        self.interconnect = interconnect ?? (torus == nil ? .switched : .torus)
        self.torus = torus
        self.checkpointBandwidthGBps = checkpointBandwidthGBps
        self.failureRatePerAcceleratorHour = failureRatePerAcceleratorHour
    }

    /// Accelerators that share the scale-up tier: what the cost model and the planner treat as
    /// one "node" when they place groups. The host on DGX and PCIe machines; the NVLink domain
    /// on NVL72 (72 GPUs of 18 four-GPU hosts); on a torus the job's slice (`restricted(to:)`),
    /// else the largest slice (all its chips are on ICI).
    public var acceleratorsPerNode: Int {
        switch interconnect {
        case .torus: return max(torus?.jobSliceChips ?? node.accelerators, 1)
        case .switched, .pcie: return node.scaleUpDomainSize
        }
    }

    /// Accelerators in one host (one operating system, one PCIe tree, its own NICs).
    public var acceleratorsPerHost: Int { node.accelerators }

    /// Data-centre / scale-out bandwidth of one host, GB/s per direction: the per-accelerator
    /// `scale_out.bandwidth_gbps` times accelerators per host (TPU v5p: 4 x 6.25 = 25 GB/s).
    public var scaleOutBandwidthPerHostGBps: Double { scaleOut.bandwidthGBps * Double(node.accelerators) }
}

/// One accelerator model (datasheet figures plus measured achievable fractions).
public struct Accelerator: Sendable, Hashable, Codable {
    public var name: String
    /// Dense peak TFLOP/s (no structured sparsity) per number format.
    public var peakTFLOPS: PeakThroughput
    /// HBM capacity in GiB.
    public var memoryGiB: Double
    /// HBM bandwidth in GB/s.
    public var memoryBandwidthGBps: Double
    /// Largest fraction of the bf16 peak that large GEMMs reach (measured, e.g. ~0.87 on A100);
    /// above 1 for a board that clocks above the rated boost its datasheet peak assumes
    /// (`TopologyRanges.matmulEfficiency`).
    public var matmulEfficiency: Double
    /// GEMM dimension at which a matmul reaches half its saturated efficiency along that
    /// dimension: the small-GEMM penalty (see CostModel's GEMM efficiency curve).
    public var matmulHalfEfficiencyDim: Double
    /// Fraction of the HBM bandwidth that streaming (memory-bound) kernels reach.
    public var memoryBandwidthEfficiency: Double
    /// Memory the runtime keeps before the framework allocates (CUDA context, NCCL, workspace), GiB.
    public var reservedMemoryGiB: Double
    /// Fraction of the bf16 peak that a fused (flash) attention kernel reaches over forward and
    /// backward together (FlashAttention-2 on A100, cuDNN/FlashAttention-3 on Hopper).
    public var attentionEfficiency: Double
    /// The same for FlashAttention-2 (what PyTorch's SDPA and the flash-attn package run), where
    /// it differs from the best kernel: on Hopper FA2 reaches only ~35% of peak (Shah et al. 2024,
    /// FlashAttention-3, section 1). nil = the same as `attentionEfficiency`.
    public var flashAttention2Efficiency: Double?
    /// Fraction of the 8-bit (and 4-bit) tensor peak that large low-precision GEMMs reach: FP8
    /// GEMMs move half the operand bytes per FLOP of bf16 ones but keep the same epilogue, so
    /// they reach a smaller fraction of their (doubled) peak. nil = `matmulEfficiency`.
    public var lowPrecisionMatmulEfficiency: Double?
    /// Fraction of the bf16 peak that the fused attention kernel reaches on a narrow sliding-window
    /// band (`CostModelConstants.bandedAttentionMeasuredWindow` keys per query, GPT-OSS's 128),
    /// forward and backward together, counted as the band's unmasked queries x keys: with so few
    /// keys per query tile the per-tile work the band does not shrink (loading Q, writing O and
    /// its softmax statistics, pipeline fill) dominates, far below `attentionEfficiency`. A band
    /// costs at least this per query (`SlidingWindowAttention`). nil = not measured: a band runs
    /// at `attentionEfficiency`.
    public var bandedAttentionEfficiency: Double?
    /// The measured curve of the fused attention kernel's rate against the key length that
    /// scales `attentionEfficiency` at shorter key loops. nil = Hopper's (`AttentionKeyCurve`).
    public var attentionKeyCurve: AttentionKeyCurve?

    /// Dense tensor peak for 16-bit training, TFLOP/s: bf16 where the part has it, fp16 on parts
    /// without bf16 (V100, T4). The MFU denominator and the GEMM rate of the cost model.
    public var peak16BitTFLOPS: Double { peakTFLOPS.sixteenBit }

    public init(name: String, peakTFLOPS: PeakThroughput, memoryGiB: Double, memoryBandwidthGBps: Double,
                matmulEfficiency: Double, matmulHalfEfficiencyDim: Double, memoryBandwidthEfficiency: Double,
                reservedMemoryGiB: Double, attentionEfficiency: Double, flashAttention2Efficiency: Double? = nil,
                lowPrecisionMatmulEfficiency: Double? = nil, bandedAttentionEfficiency: Double? = nil,
                attentionKeyCurve: AttentionKeyCurve? = nil) {
        self.name = name
        self.peakTFLOPS = peakTFLOPS
        self.memoryGiB = memoryGiB
        self.memoryBandwidthGBps = memoryBandwidthGBps
        self.matmulEfficiency = matmulEfficiency
        self.matmulHalfEfficiencyDim = matmulHalfEfficiencyDim
        self.memoryBandwidthEfficiency = memoryBandwidthEfficiency
        self.reservedMemoryGiB = reservedMemoryGiB
        self.attentionEfficiency = attentionEfficiency
        self.flashAttention2Efficiency = flashAttention2Efficiency
        self.lowPrecisionMatmulEfficiency = lowPrecisionMatmulEfficiency
        self.bandedAttentionEfficiency = bandedAttentionEfficiency
        self.attentionKeyCurve = attentionKeyCurve
    }
}

/// Dense peak throughput in TFLOP/s per number format; 0 where the format is unsupported.
/// Tensor-core figures with FP32 accumulation (GeForce parts run FP16/BF16 with FP32
/// accumulation at half their FP16-accumulate rate; the files give the FP32-accumulate one).
public struct PeakThroughput: Sendable, Hashable, Codable {
    public var fp32: Double
    public var tf32: Double
    /// bf16 tensor-core peak; 0 on parts without bf16 (V100, T4).
    public var bf16: Double
    /// fp16 tensor-core peak; equal to bf16 where the file does not set it.
    public var fp16: Double
    public var fp8: Double
    /// fp4 tensor-core peak (Blackwell NVFP4/MXFP4); 0 = unsupported.
    public var fp4: Double

    public init(fp32: Double, tf32: Double, bf16: Double, fp8: Double, fp16: Double? = nil, fp4: Double = 0) {
        self.fp32 = fp32
        self.tf32 = tf32
        self.bf16 = bf16
        self.fp16 = fp16 ?? bf16
        self.fp8 = fp8
        self.fp4 = fp4
    }

    /// The 16-bit tensor peak: bf16, or fp16 where the part has no bf16 (bf16 = 0).
    public var sixteenBit: Double { bf16 > 0 ? bf16 : fp16 }
}

/// A node (host): accelerators, the scale-up link that joins them, and the host's own memory
/// and PCIe links (what CPU offload uses).
public struct NodeSpec: Sendable, Hashable, Codable {
    /// Accelerators in one host.
    public var accelerators: Int
    public var scaleUp: NetworkTier
    /// Accelerators in one scale-up (NVLink) domain when it spans several hosts (GB200/GB300
    /// NVL72: 72 GPUs of 4-GPU hosts); nil = the host is the domain.
    public var scaleUpDomain: Int?
    /// Host (CPU) memory of one host, GiB; nil = not stated.
    public var hostMemoryGiB: Double?
    /// Accelerator-to-host link (PCIe, or NVLink-C2C on Grace parts), GB/s per accelerator per
    /// direction; nil = not stated.
    public var hostLinkGBps: Double?

    public init(accelerators: Int, scaleUp: NetworkTier, scaleUpDomain: Int? = nil, hostMemoryGiB: Double? = nil,
                hostLinkGBps: Double? = nil) {
        self.accelerators = accelerators
        self.scaleUp = scaleUp
        self.scaleUpDomain = scaleUpDomain
        self.hostMemoryGiB = hostMemoryGiB
        self.hostLinkGBps = hostLinkGBps
    }

    /// Accelerators in one scale-up domain: `scaleUpDomain`, or the host.
    public var scaleUpDomainSize: Int { max(scaleUpDomain ?? accelerators, 1) }
}

/// One tier of the network as one accelerator sees it.
public struct NetworkTier: Sendable, Hashable, Codable {
    public var name: String
    /// Unidirectional bandwidth per accelerator, GB/s (NVLink3: 300; 8x HDR IB per 8 GPUs: 25).
    public var bandwidthGBps: Double
    /// One-way small-message latency of one hop of a collective, microseconds.
    public var latencyUs: Double
    /// Fraction of `bandwidthGBps` that a large collective's bus bandwidth reaches
    /// (nccl-tests busbw over link bandwidth).
    public var busEfficiency: Double
    /// Fabric shape, free text (`nvswitch`, `rail-optimized-fat-tree`, `torus-3d`, ...).
    public var topology: String
    /// Oversubscription ratio of the fabric (1 = full bisection).
    public var oversubscription: Double

    public init(name: String, bandwidthGBps: Double, latencyUs: Double, busEfficiency: Double,
                topology: String, oversubscription: Double = 1) {
        self.name = name
        self.bandwidthGBps = bandwidthGBps
        self.latencyUs = latencyUs
        self.busEfficiency = busEfficiency
        self.topology = topology
        self.oversubscription = oversubscription
    }

    /// Achievable bus bandwidth in bytes per second.
    public var effectiveBytesPerSecond: Double {
        bandwidthGBps * 1e9 * busEfficiency / max(oversubscription, 1)
    }
}

/// Alpha-beta parameters of one collective on one tier, fitted by `loom calibrate`:
/// time(bytes) = alpha + beta * bytes under the algorithm formula named by `collective`.
public struct CollectiveCalibration: Sendable, Hashable, Codable {
    public var collective: String
    /// `scale_up` or `scale_out`.
    public var tier: String
    public var ranks: Int
    /// Per-step latency, microseconds.
    public var alphaUs: Double
    /// Inverse bandwidth per step, microseconds per byte.
    public var betaUsPerByte: Double
    /// Message sizes (bytes) this entry was fitted over; nil = every size. Several entries of one
    /// collective and tier cover successive size ranges where the bandwidth changes with size
    /// (cache-resident vs DRAM buffers on shared memory, NCCL's LL/LL128/Simple protocols).
    public var minBytes: Double?
    public var maxBytes: Double?

    public init(collective: String, tier: String, ranks: Int, alphaUs: Double, betaUsPerByte: Double,
                minBytes: Double? = nil, maxBytes: Double? = nil) {
        self.collective = collective
        self.tier = tier
        self.ranks = ranks
        self.alphaUs = alphaUs
        self.betaUsPerByte = betaUsPerByte
        self.minBytes = minBytes
        self.maxBytes = maxBytes
    }
}
