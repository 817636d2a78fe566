import CostModel
import Workloads

/// A plan as MaxText config overrides (`key=value`, as `python3 MaxText/train.py
/// MaxText/configs/base.yml key=value ...` takes them). Every key is one of MaxText's
/// `MaxText/configs/base.yml`: the mesh (`ici_*_parallelism` per slice, `dcn_*_parallelism`
/// across slices, `JAXMesh`), `per_device_batch_size` (sequences per chip per micro-batch, TP
/// and sequence ranks included, so it may be fractional), `gradient_accumulation_steps`,
/// `max_target_length`, `remat_policy`, `attention`, `use_iota_embed` (when the recipe sets
/// `iota_embedding`), and the decoder shape (`base_emb_dim`,
/// `base_num_query_heads`, `base_num_kv_heads`, `base_mlp_dim`, `base_num_decoder_layers`,
/// `head_dim`, `vocab_size`).
public enum MaxTextArguments {
    /// What the emitter needs beyond the model: the mesh, the batch and the remat policy.
    public struct Inputs: Sendable, Hashable {
        public var mesh: JAXMesh
        public var microBatch: Int
        public var globalBatch: Int
        public var seq: Int
        public var remat: RematPolicy
        public var flashAttention: Bool
        /// The input embedding as a one-hot by table matmul (`use_iota_embed`, recipe
        /// `iota_embedding`); false = base.yml's gather.
        public var iotaEmbedding: Bool

        public init(mesh: JAXMesh, microBatch: Int, globalBatch: Int, seq: Int, remat: RematPolicy, flashAttention: Bool,
                    iotaEmbedding: Bool = false) {
            self.mesh = mesh
            self.microBatch = microBatch
            self.globalBatch = globalBatch
            self.seq = seq
            self.remat = remat
            self.flashAttention = flashAttention
            self.iotaEmbedding = iotaEmbedding
        }
    }

    /// (key, value) pairs in emission order.
    public static func keys(_ inputs: Inputs, model: TransformerModel) -> [(String, String)] {
        let mesh = inputs.mesh
        let chips = mesh.chipsPerSlice * mesh.slices
        // Each replica of the tensor x sequence group runs `microBatch` sequences per
        // micro-batch; MaxText counts them per chip.
        let replicas = mesh.data.total * mesh.fsdp.total * mesh.expert.total
        let perStep = inputs.microBatch * replicas
        let accumulation = max(inputs.globalBatch / max(perStep, 1), 1)
        let perDevice = Double(perStep) / Double(max(chips, 1))
        var out: [(String, String)] = mesh.configKeys.map { ($0.0, String($0.1)) }
        out += [("per_device_batch_size", format(perDevice)),
                ("gradient_accumulation_steps", String(accumulation)),
                ("max_target_length", String(inputs.seq)),
                ("remat_policy", inputs.remat.rawValue),
                ("attention", inputs.flashAttention ? "flash" : "dot_product"),
                ("base_emb_dim", String(model.hidden)),
                ("base_num_query_heads", String(model.heads)),
                ("base_num_kv_heads", String(model.kvHeads)),
                ("base_mlp_dim", String(model.ffn)),
                ("base_num_decoder_layers", String(model.layers)),
                ("head_dim", String(model.headDim)),
                ("vocab_size", String(model.vocab))]
        if inputs.iotaEmbedding { out.append(("use_iota_embed", "true")) }
        out += blockKeys(model)
        return out
    }

    /// The decoder block and its details for the families MaxText has a block for
    /// (`configs/models/*.yml`: decoder_block, rope_max_timescale, normalization_layer_epsilon,
    /// logits_via_embedding), and the experts of an MoE model (`num_experts`,
    /// `num_experts_per_tok`, `base_moe_mlp_dim`): without them base.yml builds a dense
    /// Llama-2 block. Other families keep base.yml's block.
    static func blockKeys(_ model: TransformerModel) -> [(String, String)] {
        let blocks = [("llama", "llama2"), ("mistral", "mistral"), ("mixtral", "mixtral")]
        var out: [(String, String)] = []
        if let block = blocks.first(where: { model.name.lowercased().hasPrefix($0.0) })?.1 {
            out += [("decoder_block", block), ("rope_max_timescale", ModelFamilyFacts.ropeBase(model)),
                    ("normalization_layer_epsilon", ModelFamilyFacts.normEpsilon(model)),
                    ("logits_via_embedding", model.tiedEmbeddings ? "true" : "false")]
        }
        if let moe = model.moe {
            out += [("num_experts", String(moe.experts)), ("num_experts_per_tok", String(moe.expertsPerToken)),
                    ("base_moe_mlp_dim", String(moe.expertFFN))]
        }
        return out
    }

    /// The inputs for a plan on `slices` TPU slices (1 off a torus); nil when the layout has no
    /// MaxText mesh: MaxText shards weights, gradients and optimizer state together over its fsdp
    /// and sequence axes (ZeRO-3) or replicates them on the data axis (ZeRO-0, which context
    /// parallelism's sequence axis rules out); base.yml has no ZeRO-1 or -2.
    public static func inputs(for plan: Estimate, slices: Int) -> Inputs? {
        let l = plan.layout
        guard let shardRanks = JAXMesh.shardRanks(zero: l.zero, dp: l.dp, cp: l.cp, shardGroup: l.shardGroup),
              let mesh = JAXMesh(tp: l.tp, cp: l.cp, dp: l.dp, ep: l.ep, fsdp: shardRanks,
                                 slices: slices, pp: l.pp) else { return nil }
        let remat = plan.recipe.remat ?? {
            switch plan.recipe.recompute {
            case .none: return RematPolicy.none
            case .selective: return .minimal
            case .full: return .full
            }
        }()
        return Inputs(mesh: mesh, microBatch: l.microBatch, globalBatch: l.globalBatch, seq: l.seq, remat: remat,
                      flashAttention: l.flashAttention, iotaEmbedding: plan.recipe.recipe.iotaEmbedding == true)
    }

    /// The one line for a plan `inputs(for:slices:)` has no mesh for (`unit`: "slice" on a TPU
    /// torus, "node" on GPUs, where one node is one slice).
    public static func noMeshMessage(_ plan: Estimate, slices: Int, unit: String) -> String {
        let l = plan.layout
        return "--emit maxtext: the plan's zero \(l.zero), dp \(l.dp), cp \(l.cp), shard group \(l.shardGroup ?? l.dp * l.cp) "
            + "has no MaxText mesh on \(slices) \(unit)(s) (MaxText shards over its fsdp and sequence axes, ZeRO 3, "
            + "or replicates, ZeRO 0 without cp; the fsdp axis whole within or across them)"
    }

    /// The overrides as one command-line fragment.
    public static func text(_ inputs: Inputs, model: TransformerModel) -> String {
        keys(inputs, model: model).map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }

    /// An integer without a fraction, else the shortest decimal (`0.5`).
    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
