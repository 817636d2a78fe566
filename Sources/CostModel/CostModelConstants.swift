import Hardware
import Workloads

/// The one home of the cost model's constants that are not physics and not a property of one
/// accelerator or fabric (those live in the topology files). Each says where its value comes from.
public enum CostModelConstants {
    // MARK: Memory

    /// Adam's two fp32 moments per parameter: 8 bytes (with the 4-byte fp32 master weight of
    /// mixed precision, `Precision.masterWeightBytes`, the K = 12 of Rajbhandari et al. 2020,
    /// section 3.1).
    public static let adamMomentBytesPerParameter: Double = 8
    /// SGD with momentum: one fp32 momentum.
    public static let sgdMomentumBytesPerParameter: Double = 4
    /// 8-bit Adam (Dettmers et al. 2022): two 1-byte moments (+ small block quantisation
    /// statistics, ignored).
    public static let adam8bitMomentBytesPerParameter: Double = 2
    /// Dropout masks are one byte per element (Korthikanti et al. 2022, section 4.1).
    public static let dropoutMaskBytes: Double = 1
    /// PyTorch caching-allocator fragmentation and temporary buffers, as a fraction of the
    /// activation memory. Megatron-LM users observe the peak reserved memory 5-10% above the
    /// allocated tensors (PyTorch memory-management notes; Korthikanti et al. Fig. 1 reports
    /// tensor bytes only, so this term is reported separately under `other`).
    public static let allocatorFragmentationFraction: Double = 0.05
    /// Communication buffers of NCCL and the DP gradient buckets beyond the gradient buffer itself,
    /// bytes: Megatron-Core's default bucket is 40 M elements (`--ddp-bucket-size`), fp32.
    public static let communicationBufferBytes: Double = 40e6 * 4

    // MARK: Workload defaults

    /// Sequence length when none is given: the model's context, at most 8192 tokens, the length
    /// of Llama 3's main pretraining stage (Dubey et al. 2024, section 3.4.1) and of most
    /// published pretraining runs; longer contexts are trained in short extension stages.
    public static let defaultSequenceCap = 8192
    /// Longest sequence any command accepts, tokens: 10M, Llama 4 Scout's context (Meta 2025),
    /// the longest a released model claims. Longer values are input errors.
    public static let maximumSequenceLength = 10_000_000
    /// Largest value any other layout dimension (TP, PP, DP, batch sizes) may take: keeps their
    /// products far from Int overflow.
    public static let maximumLayoutDimension = 100_000_000

    // MARK: Compute

    /// Backward of an elementwise op moves about twice the bytes of its forward (reads the saved
    /// input and the incoming gradient, writes the outgoing gradient).
    public static let backwardElementwiseByteFactor: Double = 2
    /// Kernel launch + scheduling gap per kernel on the GPU stream, seconds (CUDA launch latency
    /// is 3-5 us; PyTorch eager dispatch adds a few us; measured kernel-to-kernel gaps in Megatron
    /// traces are ~5-10 us).
    public static let kernelLaunchSeconds: Double = 6e-6
    /// Kernels per transformer layer forward (GEMMs, norms, fused bias-activation, dropout-add,
    /// softmax, rotary, comm): about 20 in Megatron's fused implementation.
    public static let kernelsPerLayerForward: Double = 20
    /// Keys per query of the sliding-window band at which `Accelerator.bandedAttentionEfficiency`
    /// is measured (cuDNN-frontend `benchmark/sdpa_benchmark_training/configs/gpt_oss.py`:
    /// `sliding_window_size=128`, GPT-OSS's window); a band of any width costs at least what
    /// this one does per query (`SlidingWindowAttention`).
    public static let bandedAttentionMeasuredWindow: Double = 128
    /// HBM bytes per element of Q and K that Megatron-Core's eager RoPE moves
    /// (`_apply_rotary_pos_emb_bshd`, megatron/core/models/common/embeddings/rope_utils.py
    /// @0d8e0714 .. @cd4afffa, taken when YaRN's attention factor is not 1): `t * cos` (r2 w2),
    /// `_rotate_half` = `cat(-x2, x1)` (the negation r1 w1 per element, the cat r2 w2),
    /// `* sin` (r2 w2), the sum (r2 + r2, w2), `cat((t, t_pass))` (r2 w2): 4 + 6 + 4 + 6 + 4 = 24
    /// forward (the per-position cos and sin tables are negligible).
    public static let unfusedRotaryForwardBytes: Double = 24
    /// Its backward (autograd of the same ops): `grad * sin` (r2 w2), the negation's gradient
    /// (r1 w1), the chunk's gradient concatenated (r2 w2), `grad * cos` (r2 w2), the two
    /// gradients of t summed (r2 + r2, w2): 4 + 2 + 4 + 4 + 6 = 20.
    public static let unfusedRotaryBackwardBytes: Double = 20
    /// HBM bytes per element of the experts' 16-bit [tokens x k, 2 f] fc1 output that Megatron-Core's
    /// GLU clamp moves before its fused activation (`weighted_bias_quick_geglu_impl`,
    /// megatron/core/fusions/fused_bias_geglu.py @0d8e0714 .. @cd4afffa, with
    /// `activation_func_clamp_value`): `x_glu.clamp(max=c)` and `x_linear.clamp(-c, c)` each read
    /// and write their half (r2 w2 per element of the whole), `torch.cat` copies both (r2 w2): 8.
    public static let clampedGLUForwardBytes: Double = 8
    /// Its backward: each clamp's gradient masks the incoming one by the saved input (r2 + r2,
    /// w2), and the chunk's gradient concatenates the halves (r2 w2): 6 + 4 = 10.
    public static let clampedGLUBackwardBytes: Double = 10
    /// HBM bytes per element of the routed experts' 16-bit [tokens x k, h] output that
    /// Megatron-Core's unfused expert-bias path moves (`TEGroupedMLP._apply_bias`,
    /// megatron/core/transformer/moe/experts.py @0d8e0714, core 0.15, unchanged @cd4afffa:
    /// `torch.cat([t + b * p for t, b, p in zip(split(out), biases, split(probs))])`, the
    /// probabilities in the 16-bit hidden dtype as GPT-OSS sets no `moe_router_dtype`).
    /// Forward: `b * p` writes a [rows, h] product (w2), `t + (b p)` reads both and writes
    /// (r2 + r2, w2), `torch.cat` copies the pieces (r2, w2): 12.
    public static let expertBiasForwardBytes: Double = 12
    /// Backward (autograd of the same ops): `split`'s gradient concatenates the pieces' gradients
    /// (r2, w2); the bias gradient sums `grad * p` over the rows (r2 w2, then r2) and the
    /// probabilities' gradient sums `grad * b` over h (r2 w2, then r2): 4 + 6 + 6 = 16.
    public static let expertBiasBackwardBytes: Double = 16
    /// Adam step bytes per parameter when each operation is its own kernel
    /// (`OptimizerStepKernels.perOp`): Composer's `DecoupledAdamW.adamw`
    /// (composer/optim/decoupled_weight_decay.py) runs, per parameter, `exp_avg.mul_(beta1)` (read
    /// and write 4 + 4), `.add_(grad)` (read 8, write 4), `exp_avg_sq.mul_(beta2)` (8),
    /// `.addcmul_(grad, grad)` (read 8, write 4), `exp_avg_sq.sqrt()` (8), `/ sqrt(bias_correction2)`
    /// (8), `.add_(eps)` (8), `param.addcdiv_(exp_avg, denom)` (read 12, write 4): 80 bytes; plus
    /// the gradient clipping Composer runs on FSDP through the root's `clip_grad_norm_`
    /// (composer/algorithms/gradient_clipping/gradient_clipping.py): the norm reads the gradient
    /// (4, as in the fused figure) and every gradient is multiplied by the clamped coefficient
    /// whether or not it clips (read and write 8; torch/distributed/fsdp/fully_sharded_data_parallel.py
    /// `clip_grad_norm_`: the multiply "avoids the host-device sync that would result from
    /// `if clip_coef < 1`") = 92. Its `param.mul_(1 - decay)` runs only when `weight_decay != 0`;
    /// llm-foundry's MPT yamls set `weight_decay: 0.0` (scripts/train/yamls/pretrain/mpt-1b.yaml
    /// @495218376, which submit_benchmarks.py reads), so it is not counted.
    public static let perOpAdamStepBytesPerParameter: Double = 92

    /// Gradient accumulation into the main-gradient buffer, per parameter held and per
    /// micro-batch: read the weight gradient (2 bytes in 16-bit training), read and write the accumulator
    /// (2 x its dtype: fp32 main gradients in Megatron, 16-bit in DeepSpeed). Not hidden: it
    /// follows each weight-gradient GEMM on the compute stream (Megatron's
    /// `--gradient-accumulation-fusion` moves it into the GEMM epilogue but the fp32 buffer is
    /// still read and written).
    public static func gradientAccumulationBytesPerParameter(gradientBytes: Double, accumulatorBytes: Double) -> Double {
        gradientBytes + 2 * accumulatorBytes
    }

    /// Share of the overlapped time that a collective running behind compute still costs: NCCL
    /// runs one CTA per channel on its own SMs (16-32 channels on NVLink/InfiniBand systems, so
    /// 12-30% of an H100's 132 SMs) and competes for HBM bandwidth, so the GEMMs it hides behind
    /// slow down. Measured slowdowns of overlapped GEMMs are 10-20% (Jangda et al. 2022, CoCoNet,
    /// section 6; Chang et al. 2024, FLUX, section 2); 0.1 is the low end.
    public static let overlappedCommunicationInterference: Double = 0.1

    /// Exposed seconds of a collective of `seconds` run behind `window` seconds of compute: the
    /// part that does not fit, plus the interference on the part that does.
    public static func exposedAfterOverlap(_ seconds: Double, window: Double) -> Double {
        let hidden = min(seconds, max(window, 0))
        return exposedAfterOverlap(tail: seconds - hidden, hidden: hidden)
    }

    /// The same rule for communication already laid out in time (the simulator's buckets):
    /// exposed = tail + interference x hidden, where `hidden` seconds of it ran while the compute
    /// stream was busy and `tail` seconds ran after the compute had ended. The interference is
    /// added even when a tail follows (the two are summed, not the larger taken), so that the
    /// estimate and the simulation of one layout compose overlap alike.
    public static func exposedAfterOverlap(tail: Double, hidden: Double) -> Double {
        max(tail, 0) + overlappedCommunicationInterference * max(hidden, 0)
    }

    /// One measured point of a flash-attention kernel's rate: forward and backward TFLOP/s at a
    /// key length.
    public typealias FlashAttentionRate = (keys: Double, forward: Double, backward: Double)

    /// Flash attention's forward and backward TFLOP/s against the key length, bf16, head
    /// dimension 128, 64 query and 8 key/value heads (Llama 3.1 70B's attention), rows `top_left`
    /// (causal; the benchmark counts the causal FLOPs halved, which cancels in the ratios
    /// `FlashAttentionKeyLength` takes) and `no_mask`, 2,048 ... 32,768 keys, non-deterministic
    /// backward, from NVIDIA/cudnn-frontend benchmark/sdpa_benchmark_training/results/ @3929da2:
    /// - Hopper: cuDNN 9.19 SDPA on H200 (the H100's GH100 compute at the same 989 TFLOP/s bf16
    ///   peak), one sequence, h200_919_only_cudnn/llama3.1_20260227_034703.csv;
    /// - Blackwell: cuDNN 9.22 on GB200, two sequences, llama3.1/gb200/llama3.1_20260424_100750.csv
    ///   (its causal rates peak at 16,384 keys and fall back at 32,768);
    /// - Blackwell Ultra: cuDNN 9.22 on GB300, two sequences, llama3.1/gb300/llama3.1_20260424_100757.csv.
    /// - Ampere: FlashAttention-2 on A100 80GB SXM4, head dimension 128, forward + backward
    ///   together (Dao 2023, "FlashAttention-2", Fig. 4b and 4d; Dao-AILab/flash-attention
    ///   assets/flash2_a100_fwd_bwd_benchmark.png), so the forward and the backward share the
    ///   combined curve: causal 99, 133, 155, 173, 182, 189 TFLOP/s at 512 ... 16k keys (causal
    ///   FLOPs halved, as its benchmark counts them), unmasked 187, 196, 201, 203 at 2k ... 16k
    ///   (the 512 and 1k labels are hidden under the legend). Its 16k causal rate, 189 of 312, is
    ///   the A100's `attention_efficiency` 0.60.
    public static func flashAttentionRates(_ curve: AttentionKeyCurve, mask: AttentionMask) -> [FlashAttentionRate] {
        switch (curve, mask == .causal) {
        case (.ampere, true): ampereCausalRates
        case (.ampere, false): ampereUnmaskedRates
        case (.hopper, true): hopperCausalRates
        case (.hopper, false): hopperUnmaskedRates
        case (.blackwell, true): blackwellCausalRates
        case (.blackwell, false): blackwellUnmaskedRates
        case (.blackwellUltra, true): blackwellUltraCausalRates
        case (.blackwellUltra, false): blackwellUltraUnmaskedRates
        }
    }

    /// Query rows (and key columns) of one flash-attention tile: FlashAttention-2's thread block
    /// takes 128 query rows at head dimension 128 (Dao 2023, section 3.3; `kBlockM = 128` in its
    /// `run_mha_fwd_hdim128`), as cuDNN's and FlashAttention-3's Hopper kernels do; a document
    /// shorter than a measured curve's shortest point is counted in these tiles
    /// (`FlashAttentionKeyLength.shortKeyScale`).
    public static let flashAttentionTileRows: Double = 128

    // The measured points, built once (the layer time reads them for every attention core).
    static let ampereCausalRates: [FlashAttentionRate] =
        [(512, 99, 99), (1024, 133, 133), (2048, 155, 155), (4096, 173, 173), (8192, 182, 182), (16384, 189, 189)]
    static let ampereUnmaskedRates: [FlashAttentionRate] =
        [(2048, 187, 187), (4096, 196, 196), (8192, 201, 201), (16384, 203, 203)]
    static let hopperCausalRates: [FlashAttentionRate] =
        [(2048, 484, 370), (4096, 591, 474), (8192, 644, 541), (16384, 673, 579), (32768, 688, 581)]
    static let hopperUnmaskedRates: [FlashAttentionRate] =
        [(2048, 633, 504), (4096, 671, 560), (8192, 691, 594), (16384, 702, 612), (32768, 693, 572)]
    static let blackwellCausalRates: [FlashAttentionRate] =
        [(2048, 1097, 885), (4096, 1408, 1148), (8192, 1574, 1332), (16384, 1708, 1328), (32768, 1622, 1226)]
    static let blackwellUnmaskedRates: [FlashAttentionRate] =
        [(2048, 1433, 1124), (4096, 1599, 1350), (8192, 1771, 1404), (16384, 1697, 1374), (32768, 1634, 1262)]
    static let blackwellUltraCausalRates: [FlashAttentionRate] =
        [(2048, 1373, 967), (4096, 1703, 1248), (8192, 1856, 1435), (16384, 1915, 1507), (32768, 1953, 1490)]
    static let blackwellUltraUnmaskedRates: [FlashAttentionRate] =
        [(2048, 1805, 1213), (4096, 1900, 1429), (8192, 2017, 1531), (16384, 2014, 1536), (32768, 1836, 1427)]

    // MARK: Frameworks

    /// DeepSpeed's pipeline engine runs Megatron's model code at this fraction of Megatron's
    /// own per-micro-batch throughput. The one constant fitted to end-to-end runs: the three
    /// MT-NLG 530B runs (Smith et al. 2022; 113-126 TFLOP/s on 2240-3360 A100s) against the same
    /// shape on Megatron-LM (163 TFLOP/s, Narayanan et al. 2021 Table 1), after the plain-1F1B
    /// bubble and the 16-bit gradients are accounted for. DeepSpeed's engine issues each p2p
    /// transfer as a blocking broadcast and schedules every instruction from Python.
    public static let deepSpeedPipelineEngineEfficiency: Double = 0.80

    // MARK: Sizing

    /// MFU assumed when `loom size --gpu-hours` turns accelerator-hours into FLOPs (and printed with
    /// the result): Llama 3 405B reached 38-43% bf16 MFU on 8,192-16,384 H100s (Dubey et al. 2024,
    /// table 4); 0.40 is inside that range. `--mfu` overrides it.
    public static let assumedSizingMFU: Double = 0.40

    // MARK: Fine-tuning and memory savers

    /// NF4 storage of QLoRA (Dettmers et al. 2023, section 3): 4-bit codes, one absmax constant
    /// per block of 64 weights, the constants themselves quantised to 8 bits with one fp32
    /// constant per block of 256 of them ("double quantisation": 8/64 + 32/(64 x 256) = 0.127
    /// bits per parameter instead of 32/64 = 0.5). `NF4Storage` adds them up.
    public static let nf4CodeBits: Double = 4
    public static let nf4BlockSize: Double = 64
    public static let nf4ConstantBits: Double = 8
    public static let nf4SecondBlockSize: Double = 256
    public static let nf4SecondConstantBits: Double = 32

    /// ZeRO-3 / ZeRO-Infinity parameter offload keeps at most this many parameters live on the
    /// GPU (DeepSpeed's `stage3_max_live_parameters` default, 1e9).
    public static let offloadMaxLiveParameters: Double = 1e9

    /// DeepSpeed's `reduce_bucket_size` default, elements (`runtime/zero/config.py`,
    /// `reduce_bucket_size: int = Field(pp_int(5e8))` in v0.8.1; Hugging Face accelerate replaces
    /// it with hidden^2 only where a DeepSpeed config file says "auto"): the size of ZeRO-3's
    /// contiguous gradient bucket (`DeepSpeedZeRO3Buffers`).
    public static let deepSpeedReduceBucketElements: Double = 5e8

    /// Host memory bandwidth the CPU optimizer step reaches, bytes/s. Approximate: DeepSpeed's
    /// CPU-Adam is vectorised (AVX-512) and memory-bound (Ren et al. 2021, ZeRO-Offload, section
    /// 5.1); STREAM triad on a two-socket DDR4/DDR5 server reaches 150-300 GB/s, shared with the
    /// data loader and the PCIe copies: 100 GB/s, the low end.
    public static let cpuOptimizerBandwidthBytesPerSecond: Double = 100e9

    // MARK: Failures and checkpoints (time to train; read by the Goodput module)

    /// One row of a published table of interruption causes.
    public typealias InterruptionCause = (name: String, category: String, interruptions: Int, needsNodeReplacement: Bool)

    /// Llama 3 405B pre-training snapshot: 54 days on up to 16,384 H100 GPUs, 466 job
    /// interruptions, 47 planned and 419 unexpected (Dubey et al. 2024, "The Llama 3 Herd of
    /// Models", section 3.3.4).
    public static let llama3Accelerators: Double = 16_384
    public static let llama3Days: Double = 54
    public static let llama3PlannedInterruptions: Int = 47

    /// Dubey et al. 2024, table 5: root causes of the 419 unexpected interruptions (counts as
    /// printed; the table's percentage column does not equal count / 419). The GPU, Network and
    /// Host categories (324 of 419, 77%) are hardware; the paper says "about 78%".
    public static let llama3Interruptions: [InterruptionCause] = [
        (name: "Faulty GPU", category: "GPU", interruptions: 148, needsNodeReplacement: true),
        (name: "GPU HBM3 Memory", category: "GPU", interruptions: 72, needsNodeReplacement: true),
        (name: "Software Bug", category: "Dependency", interruptions: 54, needsNodeReplacement: false),
        (name: "Network Switch/Cable", category: "Network", interruptions: 35, needsNodeReplacement: true),
        (name: "Host Maintenance", category: "Unplanned Maintenance", interruptions: 32,
              needsNodeReplacement: false),
        (name: "GPU SRAM Memory", category: "GPU", interruptions: 19, needsNodeReplacement: true),
        (name: "GPU System Processor", category: "GPU", interruptions: 17, needsNodeReplacement: true),
        (name: "NIC", category: "Host", interruptions: 7, needsNodeReplacement: true),
        (name: "NCCL Watchdog Timeouts", category: "Unknown", interruptions: 7, needsNodeReplacement: false),
        (name: "Silent Data Corruption", category: "GPU", interruptions: 6, needsNodeReplacement: true),
        (name: "GPU Thermal Interface + Sensor", category: "GPU", interruptions: 6, needsNodeReplacement: true),
        (name: "SSD", category: "Host", interruptions: 3, needsNodeReplacement: true),
        (name: "Power Supply", category: "Host", interruptions: 3, needsNodeReplacement: true),
        (name: "Server Chassis", category: "Host", interruptions: 2, needsNodeReplacement: true),
        (name: "IO Expansion Board", category: "Host", interruptions: 2, needsNodeReplacement: true),
        (name: "Dependency", category: "Dependency", interruptions: 2, needsNodeReplacement: false),
        (name: "CPU", category: "Host", interruptions: 2, needsNodeReplacement: true),
        (name: "System Memory", category: "Host", interruptions: 2, needsNodeReplacement: true),
    ]

    /// Default failure detection time, seconds: MegaScale detects and localises a fault in under
    /// 10 minutes (Jiang et al. 2024, "MegaScale", NSDI, section 4: "within 10 minutes").
    public static let detectionSeconds: Double = 600
    /// Default time to reschedule the job and re-initialise it (process launch, NCCL communicator
    /// set-up) before the checkpoint is read, seconds: MegaScale is back at the pre-failure step
    /// within 15 minutes of the fault, detection included (Jiang et al. 2024, section 4), so 5 min.
    public static let restartSeconds: Double = 300

    /// Most tokens a time-to-train question accepts: 1e20, ten million times Llama 3's 15.6T and far
    /// beyond any text corpus; larger counts are input errors, not runs (the same bound as
    /// `report --tokens`).
    public static let maximumTrainingTokens: Double = 1e20

    /// Write bandwidth from one host to checkpoint storage when the topology file gives none,
    /// GB/s: Llama 3's Tectonic file system sustains 2 TB/s (7 TB/s peak) for the 16,384-GPU job
    /// (Dubey et al. 2024, section 3.3.1, "Storage"), i.e. 2,000 / 2,048 hosts = 0.98 GB/s per host.
    public static let checkpointWriteGBpsPerHost: Double = 2_000 / 2_048

    /// Training stall of an asynchronous checkpoint when none is given, seconds: PyTorch DCP
    /// `async_save` cut a 7B model's checkpoint down time from 148.8 s to 6.3 s on average (Meta and
    /// IBM, PyTorch blog "Reducing Model Checkpointing Times by Over 10x with PyTorch Distributed
    /// Asynchronous Checkpointing", 2024). The same stall is taken for the copy of an in-memory
    /// snapshot (Gemini, Wang et al. SOSP 2023, also copies to host memory first).
    public static let asyncCheckpointStallSeconds: Double = 6.3

    /// Elements a tensor needs before bitsandbytes' paged optimizers put its states in unified
    /// memory: smaller tensors' states are ordinary GPU allocations (bitsandbytes
    /// `Optimizer8bit.get_state_buffer`: `if not self.is_paged or p.numel() < 1e5: return
    /// torch.zeros_like(p, ...)`).
    public static let pagedStateMinimumElements: Double = 1e5

    // MARK: Sizing: the model `loom size` builds for a parameter count (Llama 3 shape family)

    /// Head dimension of the sized model: 128, as every Llama 3 model (Dubey et al. 2024, table 3:
    /// 4,096 / 32, 8,192 / 64, 16,384 / 128).
    public static let sizingHeadDimension = 128
    /// Width over depth (hidden / layers): 128, Llama 3 8B's 4,096 / 32 (405B: 16,384 / 126 = 130;
    /// 70B: 102). Kaplan et al. 2020 (section 3.1, figure 5) find the loss within a few percent
    /// for aspect ratios from about 20 to 200, so the shape is a convention, not an optimum.
    public static let sizingAspectRatio = 128
    /// FFN width over hidden: 3.5, Llama 3 8B and 70B (14,336 / 4,096, 28,672 / 8,192).
    public static let sizingFFNRatio: Double = 3.5
    /// Key-value heads (grouped-query attention): 8 in every Llama 3 model (Dubey et al. 2024, table 3).
    public static let sizingKVHeads = 8
    /// Vocabulary: Llama 3's 128,256 tokens.
    public static let sizingVocabulary = 128_256
    /// Tokens per global batch when `loom size --gpus` is not given one: Llama 3 405B's first stage,
    /// 4M tokens (Dubey et al. 2024, section 3.4.1).
    public static let sizingBatchTokens = 4_194_304

    // MARK: Planner

    /// `loom plan --objective memory` counts two layouts whose peak memory differs by less than
    /// this fraction (1%) as equal and ranks them by throughput: memory is compared on a geometric
    /// grid with this step (`PlanCandidate.memoryGrid`). Relative, not absolute (0.01 GiB), so one
    /// rule serves 16 GiB and 192 GiB GPUs; 1% because differences below it are below the memory
    /// model's own accuracy (the allocator reserve alone is 5-10%, see `allocatorFragmentationFraction`
    /// above), so they are no reason to take a layout at a fraction of the throughput (issue 14:
    /// context parallelism 512 at 0.4% MFU chosen over a 0.00 GiB difference).
    public static let planMemoryTieFraction: Double = 0.01
}
