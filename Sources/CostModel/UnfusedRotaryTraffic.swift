import Hardware

/// Rotary embedding under YaRN's attention factor in Megatron-Core. YaRN scales the rotary
/// cosines and sines by `0.1 ln f + 1` (GPT-OSS: f = 32, 1.3466; Megatron-Bridge's GPT-OSS bridge
/// sets `position_embedding_type = "yarn"`, `yarn_rotary_scaling_factor = 32.0`, `yarn_mscale =
/// None`), and Megatron-Core's `apply_rotary_pos_emb` hands that factor (`mscale`) to the fused
/// Transformer Engine kernel only when it is 1: otherwise it warns "mscale=... is not supported by
/// TE's fused RoPE. Using unfused implementation." and runs `_apply_rotary_pos_emb_bshd`, five
/// eager PyTorch ops on Q and on K (megatron/core/models/common/embeddings/rope_utils.py
/// @0d8e0714 .. @cd4afffa; attention.py passes `_yarn_get_concentration_factor_from_config`).
/// Those ops move `CostModelConstants.unfusedRotaryForwardBytes` per element of Q and K forward
/// and `unfusedRotaryBackwardBytes` backward, in place of the fused kernel's one read and write.
/// DeepSeek-V3's YaRN (`mscale` = `mscale_all_dim`) has factor 1 and keeps the fused kernel.
enum UnfusedRotaryTraffic {
    /// Whether this layer's rotary embedding runs the eager path.
    static func applies(geometry g: LayerGeometry, recipe: TrainingRecipe) -> Bool {
        g.rotary && g.ropeAttentionFactor != 1 && recipe.framework.profile.fusedRotaryTakesNoAttentionFactor
    }

    /// Forward and backward seconds for `elements` of Q and K on one GPU.
    static func seconds(elements: Double, accelerator: Accelerator) -> (forward: Double, backward: Double) {
        (MatmulTime.memoryBoundSeconds(bytes: CostModelConstants.unfusedRotaryForwardBytes * elements, accelerator: accelerator),
         MatmulTime.memoryBoundSeconds(bytes: CostModelConstants.unfusedRotaryBackwardBytes * elements, accelerator: accelerator))
    }
}
