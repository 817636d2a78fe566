import CostModel
import Hardware
import Testing
import Workloads
@testable import Planner

/// PaLM (Chowdhery et al. 2022) on TPU v4: the 540B model on 6,144 chips, two pods of 3,072
/// (12x16x16) joined over DCN (section 4); per pod 12-way tensor x 256-way fully sharded data
/// parallelism, 2-way data parallelism between the pods, no pipeline; sequence 2,048, global
/// batch 2,048 (the final batch size, section 5); multi-query attention over one K/V head, a
/// parallel block, weights all-gathered per layer, rematerialisation keeping one activation per
/// layer. Published: 238.3k tokens/s, MFU 46.2% and HFU 57.8% (Table 3 and section 4.1).
@Suite struct PaLMTests {
    static func job(_ gpus: Int) throws -> (TransformerModel, ClusterTopology) {
        let cluster = try TopologyCatalog.load("tpu-v4")
        let slices = try #require(try cluster.torusSlices(gpus: gpus))
        return (try ModelCatalog.load("palm-540b"), cluster.restricted(to: slices))
    }

    static let published = ParallelLayout(tp: 12, dp: 512, zero: 3, sequenceParallel: true, microBatch: 4,
                                          globalBatch: 2048, seq: 2048, shardGroup: 256)
    /// PaLM's own recipe beside MaxText's sharding: attention materialises the s x s scores (the
    /// paper, April 2022, predates FlashAttention, Dao et al., May 2022: the rule Loom applies to
    /// the 2021-22 Megatron runs), the cross-pod gradient transfer is not overlapped with the
    /// backward pass (section 4: "the transfer does not start until each core finishes computing
    /// the gradients"; the gap to 2x "is due to a lack of overlap between the backward pass and
    /// the cross-pod gradient reduction"), and the per-layer all-gathers of the weights over the
    /// 256-way data axis (section 4: "during the forward pass, weights are all-gathered over the
    /// data parallel axis") and the reduce-scatters of their gradients run in series with the
    /// layers, not prefetched behind the previous layer (`overlapParamGather: false`). The last is
    /// inferred, not stated: (1) it is how MaxText's own v4 scripts of early 2023 run (the same
    /// chips and compiler line; without LIBTPU's pipelining of data-parallel ops across the scanned
    /// layers, `RunMapping`), and with it Loom reproduces MaxText's v4 table within 2.3% mean
    /// |error| (`loom validate`; 6.3% with the collectives hidden); (2) the paper chose full
    /// rematerialisation "because this results in higher training throughput at larger batch
    /// sizes, compared to alternative recomputation choices": with the collectives hidden Loom
    /// finds the alternative (MaxText's `minimal` policy at micro-batch 2, which fits) 16% faster
    /// than full rematerialisation at micro-batch 4 (13.43 s vs 15.58 s per step), with them in
    /// series 2% (17.26 s vs 17.56 s), since each micro-batch pays the weight gathers again.
    static let palmRecipe = TrainingRecipe(framework: .maxtext, flashAttention: false, overlapGradReduce: false,
                                           overlapParamGather: false)
    static let recipe = TrainingRecipe(framework: .maxtext, recompute: .full, flashAttention: false,
                                       overlapGradReduce: false, overlapParamGather: false)

    /// The preset against the paper's Table 1 and section 2.
    @Test func presetMatchesThePaper() throws {
        let m = try ModelCatalog.load("palm-540b")
        #expect(m.layers == 118 && m.hidden == 18432 && m.heads == 48 && m.headDim == 256)
        #expect(m.kvHeads == 1 && m.ffn == 73728 && m.mlp == .swiglu && m.parallelBlock)
        #expect(m.vocab == 256_000 && m.tiedEmbeddings && !m.qkvBias && !m.linearBias)
    }

    /// The published layout is valid for MaxText-style sharding (12-way TP over one K/V head),
    /// refused for Megatron's (TP must divide the K/V heads), and the two pods are two slices.
    @Test func publishedLayoutIsValid() throws {
        let (model, cluster) = try Self.job(6144)
        #expect(cluster.acceleratorsPerNode == 3072)
        try LayoutValidation.check(Self.published, recipe: Self.recipe, model: model, cluster: cluster, gpus: 6144)
        #expect(throws: LayoutError("--tp 12 does not divide 1 key/value heads")) {
            try LayoutValidation.check(Self.published, recipe: TrainingRecipe(framework: .megatronCore, recompute: .full),
                                       model: model, cluster: cluster, gpus: 6144)
        }
    }

    /// MFU and HFU within 5% (relative) of the published 46.2% and 57.8%: Loom predicts 46.4% and
    /// 57.8% (239.0k tokens/s against 238.3k). The TPU constants are datasheet and microbenchmark
    /// values (matmul 0.85 of peak from the Pallas TPU guide), not fitted to PaLM; what moved the
    /// prediction from 51.8% / 64.6% is the recipe's FSDP collectives in series with the layers
    /// (`palmRecipe`). The share of rematerialised work, HFU / MFU = 57.8 / 46.2 = 1.251, holds too.
    @Test func publishedLayoutMatchesThePaper() throws {
        let (model, cluster) = try Self.job(6144)
        let estimate = Estimator(model: model, cluster: cluster).estimate(Self.published, recipe: Self.recipe)
        #expect(estimate.fits)
        #expect(abs(estimate.hfu / estimate.mfu / (0.578 / 0.462) - 1) < 0.05, "HFU/MFU \(estimate.hfu / estimate.mfu)")
        #expect(abs(estimate.mfu / 0.462 - 1) < 0.05, "MFU \(estimate.mfu)")
        #expect(abs(estimate.hfu / 0.578 - 1) < 0.05, "HFU \(estimate.hfu)")
        // Without the recipe's serial FSDP collectives the old prediction comes back: 12% fast.
        var hidden = Self.recipe
        hidden.overlapParamGather = nil
        let overlapped = Estimator(model: model, cluster: cluster).estimate(Self.published, recipe: hidden)
        #expect(overlapped.mfu / 0.462 - 1 > 0.10, "MFU \(overlapped.mfu)")
    }

    /// `loom plan` on 6,144 chips (MaxText framework with PaLM's recipe, no layout dimension fixed) finds a layout at least
    /// as fast as the published one, and the published one ranks in the top 10% of the fitting
    /// layouts (547th of 94,376; the best, 260k tokens/s against 239k, pipelines over 24 stages
    /// with TP 16 and ZeRO 2, which pays no per-layer weight gathers).
    @Test func planFindsAtLeastThePublishedLayout() async throws {
        let (model, cluster) = try Self.job(6144)
        let planner = Planner(model: model, cluster: cluster)
        let request = PlanRequest(gpus: 6144, globalBatch: 2048, seq: 2048,
                                  constraints: PlanConstraints(recipe: Self.palmRecipe), top: 3)
        let result = try await planner.plan(request)
        let best = try #require(result.plans.first)
        let published = planner.estimator.evaluate(Self.published, recipe: Self.recipe).tokensPerSecond
        #expect(best.tokensPerS >= published)
        let rank = try await planner.rank(of: Self.published, recipe: Self.recipe, in: request)
        print("PaLM 540B on 6,144 v4 chips: best \(best.tokensPerS) tokens/s, published \(published); published ranks "
              + "\(rank.better + 1) of \(rank.fitting)")
        #expect(rank.fitting > 0 && rank.fraction <= 0.10, "ranks \(rank.better + 1) of \(rank.fitting)")
    }

    /// PaLM 8B and 62B (Table 1) plan on TPU v4 without error.
    @Test(arguments: [("palm-8b", 512, 512), ("palm-62b", 1024, 1024)])
    func smallerPaLMsPlan(name: String, chips: Int, batch: Int) async throws {
        let cluster = try TopologyCatalog.load("tpu-v4")
        let slices = try #require(try cluster.torusSlices(gpus: chips))
        let planner = Planner(model: try ModelCatalog.load(name), cluster: cluster.restricted(to: slices))
        let request = PlanRequest(gpus: chips, globalBatch: batch, seq: 2048,
                                  constraints: PlanConstraints(recipe: TrainingRecipe(framework: .maxtext)), top: 1)
        let best = try #require(try await planner.plan(request).plans.first)
        #expect(best.fits && best.mfu > 0 && best.mfu < 1)
    }
}
