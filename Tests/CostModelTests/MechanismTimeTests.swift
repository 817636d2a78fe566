import Testing
@testable import CostModel
import Hardware
import Workloads

/// One test per time mechanism of the cost model. Each expected value is the mechanism's
/// formula written out by hand from its source with the A100 datasheet numbers (`A100`), never
/// the code's own output; where a mechanism is one term of a sum, the test isolates it as a
/// difference the formulas predict exactly.
@Suite struct MechanismTimeTests {
    let gpt = megatronGPT(layers: 4, hidden: 4096, heads: 32)
    let h = 4096.0, heads = 32.0, s = 2048.0

    @Test func a100NumbersMatchTheTopologyFile() {
        let cluster = dgxA100()
        let acc = cluster.accelerator
        #expect(acc.peak16BitTFLOPS * 1e12 == A100.peak)
        #expect(acc.matmulEfficiency == A100.matmulEfficiency)
        #expect(acc.matmulHalfEfficiencyDim == A100.halfEfficiencyDim)
        #expect(acc.memoryBandwidthGBps * 1e9 * acc.memoryBandwidthEfficiency == A100.hbm)
        #expect(acc.attentionEfficiency == A100.attentionEfficiency)
        #expect(acc.flashAttention2Efficiency == nil)
        #expect(cluster.node.scaleUp.effectiveBytesPerSecond == A100.nvlink)
        #expect(cluster.node.scaleUp.latencyUs * 1e-6 == A100.nvlinkHop)
        #expect(cluster.scaleOut.effectiveBytesPerSecond == A100.nic)
        #expect(cluster.scaleOut.latencyUs * 1e-6 == A100.nicHop)
        #expect(acc.reservedMemoryGiB * gibibyte == A100.reserved)
        #expect(cluster.acceleratorsPerNode == 8)
    }

    // MARK: MatmulTime

    /// Roofline with the saturating shape curve: 2MNK / (peak x 0.87 x prod d/(d + 170)).
    @Test func gemmRoofline() {
        let acc = dgxA100().accelerator
        let d = 8192.0, g = d / (d + A100.halfEfficiencyDim)
        #expect(near(MatmulTime.seconds(m: d, n: d, k: d, accelerator: acc),
                     2 * d * d * d / (A100.peak * A100.matmulEfficiency * g * g * g)))
        // 32 GEMMs of 256 x 2048 x 128 fill the GPU like one of 8192 rows.
        let rows = 32.0 * 256
        let efficiency = A100.matmulEfficiency * rows / (rows + 170) * 2048 / (2048 + 170) * 128 / (128 + 170)
        #expect(near(MatmulTime.seconds(m: 256, n: 2048, k: 128, batch: 32, accelerator: acc),
                     2 * 256 * 2048 * 128 * 32 / (A100.peak * efficiency)))
        #expect(near(MatmulTime.memoryBoundSeconds(bytes: 1e9, accelerator: acc), 1e9 / A100.hbm))
    }

    // MARK: LayerTime

    /// A layer of h = 64 on 16 tokens computes in nanoseconds: its time is the 20 kernels'
    /// launch gaps of 6 us forward (Megatron traces, `CostModelConstants.kernelLaunchSeconds`)
    /// and twice as many backward.
    @Test func kernelLaunchGapsDominateATinyLayer() {
        let tiny = megatronGPT(layers: 1, hidden: 64, heads: 1, seq: 16, vocab: 128)
        let layer = layerTime(tiny, ParallelLayout(seq: 16), TrainingRecipe(framework: .megatronLM))
        #expect(layer.forward >= 20 * 6e-6 && layer.forward < 20 * 6e-6 + 2e-6, "\(layer.forward)")
        #expect(layer.backward >= 40 * 6e-6 && layer.backward < 40 * 6e-6 + 4e-6, "\(layer.backward)")
    }

    /// Flash attention runs the 2 b a s^2 (d_qk + d_v) score and value FLOPs at the topology's
    /// attention efficiency, which is the kernels' quoted rate for that full work (causal runs
    /// time like it: `AttentionCoreTime`), times the rate a causal 2048-key loop reaches of the
    /// long-key rate (FlashAttention-2 on A100, Dao 2023, Fig. 4d: forward + backward 155 of 189
    /// TFLOP/s at 16k keys); selective recomputation runs that
    /// forward again; the kernel's backward is 2.5x its forward FLOPs (Dao 2023), so backward - 2 x
    /// forward (GEMMs and elementwise kernels backward cost twice their forward) is the core's
    /// backward less twice its forward.
    @Test func flashAttentionWorkAndBackward() {
        let layer = layerTime(gpt, ParallelLayout(seq: 2048), TrainingRecipe(framework: .megatronCore, recompute: .selective))
        let coreFLOPs = 2 * heads * s * s * (128 + 128)
        let coreForward = coreFLOPs / (A100.peak * A100.attentionEfficiency * 155 / 189)
        let coreBackward = 2.5 * coreFLOPs / (A100.peak * A100.attentionEfficiency * 155 / 189)
        #expect(near(layer.recompute, coreForward), "\(layer.recompute) vs \(coreForward)")
        #expect(near(layer.backward - 2 * layer.forward, coreBackward - 2 * coreForward, 1e-6))
        // MFU counts every score FLOP, forward and backward (3x); HFU adds the recomputed core.
        #expect(near(layer.hardwareFLOPs - layer.modelFLOPs, coreFLOPs))
    }

    /// Packing with document masking (cu_seqlens / THD attention, `packedDocumentTokens`): each
    /// query attends over its own 256-token document, not the 2048-token sequence, so the core is
    /// 2 x 32 heads x 2048 queries x 256 keys x (128 + 128) = 8,589,934,592 FLOPs (1/8 of the
    /// unpacked 68,719,476,736). The 2048-key loop runs at FlashAttention-2's A100 rate there (155
    /// of 189 TFLOP/s, Dao 2023, Fig. 4d), the 256-key documents below its shortest measured loop
    /// by the tile count (`TileCountByHand.ampereCausal`: 2 query blocks of 128 rows); every GEMM
    /// and elementwise kernel is per token and unchanged, so the forward drops by the cores' difference.
    @Test func packedDocumentsAttendWithinEachDocument() {
        let plain = layerTime(gpt, ParallelLayout(seq: 2048), TrainingRecipe(framework: .megatronCore, recompute: .selective))
        var recipe = TrainingRecipe(framework: .megatronCore, recompute: .selective)
        recipe.packedDocumentTokens = 256
        let packed = layerTime(gpt, ParallelLayout(seq: 2048), recipe)
        let packedCore = 8_589_934_592.0 / (A100.peak * A100.attentionEfficiency * TileCountByHand.ampereCausal(256))
        let plainCore = 68_719_476_736.0 / (A100.peak * A100.attentionEfficiency * 155 / 189)
        #expect(near(packed.recompute, packedCore), "\(packed.recompute) vs \(packedCore)")
        #expect(near(plain.forward - packed.forward, plainCore - packedCore, 1e-9))
        #expect(near(plain.modelFLOPs - packed.modelFLOPs, 3 * (68_719_476_736.0 - 8_589_934_592.0)))
        // A document longer than the sequence is cut at it: the unpacked layer.
        recipe.packedDocumentTokens = 4096
        #expect(layerTime(gpt, ParallelLayout(seq: 2048), recipe) == plain)
    }

    /// Without flash attention the core is two batched GEMMs plus the fused scale-mask-softmax
    /// and dropout (read 2 + write 2, read 2 + write 2 + mask 1 = 9 bytes per score); its
    /// backward is twice its forward, so backward = 2 x forward exactly.
    @Test func unfusedAttentionCore() {
        let acc = dgxA100().accelerator
        let layer = layerTime(gpt, ParallelLayout(seq: 2048), TrainingRecipe(framework: .megatronLM, recompute: .selective))
        let gemms = MatmulTime.seconds(m: s, n: s, k: 128, batch: heads, accelerator: acc)
            + MatmulTime.seconds(m: s, n: 128, k: s, batch: heads, accelerator: acc)
        #expect(near(layer.recompute - gemms, 9 * heads * s * s / A100.hbm, 1e-6))
        #expect(near(layer.backward, 2 * layer.forward, 1e-9))
    }

    /// Full recomputation runs the whole layer forward again.
    @Test func fullRecomputeRepeatsTheForward() {
        let layout = ParallelLayout(seq: 2048)
        let full = layerTime(gpt, layout, TrainingRecipe(framework: .megatronLM, recompute: .full))
        let none = layerTime(gpt, layout, TrainingRecipe(framework: .megatronLM))
        #expect(full.recompute == full.forward && full.recompute > 0)
        #expect(none.recompute == 0)
    }

    /// Megatron's f and g operators: two all-reduces of the b s h activations per layer forward,
    /// two backward, and two more forward under full recomputation (Shoeybi et al. 2019, Fig. 4).
    @Test func tensorParallelAllReduces() {
        let layout = ParallelLayout(tp: 2, seq: 2048)
        let bytes = s * h * 2
        let reduce = NVLinkByHand.allReduce(bytes, ranks: 2)
        let none = layerTime(gpt, layout, TrainingRecipe(framework: .megatronLM))
        #expect(near(none.tpCommForward, 2 * reduce) && near(none.tpCommBackward, 2 * reduce))
        let full = layerTime(gpt, layout, TrainingRecipe(framework: .megatronLM, recompute: .full))
        #expect(near(full.tpCommForward, 4 * reduce) && near(full.tpCommBackward, 2 * reduce))
    }

    /// Sequence parallelism (Korthikanti et al. 2022, 4.2.2): all-gather + reduce-scatter in
    /// place of each all-reduce, plus the backward's two re-gathers of the norm outputs.
    @Test func sequenceParallelCollectivesAndRegather() {
        var layout = ParallelLayout(tp: 2, seq: 2048)
        layout.sequenceParallel = true
        let gather = NVLinkByHand.allGather(s * h * 2, ranks: 2)
        let layer = layerTime(gpt, layout, TrainingRecipe(framework: .megatronLM))
        #expect(near(layer.tpCommForward, 2 * (gather + gather)))
        #expect(near(layer.tpCommBackward, 2 * (gather + gather) + 2 * gather))
    }

    /// Sequence parallelism splits the two norms and two residual adds (fused: 4 + 7 bytes per
    /// element each) over TP: the forward saves half of 2 x 11 h bytes per token at TP 2.
    @Test func sequenceParallelSplitsNormsAndResiduals() {
        var sp = ParallelLayout(tp: 2, seq: 2048)
        sp.sequenceParallel = true
        let recipe = TrainingRecipe(framework: .megatronLM)
        let saved = layerTime(gpt, ParallelLayout(tp: 2, seq: 2048), recipe).forward - layerTime(gpt, sp, recipe).forward
        #expect(near(saved, s * 2 * (4 + 7) * h / 2 / A100.hbm, 1e-6), "\(saved)")
    }

    /// Eager PyTorch (torchtitan) against fused kernels (Megatron-Core) on a Llama layer: RMSNorm
    /// 40 vs 4 bytes per element, residual add 6 vs 7, SwiGLU 10 vs 6 on the MLP width, rotary 24
    /// vs 4 on Q and K (`KernelTraffic`'s op-by-op counts).
    @Test func eagerAgainstFusedKernelTraffic() {
        let llama = llamaShaped()
        let layout = ParallelLayout(seq: 2048)
        let eager = layerTime(llama, layout, TrainingRecipe(framework: .torchtitan)).forward
        let fused = layerTime(llama, layout, TrainingRecipe(framework: .megatronCore)).forward
        let bytesPerToken = 2 * ((40 - 4) + (6 - 7)) * h + (10 - 6) * 14336 + (24 - 4) * (4096 + 1024)
        #expect(near(eager - fused, s * bytesPerToken / A100.hbm, 1e-6))
    }

    /// The `fused_kernels` switch (torch.compile, hand-fused kernels) moves a framework between the
    /// two kernel sets, both ways: torchtitan with it fused times exactly as Megatron-Core's fused
    /// kernels, Megatron-Core without it as eager PyTorch, by the same bytes per token as above.
    @Test func fusedKernelsSwitch() {
        let llama = llamaShaped()
        let layout = ParallelLayout(seq: 2048)
        var compiled = TrainingRecipe(framework: .torchtitan)
        compiled.fusedKernels = true
        var unfused = TrainingRecipe(framework: .megatronCore)
        unfused.fusedKernels = false
        let fused = layerTime(llama, layout, TrainingRecipe(framework: .megatronCore)).forward
        let eager = layerTime(llama, layout, TrainingRecipe(framework: .torchtitan)).forward
        #expect(near(layerTime(llama, layout, compiled).forward, fused, 1e-12))
        let bytesPerToken = 2 * ((40 - 4) + (6 - 7)) * h + (10 - 6) * 14336 + (24 - 4) * (4096 + 1024)
        #expect(near(layerTime(llama, layout, unfused).forward - fused, s * bytesPerToken / A100.hbm, 1e-6))
        #expect(near(eager - layerTime(llama, layout, compiled).forward, s * bytesPerToken / A100.hbm, 1e-6))
        #expect(TrainingRecipe(framework: .fsdp).effectiveFusedKernels == false)
        #expect(TrainingRecipe(framework: .nemo).effectiveFusedKernels == true)
    }

    /// Ring attention (Liu et al. 2023): each CP rank all-gathers K and V (2 x tokens x kv width,
    /// 2 bytes) from the ring, hidden behind the attention core; twice in backward (K/V and
    /// their gradients) behind the core's backward. Each ring step's kernel loops over a rank's
    /// 1024-key chunk, at FlashAttention-2's A100 rate for 1k causal keys (133 of 189 TFLOP/s at
    /// 16k, Dao 2023, Fig. 4d).
    @Test func contextParallelRing() {
        let layout = ParallelLayout(cp: 2, seq: 2048)
        let layer = layerTime(gpt, layout, TrainingRecipe(framework: .megatronCore, recompute: .selective))
        let tokens = s / 2
        let ring = NVLinkByHand.allGather(2 * tokens * h * 2 * 2, ranks: 2)
        let coreFLOPs = 2 * heads * tokens * s * 256
        let coreForward = coreFLOPs / (A100.peak * A100.attentionEfficiency * 133 / 189)
        let coreBackward = 2.5 * coreFLOPs / (A100.peak * A100.attentionEfficiency * 133 / 189)
        #expect(near(layer.recompute, coreForward))
        #expect(near(layer.cpCommForward, exposedByHand(ring, window: coreForward)))
        #expect(near(layer.cpCommBackward, exposedByHand(2 * ring, window: coreBackward)))
    }

    /// Expert parallelism: dispatch and combine all-to-alls of the k = 2 routed copies of every
    /// token (2 bytes x h) in forward, the same two in backward (Lepikhin et al. 2020, GShard).
    @Test func expertParallelAllToAll() {
        let layout = ParallelLayout(dp: 2, ep: 2, globalBatch: 2, seq: 2048)
        let layer = layerTime(mixtralShaped(), layout, TrainingRecipe(framework: .megatronCore), moe: true)
        let a2a = NVLinkByHand.allToAll(s * 2 * h * 2, ranks: 2)
        #expect(near(layer.epCommForward, 2 * a2a) && near(layer.epCommBackward, 2 * a2a))
        let dense = layerTime(mixtralShaped(), layout, TrainingRecipe(framework: .megatronCore), moe: false)
        #expect(dense.epCommForward == 0)
    }

    // MARK: StageTime

    /// The last stage all-reduces the vocab-parallel cross entropy's max and sum (fp32 per token)
    /// over TP (Shoeybi et al. 2019, section 3): two all-reduces of 4 bytes per token.
    @Test func vocabParallelCrossEntropyAllReduces() {
        let layout = ParallelLayout(tp: 2, pp: 2, seq: 2048)
        let recipe = TrainingRecipe(framework: .megatronLM)
        let extra = stageTime(1, gpt, layout, recipe).tpComm - stageTime(0, gpt, layout, recipe).tpComm
        #expect(near(extra, 2 * NVLinkByHand.allReduce(4 * s, ranks: 2), 1e-6), "\(extra)")
    }

    /// Last stage: the output GEMM forward and twice backward, the cross entropy's 14 bytes per
    /// logit forward and twice backward; first stage: the embedding lookup (write 2 bytes) and
    /// its fp32 scatter-add backward (read + write 4). Same layer counts, so the stages differ
    /// by exactly these.
    @Test func logitsCrossEntropyAndEmbeddingOnTheEdgeStages() {
        let acc = dgxA100().accelerator
        let layout = ParallelLayout(tp: 2, pp: 2, seq: 2048)
        let recipe = TrainingRecipe(framework: .megatronLM)
        let difference = stageTime(1, gpt, layout, recipe).compute - stageTime(0, gpt, layout, recipe).compute
        let vocabShard = 51200.0 / 2
        let expected = 3 * MatmulTime.seconds(m: s, n: vocabShard, k: h, accelerator: acc)
            + 3 * 14 * s * vocabShard / A100.hbm - s * h * (2 + 8) / A100.hbm
        #expect(near(difference, expected, 1e-6), "\(difference) vs \(expected)")
    }

    /// MaxText's `use_iota_embed`: the lookup is a one-hot (s x V/t) times table (V/t x h) matmul
    /// forward and the same shape again for the table's gradient (no gradient of a one-hot), on
    /// the first stage only; the hardware FLOPs grow by 2 x 2 s h V/t, the model FLOPs not at all.
    @Test func iotaEmbeddingIsTwoOneHotMatmulsOnTheFirstStage() {
        let acc = dgxA100().accelerator
        let layout = ParallelLayout(tp: 2, pp: 2, seq: 2048)
        let plain = TrainingRecipe(framework: .maxtext)
        var iota = plain
        iota.iotaEmbedding = true
        let vocabShard = 51200.0 / 2
        let d = A100.halfEfficiencyDim
        let shape: Double = s / (s + d) * (h / (h + d)) * (vocabShard / (vocabShard + d))
        let lookup: Double = 2 * s * vocabShard * h / (A100.peak * A100.matmulEfficiency * shape)
        let first = stageTime(0, gpt, layout, iota), base = stageTime(0, gpt, layout, plain)
        #expect(near(first.compute - base.compute, 2 * lookup, 1e-6), "\(first.compute - base.compute) vs \(2 * lookup)")
        #expect(near(first.forward - base.forward, lookup, 1e-6) && near(first.backward - base.backward, lookup, 1e-6))
        #expect(near(first.hardwareFLOPs - base.hardwareFLOPs, 4 * s * h * vocabShard) && first.modelFLOPs == base.modelFLOPs)
        #expect(stageTime(1, gpt, layout, iota).compute == stageTime(1, gpt, layout, plain).compute)
    }

    /// Pipeline p2p with the scatter/gather optimisation (Narayanan et al. 2021, 4.1): each of
    /// the 8 TP ranks sends 1/8 of the b s h activation over its own NIC (stages on different
    /// hosts), the receiver all-gathers it over NVLink; one transfer forward and one backward per
    /// virtual stage (v = 2).
    @Test func pipelinePointToPointPerVirtualStage() {
        let layout = ParallelLayout(tp: 8, pp: 2, vpp: 2, microBatch: 1, globalBatch: 2, seq: 2048)
        let full = s * h * 2
        let transfer = A100.nicHop + full / 8 / A100.nic + NVLinkByHand.allGather(full, ranks: 8)
        let stage = stageTime(0, gpt, layout, TrainingRecipe(framework: .megatronLM))
        #expect(near(stage.ppComm, 2 * 2 * transfer), "\(stage.ppComm) vs \(2 * 2 * transfer)")
    }

    /// Each micro-batch's weight gradients are accumulated into Megatron's fp32 main-gradient
    /// buffer: read the 2-byte gradient, read and write the 4-byte accumulator (10 bytes per
    /// parameter). A middle stage has no embedding or logits, so its compute is its layers'
    /// forward and backward plus this.
    @Test func gradientAccumulationIntoMainGradients() {
        let model = megatronGPT(layers: 6, hidden: 1024, heads: 16)
        let layout = ParallelLayout(pp: 3, seq: 2048)
        let recipe = TrainingRecipe(framework: .megatronLM)
        let layer = layerTime(model, layout, recipe)
        let middle = stageTime(1, model, layout, recipe)
        let accumulate = 2 * gptLayerParameters(hidden: 1024) * (2 + 2 * 4) / A100.hbm
        #expect(near(middle.compute - 2 * (layer.forward + layer.backward), accumulate, 1e-6))
    }

    /// DeepSpeed's pipeline engine runs Megatron's layers at 0.80 of Megatron's throughput
    /// (MT-NLG against Megatron, `CostModelConstants.deepSpeedPipelineEngineEfficiency`) and
    /// accumulates 16-bit gradients (2 + 2 x 2 bytes per parameter).
    @Test func deepSpeedPipelineEngine() {
        let model = megatronGPT(layers: 6, hidden: 1024, heads: 16)
        let layout = ParallelLayout(pp: 3, seq: 2048)
        let recipe = TrainingRecipe(framework: .megatronDeepSpeed, recompute: .selective)
        let layer = layerTime(model, layout, recipe)
        let middle = stageTime(1, model, layout, recipe)
        let accumulate = 2 * gptLayerParameters(hidden: 1024) * (2 + 2 * 2) / A100.hbm
        #expect(near(middle.compute, (2 * (layer.forward + layer.backward) + accumulate) / 0.80, 1e-6))
        #expect(near(middle.recompute, 2 * layer.recompute / 0.80, 1e-9))
    }

    /// TP overlap (userbuffers): the forward collectives hide behind the forward GEMMs, the
    /// backward ones behind the backward GEMMs (twice the forward's), each exposing what does not
    /// fit plus 10% interference; the cross-entropy all-reduces stay exposed. With sequence
    /// parallelism, which the overlap needs (`TPCommOverlapTests`).
    @Test func tensorParallelOverlapWindows() {
        let layout = ParallelLayout(tp: 8, sequenceParallel: true, seq: 2048)
        let recipe = TrainingRecipe(framework: .megatronCore, overlapTPComm: true)
        let layer = layerTime(gpt, layout, recipe)
        let perLayer = exposedByHand(layer.tpCommForward, window: layer.linearForward)
            + exposedByHand(layer.tpCommBackward, window: 2 * layer.linearForward)
        let crossEntropy = 2 * NVLinkByHand.allReduce(4 * s, ranks: 8)
        #expect(near(stageTime(0, gpt, layout, recipe).tpComm, 4 * perLayer + crossEntropy, 1e-9))
        // h = 512 at TP 8: each pass's collectives outlast its GEMMs, so the windows matter.
        let narrow = megatronGPT(layers: 2, hidden: 512, heads: 8)
        let small = layerTime(narrow, layout, recipe)
        #expect(small.tpCommBackward > 2 * small.linearForward && small.tpCommForward > small.linearForward)
        let narrowLayer = (small.tpCommForward - small.linearForward) + 0.1 * small.linearForward
            + (small.tpCommBackward - 2 * small.linearForward) + 0.1 * 2 * small.linearForward
        #expect(near(stageTime(0, narrow, layout, recipe).tpComm, 2 * narrowLayer + crossEntropy, 1e-9))
    }

    /// The overlap rule itself: 10 s behind a 4 s window exposes 6 s plus 10% of 4 s.
    @Test func overlapExposesTheRestPlusInterference() {
        #expect(near(CostModelConstants.exposedAfterOverlap(10, window: 4), 6.4))
        #expect(near(CostModelConstants.exposedAfterOverlap(2, window: 4), 0.2))
        #expect(CostModelConstants.exposedAfterOverlap(2, window: -1) == 2)
    }

    // MARK: Torus

    /// A closed ring of 4 chips along one torus axis (2 links per chip, one each way): an
    /// all-gather moves (n-1)/n of the bytes over both links, an all-to-all is bisection-bound
    /// at e x B / (8 W_link) (JAX scaling book, part 3: "a quarter of an AllGather"), each over
    /// 4/2 hops.
    @Test func torusRingCollectives() {
        let axis = TorusAxisSpan(axisLength: 4, extent: 4, span: 4, ring: true)
        let link = 45e9, hop = 1e-6, bytes = 1e9
        #expect(near(TorusCollectives.iciSeconds(.allGather, bytes: bytes, ranks: 4, axes: [axis],
                                                 linkBytesPerSecond: link, hopSeconds: hop), 2 * hop + 0.75 * bytes / (2 * link)))
        #expect(near(TorusCollectives.iciSeconds(.allToAll, bytes: bytes, ranks: 4, axes: [axis],
                                                 linkBytesPerSecond: link, hopSeconds: hop), 2 * hop + 4 * bytes / (8 * link)))
        #expect(near(TorusCollectives.iciSeconds(.allReduce, bytes: bytes, ranks: 4, axes: [axis],
                                                 linkBytesPerSecond: link, hopSeconds: hop), 4 * hop + 1.5 * bytes / (2 * link)))
    }

    // MARK: Layer widths

    /// DeepSeek-V3's MLA (config.json: 128 heads, qk_nope 128 + qk_rope 64, v_head_dim 128):
    /// queries and keys 128 x 192 wide, values 128 x 128.
    @Test func multiHeadLatentAttentionWidths() throws {
        let g = LayerGeometry(model: try ModelCatalog.preset(named: "deepseek-v3"))
        #expect(g.queryWidth == 128 * 192 && g.keyWidth == 128 * 192 && g.valueWidth == 128 * 128)
        #expect(g.qkHeadDim == 192 && g.vHeadDim == 128)
    }
}
