import Hardware

/// The number format of a GEMM's inputs, which sets the tensor-core peak it runs at.
///
/// Mixed-precision training runs its GEMMs in 16 bits (Micikevicius et al. 2018); FP8 training
/// (Transformer Engine, torchao float8; Micikevicius et al. 2022) casts the inputs of the linear
/// layers to 8 bits and runs them at the FP8 peak; NVFP4 (Blackwell) at the FP4 peak. Pure fp32
/// training runs at the FP32 (non-tensor) peak: PyTorch leaves TF32 off for matmuls by default
/// (`torch.backends.cuda.matmul.allow_tf32 = False` since 1.12).
public enum MatmulFormat: String, Sendable, Hashable, Codable {
    case fp32
    case sixteenBit = "16-bit"
    case fp8
    case fp4

    /// Dense peak in TFLOP/s for this format on `accelerator` (0 when unsupported).
    public func peakTFLOPS(_ accelerator: Accelerator) -> Double {
        switch self {
        case .fp32: return accelerator.peakTFLOPS.fp32
        case .sixteenBit: return accelerator.peak16BitTFLOPS
        case .fp8: return accelerator.peakTFLOPS.fp8
        case .fp4: return accelerator.peakTFLOPS.fp4
        }
    }

    /// The fraction of that peak large GEMMs reach (topology `matmul_efficiency`, or
    /// `low_precision_matmul_efficiency` for 8- and 4-bit inputs where the file gives it).
    public func saturatedEfficiency(_ accelerator: Accelerator) -> Double {
        switch self {
        case .fp32, .sixteenBit: return accelerator.matmulEfficiency
        case .fp8, .fp4: return accelerator.lowPrecisionMatmulEfficiency ?? accelerator.matmulEfficiency
        }
    }

    /// Bytes per input element (the fp4 formats pack two elements a byte).
    public var inputBytes: Double {
        switch self {
        case .fp32: return 4
        case .sixteenBit: return 2
        case .fp8: return 1
        case .fp4: return 0.5
        }
    }

    /// Bytes per output element: 16-bit outputs for every reduced-precision GEMM.
    public var outputBytes: Double { self == .fp32 ? 4 : 2 }
}
