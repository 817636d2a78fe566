import Hardware
import Workloads

/// The constraints of the training method and memory savers: one line naming the value and the
/// broken constraint (`LayoutValidation.check` raises it).
public enum FineTuneValidation {
    public static func problem(recipe: TrainingRecipe, model: TransformerModel, cluster: ClusterTopology) -> String? {
        let tuning = recipe.fineTuning
        if tuning.method.usesAdapters {
            let width = min(model.hidden, model.heads * model.valueHeadDim)
            if tuning.rank < 1 { return "--lora-rank \(tuning.rank) must be at least 1" }
            if tuning.rank > width {
                return "--lora-rank \(tuning.rank) is above the layer width \(width) of \(model.name) (a rank-r adapter needs r <= min(in, out))"
            }
            if !(tuning.alpha > 0) || !tuning.alpha.isFinite { return "--lora-alpha \(tuning.alpha) must be a positive number" }
            if tuning.targets.isEmpty { return "--lora-targets names no layer" }
            if let dropout = tuning.dropout, !(dropout >= 0 && dropout < 1) {
                return "--lora-dropout \(dropout) must be at least 0 and below 1 (a dropout probability)"
            }
            if tuning.targets.contains(.gate) && !model.mlp.isGated && tuning.targets != LoRATarget.allLinear {
                return "--lora-targets gate: \(model.name) has no gate projection (its MLP is \(model.mlp.rawValue), not gated)"
            }
        }
        if tuning.method == .qlora {
            let block = Int(CostModelConstants.nf4BlockSize)
            if model.hidden % block != 0 {
                return "--finetune qlora: \(model.name)'s hidden size \(model.hidden) is not a multiple of the NF4 block of \(block) weights, so its weight matrices do not split into quantisation blocks"
            }
        }
        if recipe.fp32UnquantizedWeights == true && tuning.method != .qlora {
            return "--recipe fp32_unquantized_weights=true needs --finetune qlora (got --finetune \(tuning.method.rawValue)): only a 4-bit model has weights left unquantised to upcast"
        }
        if tuning.method != .qlora {
            // The NF4 storage knobs describe a 4-bit model's weights (no array: checked per candidate).
            func nf4Problem(_ key: String, _ value: Bool?) -> String? {
                value.map { "--recipe \(key)=\($0) needs --finetune qlora (got --finetune \(tuning.method.rawValue)): only a 4-bit model stores NF4 weights" }
            }
            if let problem = nf4Problem("nf4_double_quantisation", recipe.nf4DoubleQuantisation)
                ?? nf4Problem("quantised_output_layer", recipe.quantisedOutputLayer)
                ?? nf4Problem("dequantisation_cast", recipe.dequantisationCast) {
                return problem
            }
        }
        if recipe.offload != .none && (recipe.optimizer.isPaged || recipe.optimizer == .adam8bit) {
            // bitsandbytes' optimizers are CUDA kernels over GPU states; an offloaded optimizer
            // steps on the CPU (DeepSpeed's DeepSpeedCPUAdam, which ZeRO-Offload requires; FSDP
            // CPUOffload's parameters on the host).
            return "--optimizer \(recipe.optimizer.rawValue) with --offload \(recipe.offload.rawValue): bitsandbytes' optimizers step on the GPU and an offloaded optimizer steps on the CPU (DeepSpeed's CPU Adam, FSDP CPU offload); use --optimizer adam"
        }
        if recipe.offload != .none || recipe.optimizer.isPaged || recipe.activationOffload == true {
            let flag = recipe.offload != .none ? "--offload \(recipe.offload.rawValue)"
                : recipe.optimizer.isPaged ? "--optimizer \(recipe.optimizer.rawValue)" : "--recipe activation_offload=true"
            guard let memory = cluster.node.hostMemoryGiB, memory > 0 else {
                return "\(flag): topology \(cluster.name) states no host memory (node.host_memory_gib) to offload to"
            }
            // A paged optimizer's states migrate over the link (`OffloadTime.pagedStateMigrationSeconds`).
            if (cluster.node.hostLinkGBps ?? 0) <= 0 {
                return "\(flag): topology \(cluster.name) states no host link bandwidth (node.host_link_gbps)"
            }
        }
        if let problem = SixteenBitOptimizerState.problem(recipe: recipe) { return problem }
        if recipe.masterWeights == true && recipe.precision == .fp32 {
            return "--master-weights true: fp32 training has no lower-precision copy to keep masters for"
        }
        return nil
    }
}
