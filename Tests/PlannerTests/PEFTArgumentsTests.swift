import CostModel
import Foundation
import Hardware
import Planner
import Testing
import Workloads

/// `--emit peft`: the LoraConfig / BitsAndBytesConfig / TrainingArguments of an estimate, with
/// the module names of the model's Hugging Face family.
@Suite struct PEFTArgumentsTests {
    func document(_ preset: String, _ edit: (inout TrainingRecipe) -> Void,
                  layout: ParallelLayout = ParallelLayout(microBatch: 2, globalBatch: 16, seq: 512),
                  hasBF16: Bool = true) throws -> [String: Any] {
        let model = try ModelCatalog.preset(named: preset)
        var recipe = TrainingRecipe(framework: .fsdp)
        edit(&recipe)
        let estimate = Estimator(model: model, cluster: try TopologyCatalog.load("rtx-4090")).estimate(layout, recipe: recipe)
        let text = PEFTArguments.json(estimate, model: model, hasBF16: hasBF16)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func qloraOnLlama() throws {
        let doc = try document("llama-3.1-8b") {
            $0.fineTuning = FineTuning(method: .qlora, rank: 16, alpha: 32, targets: [.q, .v])
            $0.recompute = .full
            $0.optimizer = .pagedAdam8bit
        }
        let lora = try #require(doc["lora_config"] as? [String: Any])
        #expect(lora["r"] as? Int == 16)
        #expect(lora["lora_alpha"] as? Double == 32)
        #expect(lora["target_modules"] as? [String] == ["q_proj", "v_proj"])
        #expect((doc["bnb_config"] as? [String: Any])?["bnb_4bit_quant_type"] as? String == "nf4")
        let args = try #require(doc["training_arguments"] as? [String: Any])
        #expect(args["per_device_train_batch_size"] as? Int == 2)
        #expect(args["gradient_accumulation_steps"] as? Int == 8)
        #expect(args["gradient_checkpointing"] as? Bool == true)
        #expect(args["optim"] as? String == "paged_adamw_8bit")
        #expect(doc["prepare_model_for_kbit_training"] == nil, "the recipe keeps the unquantised weights in bf16")
        let prepared = try document("llama-3.1-8b") {
            $0.fineTuning = FineTuning(method: .qlora, rank: 16, alpha: 32, targets: [.q, .v])
            $0.fp32UnquantizedWeights = true
        }
        #expect(prepared["prepare_model_for_kbit_training"] as? Bool == true)
        // Double quantisation as the estimate stored the weights: on by default, off when the
        // recipe prices fp32 block constants (4.5 bits).
        #expect((doc["bnb_config"] as? [String: Any])?["bnb_4bit_use_double_quant"] as? Bool == true)
        let single = try document("llama-3.1-8b") {
            $0.fineTuning = FineTuning(method: .qlora, rank: 16, alpha: 32, targets: [.q, .v])
            $0.nf4DoubleQuantisation = false
        }
        #expect((single["bnb_config"] as? [String: Any])?["bnb_4bit_use_double_quant"] as? Bool == false)
    }

    @Test func t5ModuleNamesAndOffload() throws {
        let doc = try document("t0-3b") {
            $0.fineTuning = FineTuning(method: .lora, targets: LoRATarget.allLinear)
            $0.offload = .all
        }
        let lora = try #require(doc["lora_config"] as? [String: Any])
        #expect(lora["target_modules"] as? [String] == ["q", "k", "v", "o", "wi_0", "wi_1", "wo"])
        #expect(lora["task_type"] as? String == "SEQ_2_SEQ_LM")
        let deepspeed = try #require((doc["training_arguments"] as? [String: Any])?["deepspeed"] as? [String: Any])
        let zero = try #require(deepspeed["zero_optimization"] as? [String: Any])
        #expect(zero["stage"] as? Int == 3)
        #expect(zero["offload_param"] != nil)
        // The offloaded step is DeepSpeed's CPU Adam, from the config's optimizer section.
        #expect((deepspeed["optimizer"] as? [String: Any])?["type"] as? String == "AdamW")
    }

    /// A GPU without bf16 (T4, V100) runs the 16-bit plan in fp16: `fp16` mixed precision, and a
    /// pure 16-bit model loaded as float16.
    @Test func aGPUWithoutBF16GetsFP16() throws {
        let mixed = try document("llama-3.2-1b", { $0.fineTuning = FineTuning(method: .lora) }, hasBF16: false)
        let arguments = try #require(mixed["training_arguments"] as? [String: Any])
        #expect(arguments["bf16"] as? Bool == false && arguments["fp16"] as? Bool == true)
        let pure = try document("llama-3.2-1b", { $0.fineTuning = FineTuning(method: .lora); $0.masterWeights = false },
                                hasBF16: false)
        #expect((pure["model_kwargs"] as? [String: Any])?["torch_dtype"] as? String == "float16")
    }

    /// Adam is named as its step is costed: PyTorch's fused AdamW for the fused step, the foreach
    /// one (transformers' `adamw_torch`) for `optimizer_step=per-op`.
    @Test func adamIsNamedAsItsStepIsCosted() throws {
        let fused = try document("llama-3.2-1b") { $0.fineTuning = FineTuning(method: .full) }
        #expect((fused["training_arguments"] as? [String: Any])?["optim"] as? String == "adamw_torch_fused")
        let perOp = try document("llama-3.2-1b") {
            $0.fineTuning = FineTuning(method: .full)
            $0.optimizerStep = .perOp
        }
        #expect((perOp["training_arguments"] as? [String: Any])?["optim"] as? String == "adamw_torch")
    }
}
