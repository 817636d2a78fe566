import CostModel
import Hardware
import Testing
import Workloads

/// Bad fine-tuning input gives one line naming the value and the broken constraint.
@Suite struct FineTuneInputTests {
    func problem(_ model: String, _ edit: (inout TrainingRecipe) -> Void,
                 cluster: ClusterTopology = dgxA100()) throws -> String? {
        var recipe = TrainingRecipe()
        edit(&recipe)
        return FineTuneValidation.problem(recipe: recipe, model: try ModelCatalog.preset(named: model), cluster: cluster)
    }

    @Test func rankZeroAndAboveTheLayerWidthAreRejected() throws {
        let zero = try problem("llama-3.1-8b") { $0.fineTuning = FineTuning(method: .lora, rank: 0) }
        #expect(zero == "--lora-rank 0 must be at least 1")
        let wide = try problem("llama-3.1-8b") { $0.fineTuning = FineTuning(method: .lora, rank: 4097) }
        #expect(wide?.hasPrefix("--lora-rank 4097 is above the layer width 4096") == true, "\(wide ?? "nil")")
        #expect(try problem("llama-3.1-8b") { $0.fineTuning = FineTuning(method: .lora, rank: 4096) } == nil)
    }

    @Test func targetsTheModelLacksAreRejected() throws {
        let gate = try problem("bert-base") { $0.fineTuning = FineTuning(method: .lora, targets: [.q, .gate]) }
        #expect(gate == "--lora-targets gate: bert-base has no gate projection (its MLP is gelu, not gated)")
        #expect(LoRATarget.parse("q,x_proj") == nil)
        #expect(LoRATarget.parse("q_proj,v_proj") == [.q, .v])
    }

    @Test func qloraNeedsWholeQuantisationBlocks() throws {
        var recipe = TrainingRecipe()
        recipe.fineTuning = FineTuning(method: .qlora)
        let odd = TransformerModel(name: "odd", layers: 2, hidden: 96, heads: 2, ffn: 384, mlp: .gelu, vocab: 1000, maxSeq: 128)
        let line = FineTuneValidation.problem(recipe: recipe, model: odd, cluster: dgxA100())
        #expect(line?.hasPrefix("--finetune qlora: odd's hidden size 96 is not a multiple of the NF4 block of 64") == true)
    }

    /// bitsandbytes' optimizers run on the GPU; an offloaded optimizer steps on the CPU.
    @Test func bitsandbytesOptimizersDoNotRunOffloaded() throws {
        for optimizer in [OptimizerKind.adam8bit, .pagedAdam, .pagedAdam8bit] {
            let line = try problem("llama-3.1-8b", { $0.optimizer = optimizer; $0.offload = .optimizer })
            #expect(line?.hasPrefix("--optimizer \(optimizer.rawValue) with --offload optimizer: bitsandbytes' optimizers step on the GPU") == true,
                    "\(line ?? "")")
        }
        #expect(try problem("llama-3.1-8b", { $0.offload = .all }) == nil)
    }

    @Test func offloadNeedsHostMemory() throws {
        var cluster = dgxA100()
        cluster.node.hostMemoryGiB = nil
        let line = try problem("llama-3.1-8b", { $0.offload = .optimizer }, cluster: cluster)
        #expect(line == "--offload optimizer: topology \(cluster.name) states no host memory (node.host_memory_gib) to offload to")
    }

    /// Offload needs the host link it streams over, and fp32 training has no master copy to keep.
    @Test func offloadNeedsAHostLinkAndMastersNeedALowerPrecision() throws {
        var cluster = dgxA100()
        cluster.node.hostLinkGBps = nil
        let line = try problem("llama-3.1-8b", { $0.offload = .all }, cluster: cluster)
        #expect(line == "--offload all: topology \(cluster.name) states no host link bandwidth (node.host_link_gbps)")
        // A paged optimizer's states beyond the free device memory migrate over the link.
        #expect(try problem("llama-3.1-8b", { $0.optimizer = .pagedAdam8bit }, cluster: cluster)
            == "--optimizer paged-adam-8bit: topology \(cluster.name) states no host link bandwidth (node.host_link_gbps)")
        let fp32 = try problem("llama-3.1-8b") { $0.precision = .fp32; $0.masterWeights = true }
        #expect(fp32 == "--master-weights true: fp32 training has no lower-precision copy to keep masters for")
    }
}
