/// The numeric format a job trains in, and the bytes per element the framework keeps for each
/// tensor class under it. Only storage is described here; how fast a GEMM runs in the format
/// is the accelerator's (topology `peak_tflops`).
///
/// Mixed precision (Micikevicius et al. 2018, section 3; Megatron-LM and DeepSpeed): 16-bit
/// weights, activations and gradients with an fp32 master copy of the weights kept by the
/// optimizer. The 8-bit and 4-bit formats (Transformer Engine FP8 delayed scaling, Micikevicius
/// et al. 2022; MXFP8, OCP Microscaling spec v1.0; NVFP4, NVIDIA 2025) quantise GEMM inputs on
/// the fly: the framework still keeps bf16 weights (Megatron `--fp8-format` without
/// `--fp8-param-gather`), bf16 saved activations and gradients (except the linear layers'
/// inputs, which Transformer Engine keeps quantised: `FrameworkProfile.savesQuantisedLinearInputs`),
/// and the fp32 master copy.
public enum Precision: String, Sendable, Hashable, Codable, CaseIterable {
    case fp32
    case bf16
    case fp16
    case fp8
    case mxfp8
    case nvfp4

    /// Bytes per element of the weights the forward and backward read (the model copy).
    public var weightBytes: Double {
        highPrecisionBytes
    }

    /// Bytes per element of the activations saved for the backward and sent between ranks
    /// (Korthikanti et al. 2022, section 4: 2 bytes in 16-bit training).
    public var activationBytes: Double {
        highPrecisionBytes
    }

    /// Bytes per element of the weight gradient the backward GEMMs produce. The buffer the
    /// framework accumulates and reduces them in may be wider (`FrameworkProfile.gradientBytes`).
    public var gradientBytes: Double {
        highPrecisionBytes
    }

    /// The width every kept tensor has today: 4 bytes in fp32, else bf16's 2 (the 8- and 4-bit
    /// formats are GEMM-input formats; nothing the framework keeps between passes uses them).
    private var highPrecisionBytes: Double { self == .fp32 ? 4 : 2 }

    /// The format the linear layers' GEMMs run in (attention, embeddings, the output layer and the
    /// MoE router stay in 16 bits under FP8/FP4 recipes: Transformer Engine and torchao float8
    /// quantise `Linear` modules only; NeMo's FP8 recipes keep the first and last layers in bf16).
    public var linearMatmulFormat: MatmulFormat {
        switch self {
        case .fp32: return .fp32
        case .bf16, .fp16: return .sixteenBit
        case .fp8, .mxfp8: return .fp8
        case .nvfp4: return .fp4
        }
    }

    /// HBM bytes per element to quantise a 16-bit GEMM input to `linearMatmulFormat`: read the
    /// 16-bit tensor (2) and write the two low-precision copies the forward and the weight-gradient
    /// GEMM read (row- and column-wise, since Hopper's FP8 GEMMs take only "TN" layouts: Transformer
    /// Engine's cast-transpose kernel), each with its scale factors:
    /// - fp8, per-tensor scaling: 2 + 2 x 1 = 4;
    /// - mxfp8, one E8M0 scale per 32 elements (OCP Microscaling spec v1.0): 2 + 2 x (1 + 1/32);
    /// - nvfp4, one E4M3 scale per 16 elements of 4-bit values (NVIDIA NVFP4): 2 + 2 x (0.5 + 1/16).
    /// 0 for the 16- and 32-bit formats, whose GEMMs read the tensors as they are.
    public var quantisationBytesPerElement: Double {
        switch self {
        case .fp32, .bf16, .fp16: return 0
        case .fp8: return 2 + 2 * 1
        case .mxfp8: return 2 + 2 * (1 + 1.0 / 32)
        case .nvfp4: return 2 + 2 * (0.5 + 1.0 / 16)
        }
    }

    /// Bytes per element of a tensor held in the linear GEMMs' input format, scale factors
    /// included: fp8 1, mxfp8 1 + 1/32 (an E8M0 scale per 32), nvfp4 0.5 + 1/16 (an E4M3 scale
    /// per 16); the 16- and 32-bit formats keep their own width.
    public var linearInputBytes: Double {
        switch self {
        case .fp32, .bf16, .fp16: return highPrecisionBytes
        case .fp8: return 1
        case .mxfp8: return 1 + 1.0 / 32
        case .nvfp4: return 0.5 + 1.0 / 16
        }
    }

    /// Bytes per parameter of the fp32 master weights the optimizer keeps beside the model copy
    /// (Rajbhandari et al. 2020, section 3.1: part of K = 12 for Adam); none in pure fp32.
    public var masterWeightBytes: Double {
        switch self {
        case .fp32: return 0
        case .bf16, .fp16, .fp8, .mxfp8, .nvfp4: return 4
        }
    }
}
