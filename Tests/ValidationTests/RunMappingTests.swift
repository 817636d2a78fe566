import CostModel
import Foundation
import Hardware
import Testing
import Validation
import Workloads

/// `RunMapping`: what a run's stated fields become, which defaults fill the unstated ones, and
/// every reason a run is refused.
@Suite struct RunMappingTests {
    static func run(_ json: String) throws -> PublishedRun {
        let path = try temporaryFile("[\(json)]")
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try #require(try RunsFileReader.loadRuns(path: path).first)
    }

    static let model = #""model": {"layers": 4, "hidden": 1024, "heads": 16, "vocab": 32000, "seq": 2048}"#

    @Test func unstatedFieldsTakeTheDocumentedDefaultsAndSayWhich() throws {
        let run = try Self.run("""
            {"id": "bare", \(Self.model), "cluster": {"preset": "dgx-a100-80gb", "gpus": 8},
             "layout": {"tp": 2, "pp": 1, "dp": 4, "micro_batch": 1, "global_batch": 8}, "reported": {}}
            """)
        let inputs = try RunMapping.inputs(for: run, defaults: RunDefaults(flashAttention: true), cluster: TopologyCatalog.load).get()
        #expect(inputs.recipe.framework == .megatronCore)
        // Megatron-Core with TP 2: sequence parallelism on and the distributed optimizer (ZeRO 1),
        // the profile's defaults; the unstated recomputation is the best of `loom plan` (resolved by
        // the runner, a placeholder here). Each is said in `assumed`.
        #expect(inputs.layout.zero == 1 && inputs.layout.sequenceParallel && inputs.recomputeUnstated)
        #expect(!inputs.microBatchUnstated)
        #expect(inputs.recipe.effectiveFlashAttention)
        #expect(inputs.assumed == ["framework megatron-core", "precision bf16/fp16 mixed",
                                   "recompute: the best of loom plan (unstated)", "zero 1 (megatron-core default)",
                                   "sequence parallel on (megatron-core default)", "flash attention on"])
        // A GELU MLP without head_dim or a parallel block: the Megatron GPT block, ffn = 4h.
        #expect(inputs.model.position == .learned && inputs.model.linearBias && inputs.model.ffn == 4096)
    }

    /// `--flash-attention` is for runs that leave it unstated, but never for Megatron-LM 2021-22
    /// and Megatron-DeepSpeed, whose code had no fused attention: `loom validate --flash-attention`
    /// over both files keeps the 22 runs of 2021-22 as they ran.
    @Test func flashAttentionIsNotAssumedForTheMegatronLMOf2021() throws {
        for (framework, expected) in [("megatron-lm", false), ("megatron-deepspeed", false), ("fsdp", true)] {
            let json = #"{"id": "x", "framework": "FRAMEWORK", "# + Self.model
                + #", "cluster": {"preset": "dgx-a100-80gb", "gpus": 8}, "reported": {}, "#
                + #""layout": {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 8}}"#
            let run = try Self.run(json.replacingOccurrences(of: "FRAMEWORK", with: framework))
            let inputs = try RunMapping.inputs(for: run, defaults: RunDefaults(flashAttention: true),
                                               cluster: TopologyCatalog.load).get()
            #expect(inputs.recipe.effectiveFlashAttention == expected, "\(framework)")
            #expect(inputs.assumed.contains("flash attention \(expected ? "on" : "off")"))
        }
    }

    @Test func statedFieldsAreKept() throws {
        let run = try Self.run("""
            {"id": "stated", "framework": "torchtitan", "precision": "bf16",
             "model": {"layers": 4, "hidden": 1024, "heads": 16, "kv_heads": 4, "ffn": 2816, "vocab": 32000,
                       "seq": 4096, "mlp": "swiglu", "tied_embeddings": false},
             "cluster": {"preset": "dgx-h100", "gpus": 16},
             "layout": {"tp": 2, "pp": 1, "dp": 4, "cp": 2, "fsdp": true, "fsdp_shard_group": 8, "recompute": "full",
                        "sequence_parallel": true, "flash_attention": false, "micro_batch": 2, "global_batch": 32,
                        "gradient_accumulation": 4},
             "reported": {"tokens_per_s": 1}}
            """)
        let inputs = try RunMapping.inputs(for: run, defaults: RunDefaults(flashAttention: true), cluster: TopologyCatalog.load).get()
        let l = inputs.layout
        let r = inputs.recipe
        #expect(r.framework == .torchtitan && l.zero == 3 && l.cp == 2 && r.recompute == .full && l.sequenceParallel)
        #expect(!r.effectiveFlashAttention, "a stated flash_attention wins over --flash-attention")
        #expect(l.microBatch == 2 && l.globalBatch == 32 && l.seq == 4096)
        #expect(inputs.model.kvHeads == 4 && inputs.model.mlp == .swiglu && inputs.model.position == .rotary)
        #expect(inputs.assumed.isEmpty)
    }

    /// A gated MLP maps to a Llama-style block without biases unless the run states them
    /// (GPT-OSS: `qkv_bias` and `linear_bias` true); each is kept as stated, as are `yarn_factor` and `clamped_glu`.
    @Test func statedBiasesOverrideTheGatedDefault() throws {
        let gated = #""model": {"layers": 4, "hidden": 1024, "heads": 16, "vocab": 32000, "seq": 2048, "mlp": "swiglu""#
        let rest = #", "cluster": {"preset": "dgx-h100", "gpus": 8}, "reported": {}, "#
            + #""layout": {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 8, "recompute": "none"}}"#
        for (extra, qkv, linear) in [("", false, false), (#", "qkv_bias": true, "linear_bias": true"#, true, true),
                                     (#", "linear_bias": true"#, false, true)] {
            let run = try Self.run(#"{"id": "b", "# + gated + extra + "}" + rest)
            let model = try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get().model
            #expect(model.qkvBias == qkv && model.linearBias == linear, "\(extra)")
            #expect(model.details.yarnFactor == nil && !model.details.clampedGLU)
        }
        let yarn = try Self.run(#"{"id": "y", "# + gated + #", "yarn_factor": 32, "clamped_glu": true}"# + rest)
        let details = try RunMapping.inputs(for: yarn, cluster: TopologyCatalog.load).get().model.details
        #expect(details.yarnFactor == 32 && details.clampedGLU)
    }

    /// A run's `recipe` object sets recipe fields by key, as `--recipe key=value` does (JSON
    /// booleans and strings alike); a key no field has, or a value the field does not take, refuses
    /// the run with the reason.
    @Test func recipeObjectSetsFieldsByKey() throws {
        let base = #"{"id": "r", "framework": "fsdp", "# + Self.model
            + #", "cluster": {"preset": "dgx-h100", "gpus": 8}, "reported": {}, "#
            + #""layout": {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 8, "recompute": "none"}, "#
        let compiled = try Self.run(base + #""recipe": {"fused_kernels": true, "overlap_grad_reduce": "false"}}"#)
        let recipe = try RunMapping.inputs(for: compiled, cluster: TopologyCatalog.load).get().recipe
        #expect(recipe.effectiveFusedKernels && !recipe.effectiveOverlapGradReduce)
        #expect(recipe.kernels == .fused)
        let plain = try Self.run(base + #""recipe": {}}"#)
        #expect(try RunMapping.inputs(for: plain, cluster: TopologyCatalog.load).get().recipe.kernels == .eager)
        for (bad, reason) in [(#"{"compile": true}"#, "no recipe field compile"),
                              (#"{"fused_kernels": "yes"}"#, "fused_kernels takes true, false")] {
            let run = try Self.run(base + #""recipe": "# + bad + "}")
            guard case let .failure(refusal) = RunMapping.inputs(for: run, cluster: TopologyCatalog.load) else {
                Issue.record("\(bad) was accepted")
                continue
            }
            #expect(refusal.reasons.count == 1 && refusal.reasons[0].contains(reason), "\(refusal.reasons)")
        }
    }

    /// Words as sources print them (`Megatron-Core`, Lightning's `bf16-mixed`, Hugging Face's
    /// `silu`, a system's sales name as the preset) map to Loom's, and the preset's reading is
    /// listed as assumed.
    @Test func sourcesWordsMap() throws {
        let run = try Self.run("""
            {"id": "worded", "framework": "Megatron-Core", "precision": "bf16-mixed",
             "model": {"layers": 4, "hidden": 1024, "heads": 16, "vocab": 32000, "seq": 2048, "mlp": "silu"},
             "cluster": {"preset": "H100 SXM", "gpus": 8},
             "layout": {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 64, "recompute": "uniform"},
             "reported": {"tokens_per_s": 1}}
            """)
        let inputs = try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get()
        #expect(inputs.recipe.framework == .megatronCore && inputs.recipe.precision == .bf16)
        #expect(inputs.model.mlp == .swiglu && inputs.recipe.recompute == .full)
        #expect(inputs.cluster.name == "dgx-h100")
        #expect(inputs.assumed.contains("cluster dgx-h100 for preset 'H100 SXM'"))
    }

    @Test func everyReasonARunCannotBeEvaluatedIsGiven() throws {
        let run = try Self.run("""
            {"id": "future", "framework": "paxml", "precision": "fp6", "finetune": {"method": "prompt-tuning"},
             "model": {"layers": 4, "hidden": 1024, "heads": 16, "vocab": 32000, "seq": 2048, "mlp": "relu3"},
             "cluster": {"preset": "tpu-v9", "gpus": 8},
             "layout": {"tp": 1, "pp": 1, "dp": 8, "zero": 1, "fsdp": true, "fsdp_shard_group": 3, "recompute": "some",
                        "global_batch": 64, "gradient_accumulation": 2},
             "reported": {"tokens_per_s": 1}}
            """)
        let reasons: [String]
        switch RunMapping.inputs(for: run, cluster: TopologyCatalog.load) {
        case .success: Issue.record("must be refused"); return
        case let .failure(refusal): reasons = refusal.reasons
        }
        let expected = ["framework 'paxml' is not modelled", "precision 'fp6' is not one of",
                        "fine-tuning method 'prompt-tuning' is not modelled", "MLP 'relu3' is not known",
                        "recompute 'some' is not one of none, selective, full",
                        "fsdp with zero 1", "fsdp_shard_group 3 does not divide dp x cp = 8",
                        "cluster preset 'tpu-v9'"]
        // An unstated micro-batch is no refusal: the runner takes the best of `loom plan`.
        #expect(reasons.count == expected.count, "\(reasons)")
        for (reason, prefix) in zip(reasons, expected) {
            #expect(reason.hasPrefix(prefix), "\(reason)")
        }
    }

    /// MaxText's 52B configuration on 2 slices of 192 chips (ICI FSDP 192, DCN data parallelism
    /// 2), with its source naming the scripts of one generation (configs/v4 or configs/v5p).
    static func maxText52B(preset: String, scripts: String) -> String {
        """
        {"id": "mt", "framework": "maxtext", "precision": "bf16", "source": "maxtext MaxText/configs/\(scripts)/README.md",
         "model": {"layers": 32, "hidden": 12288, "heads": 32, "kv_heads": 32, "ffn": 49152, "vocab": 32768,
                   "seq": 2048, "mlp": "relu", "tied_embeddings": true, "head_dim": 256, "parallel_block": true},
         "cluster": {"preset": "\(preset)", "gpus": 384},
         "layout": {"tp": 1, "pp": 1, "dp": 384, "zero": 3, "fsdp": true, "fsdp_shard_group": 192,
                    "recompute": "full", "micro_batch": 10, "global_batch": 3840},
         "reported": {"tokens_per_s": 1}}
        """
    }

    /// A MaxText run on two v4 slices (MaxText configs/v4, 2 x v4-384): ICI FSDP 192 per slice,
    /// DCN data parallelism 2. The shard group is the layout's HSDP group, each replica a slice
    /// of 192 chips (4x4x12), activations sharded over TP (none here), remat `full`.
    @Test func maxTextRunsMapToHSDPOnTheirSlices() throws {
        let run = try Self.run(Self.maxText52B(preset: "tpu-v4", scripts: "v4"))
        let inputs = try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get()
        #expect(inputs.layout.shardGroup == 192 && inputs.layout.shardReplicas == 2)
        #expect(inputs.cluster.acceleratorsPerNode == 192)
        #expect(inputs.cluster.torus?.sliceShape(chips: 192) == [4, 4, 12])
        #expect(inputs.recipe.framework == .maxtext && inputs.recipe.effectiveRemat == .full)
        #expect(inputs.recipe.overlapTPComm == nil, "the v4 scripts set no async collective fusion")
        // The v4 scripts set no `--xla_tpu_enable_data_parallel_all_reduce_opt`: the all-reduce of
        // the gradient shards between the two slices follows the backward. By hand: parameters
        // 32 x (4 x 12288 x 8192 + 2 x 12288 x 49152) + 32768 x 12288 = 51,942,260,736 (norm
        // scales add < 0.01%), fp32 gradients sharded over 192 chips: 51,942,260,736 x 4 / 192 =
        // 1,082,130,432 bytes per chip; all-reduced over 2 slices (bus factor 2 (2-1)/2 = 1) at
        // 6.25 GB/s x 0.90 of DCN per chip, plus 2 steps x 10 us: 1.0821e9 / 5.625e9 + 2e-5 =
        // 0.19240 s, all of it exposed whatever the backward's length.
        #expect(inputs.recipe.overlapGradReduce == false)
        let placement = RankPlacement(layout: inputs.layout, gpusPerNode: inputs.cluster.acceleratorsPerNode)
        let tasks = DataParallelTasks(stage: 0, geometry: LayerGeometry(model: inputs.model), model: inputs.model,
                                      cluster: inputs.cluster, layout: inputs.layout, recipe: inputs.recipe.resolved,
                                      placement: placement)
        #expect(abs(tasks.exposedReplicaReduction(backward: 30) / 0.19240 - 1) < 0.001,
                "\(tasks.exposedReplicaReduction(backward: 30)) s")
        // Nor do they pipeline the data-parallel ops across the scanned layers: each layer's
        // weight all-gather and gradient reduce-scatter over the slice's 192 chips run in series
        // with it, all of them exposed however long the passes (FSDP without prefetch). By hand:
        // the 192 chips are a 4x4x12 slice, three closed rings: 6 links x 50 GB/s x 0.89 =
        // 267 GB/s, 2 + 2 + 6 = 10 hops of 1 us, paid by each of the 33 collectives of a pass
        // (32 layers + the root unit). A pass gathers the 16-bit weights,
        // 51,942,260,736 x 2 x 191/192 / 267e9 + 33 x 1e-5 = 0.387384 s; the backward
        // reduce-scatters the fp32 gradients, 51,942,260,736 x 4 x 191/192 / 267e9 + 33 x 1e-5 =
        // 0.774438 s; per micro-batch 2 x 0.387384 + 0.774438 = 1.549206 s exposed (norm scales
        // add < 0.01%).
        #expect(inputs.recipe.overlapParamGather == false)
        #expect(inputs.assumed.contains { $0.hasPrefix("FSDP all-gathers and reduce-scatters in series") })
        let exposed = tasks.shardedExposedPerMicroBatch(forward: 30, backward: 60)
        #expect(abs(exposed / 1.549206 - 1) < 1e-4, "\(exposed) s")
        // The v5p scripts do set them: the defaults (overlapped) stay.
        let v5p = try Self.run(Self.maxText52B(preset: "tpu-v5p", scripts: "v5p"))
        let v5pInputs = try RunMapping.inputs(for: v5p, cluster: TopologyCatalog.load).get()
        #expect(v5pInputs.recipe.overlapGradReduce == nil && v5pInputs.recipe.effectiveOverlapGradReduce)
        #expect(v5pInputs.recipe.overlapParamGather == nil && v5pInputs.recipe.effectiveOverlapParamGather)
    }

    @Test func aLayoutThatDoesNotMatchTheGPUsIsRefusedWithTheConstraint() throws {
        let run = try Self.run("""
            {"id": "wrong-gpus", \(Self.model), "cluster": {"preset": "dgx-a100-80gb", "gpus": 16},
             "layout": {"tp": 2, "pp": 1, "dp": 4, "micro_batch": 1, "global_batch": 8}, "reported": {"tokens_per_s": 1}}
            """)
        guard case let .failure(refusal) = RunMapping.inputs(for: run, cluster: TopologyCatalog.load) else {
            Issue.record("must be refused")
            return
        }
        #expect(refusal.reasons == ["--gpus 16 is not tp x pp x cp x dp = 2 x 1 x 1 x 4 = 8"])
    }

    @Test func nemotronsRelu2IsSquaredReLU() throws {
        let run = try Self.run("""
            {"id": "relu2", "model": {"layers": 4, "hidden": 1024, "heads": 16, "vocab": 32000, "seq": 2048, "mlp": "relu2"},
             "cluster": {"preset": "dgx-a100-80gb", "gpus": 8},
             "layout": {"tp": 1, "pp": 1, "dp": 8, "micro_batch": 1, "global_batch": 8}, "reported": {}}
            """)
        #expect(try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get().model.mlp == .squaredRelu)
    }
}
