import CostModel
import Hardware
import Testing
import Workloads
@testable import Planner

/// `loom plan --emit maxtext`: every key is one of MaxText's `MaxText/configs/base.yml`
/// (AI-Hypercomputer/maxtext; the mesh keys as that file lists them: dcn_/ici_ data, fsdp,
/// sequence, tensor parallelism; per_device_batch_size, max_target_length, remat_policy,
/// attention, base_emb_dim, base_num_query_heads, base_num_kv_heads, base_mlp_dim,
/// base_num_decoder_layers, head_dim, vocab_size; gradient_accumulation_steps in later versions).
@Suite struct MaxTextArgumentsTests {
    static let baseYMLKeys: Set<String> = [
        "dcn_data_parallelism", "dcn_fsdp_parallelism", "dcn_sequence_parallelism", "dcn_tensor_parallelism",
        "ici_data_parallelism", "ici_fsdp_parallelism", "ici_sequence_parallelism", "ici_tensor_parallelism",
        "per_device_batch_size", "gradient_accumulation_steps", "max_target_length", "remat_policy", "attention",
        "base_emb_dim", "base_num_query_heads", "base_num_kv_heads", "base_mlp_dim", "base_num_decoder_layers",
        "head_dim", "vocab_size", "decoder_block", "rope_max_timescale", "normalization_layer_epsilon",
        "logits_via_embedding", "num_experts", "num_experts_per_tok", "base_moe_mlp_dim", "use_iota_embed",
    ]

    /// PaLM's layout: 2 slices, 12-way tensor x 256-way fsdp per slice, global batch 2,048 on
    /// 6,144 chips = 1/3 sequence per chip, full remat.
    @Test func palmAsMaxTextOverrides() throws {
        let model = try ModelCatalog.load("palm-540b")
        let mesh = try #require(JAXMesh(tp: 12, cp: 1, dp: 512, ep: 1, fsdp: 256, slices: 2))
        let inputs = MaxTextArguments.Inputs(mesh: mesh, microBatch: 4, globalBatch: 2048, seq: 2048, remat: .full,
                                             flashAttention: true)
        let keys = MaxTextArguments.keys(inputs, model: model)
        #expect(Set(keys.map(\.0)).isSubset(of: Self.baseYMLKeys))
        let values = Dictionary(uniqueKeysWithValues: keys)
        #expect(values["dcn_data_parallelism"] == "2" && values["ici_fsdp_parallelism"] == "256")
        #expect(values["ici_tensor_parallelism"] == "12" && values["ici_data_parallelism"] == "1")
        #expect(values["per_device_batch_size"] == String(1.0 / 3.0))
        #expect(values["gradient_accumulation_steps"] == "1" && values["remat_policy"] == "full")
        #expect(values["base_num_kv_heads"] == "1" && values["head_dim"] == "256")
    }

    /// The recipe's `iota_embedding` (MaxText's `use_iota_embed`, which the v5p scripts at 76bd53b0
    /// pass as use_iota_embed=true) is emitted only when set.
    @Test func iotaEmbeddingIsEmittedWhenSet() throws {
        let model = try ModelCatalog.load("llama-3.1-8b")
        let mesh = try #require(JAXMesh(tp: 1, cp: 1, dp: 64, ep: 1, fsdp: 64, slices: 1))
        let plain = MaxTextArguments.Inputs(mesh: mesh, microBatch: 1, globalBatch: 64, seq: 2048, remat: .full,
                                            flashAttention: true)
        #expect(!MaxTextArguments.keys(plain, model: model).contains { $0.0 == "use_iota_embed" })
        var iota = plain
        iota.iotaEmbedding = true
        let keys = MaxTextArguments.keys(iota, model: model)
        #expect(Set(keys.map(\.0)).isSubset(of: Self.baseYMLKeys))
        #expect(Dictionary(uniqueKeysWithValues: keys)["use_iota_embed"] == "true")
    }

    /// The planner searches MaxText's remat policies under maxtext (8, decoders.py), Megatron's
    /// three recomputation policies otherwise, and only the one given.
    @Test func rematPoliciesAreSearched() {
        let maxtext = PlanConstraints(recipe: TrainingRecipe(framework: .maxtext)).recipeVariants
        #expect(maxtext.compactMap(\.remat) == RematPolicy.allCases)
        #expect(maxtext.first { $0.remat == .saveQKVProj }?.recompute == .selective)
        let megatron = PlanConstraints().recipeVariants
        #expect(megatron.map(\.recompute) == Recompute.allCases && megatron.allSatisfy { $0.remat == nil })
        #expect(PlanConstraints(recompute: .full, recipe: TrainingRecipe(framework: .maxtext)).recipeVariants.count == 1)
    }

    /// Under maxtext the planner keeps only layouts MaxText can run (ZeRO-3, or ZeRO-0 without
    /// context parallelism), so every plan it returns has a mesh for `--emit maxtext`.
    @Test func plansUnderMaxTextHaveAMesh() throws {
        let model = try ModelCatalog.load("llama-3.1-8b")
        var cluster = try TopologyCatalog.load("tpu-v5p")
        cluster = cluster.restricted(to: try #require(try cluster.torusSlices(gpus: 64)))
        let request = PlanRequest(gpus: 64, globalBatch: 64, seq: 8192,
                                  constraints: PlanConstraints(recipe: TrainingRecipe(framework: .maxtext)), top: 200)
        let result = try Planner(model: model, cluster: cluster).planSynchronously(request)
        #expect(result.plans.count > 10)
        #expect(result.plans.contains { $0.layout.cp > 1 })
        for plan in result.plans {
            #expect(plan.layout.zero == 3 || (plan.layout.zero == 0 && plan.layout.cp == 1), "\(plan.layout)")
            #expect(MaxTextArguments.inputs(for: plan, slices: 1) != nil, "\(plan.layout)")
        }
    }

    /// MaxText's 2 x v4-128 22B run (configs/2xv4-128.sh: dcn_data_parallelism=2,
    /// ici_fsdp_parallelism=64, per_device_batch_size=16, remat_policy=full), from Loom's layout:
    /// dp 128 with shard group 64, micro-batch 16 per replica, global batch 2,048.
    @Test func maxText22BRun() throws {
        let model = try ModelCatalog.load("palm-8b")
        let mesh = try #require(JAXMesh(tp: 1, cp: 1, dp: 128, ep: 1, fsdp: 64, slices: 2))
        let keys = Dictionary(uniqueKeysWithValues: MaxTextArguments.keys(
            .init(mesh: mesh, microBatch: 16, globalBatch: 2048, seq: 2048, remat: .full, flashAttention: true), model: model))
        #expect(keys["dcn_data_parallelism"] == "2" && keys["ici_fsdp_parallelism"] == "64")
        #expect(keys["per_device_batch_size"] == "16" && keys["remat_policy"] == "full")
    }
}
