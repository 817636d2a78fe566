import Foundation
import Testing
@testable import CostModel

/// `TrainingRecipe.fields` describes each recipe field once; the JSON echo is generated from it.
@Suite struct RecipeFieldsTests {
    func echoJSON(_ recipe: TrainingRecipe) throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(RecipeEcho(recipe))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The echo has one key per field, with the resolved values: Megatron-LM's defaults written
    /// out (no flash attention, no overlap, fp32 master weights for bf16); no JAX remat policy, no
    /// packing, no chunked loss, no per-op optimizer step and no fused grouped MLP (omitted when unset).
    @Test func echoHasOneKeyPerField() throws {
        let json = try echoJSON(TrainingRecipe(framework: .megatronLM, optimizer: .sgd))
        #expect(Set(json.keys) == Set(TrainingRecipe.fields.map(\.key)).subtracting(["remat", "packed_document_tokens", "loss_output_chunks", "optimizer_state_dtype", "iota_embedding", "gradient_reduce_dtype", "backward_prefetch", "optimizer_step", "fused_grouped_mlp", "fp8_attention", "recompute_modules", "fp32_unquantized_weights", "fp32_logits_loss", "activation_offload", "cut_cross_entropy", "quantised_linears_keep_inputs", "nf4_double_quantisation", "quantised_output_layer", "dequantisation_cast", "stray_embedding_gradient", "fused_qkv_adapter", "previous_graph_held", "fused_qkv_projection"]))
        var packed = TrainingRecipe()
        packed.packedDocumentTokens = 180
        #expect(try echoJSON(packed)["packed_document_tokens"] as? Int == 180)
        packed.lossOutputChunks = 8
        #expect(try echoJSON(packed)["loss_output_chunks"] as? Int == 8)
        packed.optimizerStateDtype = .bf16
        #expect(try echoJSON(packed)["optimizer_state_dtype"] as? String == "bf16")
        packed.gradientReduceDtype = .fp32
        #expect(try echoJSON(packed)["gradient_reduce_dtype"] as? String == "fp32")
        packed.backwardPrefetch = .post
        #expect(try echoJSON(packed)["backward_prefetch"] as? String == "post")
        packed.fusedGroupedMLP = true
        #expect(try echoJSON(packed)["fused_grouped_mlp"] as? Bool == true)
        packed.fp8Attention = true
        #expect(try echoJSON(packed)["fp8_attention"] as? Bool == true)
        packed.recomputeModules = [.layernorm, .moeAct]
        #expect(try echoJSON(packed)["recompute_modules"] as? [String] == ["layernorm", "moe_act"])
        packed.fp32UnquantizedWeights = true
        #expect(try echoJSON(packed)["fp32_unquantized_weights"] as? Bool == true)
        packed.fp32LogitsLoss = true
        #expect(try echoJSON(packed)["fp32_logits_loss"] as? Bool == true)
        packed.activationOffload = true
        packed.cutCrossEntropy = true
        #expect(try echoJSON(packed)["activation_offload"] as? Bool == true)
        #expect(try echoJSON(packed)["cut_cross_entropy"] as? Bool == true)
        #expect(Set(json.keys) == ["framework", "precision", "optimizer", "fine_tuning", "master_weights", "offload",
                                   "optimizer_in_backward", "recompute", "flash_attention", "fused_kernels", "overlap_grad_reduce",
                                   "overlap_param_gather", "overlap_tp_comm", "overlap_ep_comm"])
        #expect(json["framework"] as? String == "megatron-lm" && json["optimizer"] as? String == "sgd")
        #expect(json["precision"] as? String == "bf16" && json["recompute"] as? String == "none")
        #expect(json["flash_attention"] as? Bool == false && json["overlap_grad_reduce"] as? Bool == false)
        #expect(json["fused_kernels"] as? Bool == true)
        #expect(json["master_weights"] as? Bool == true && json["offload"] as? String == "none")
        #expect((json["fine_tuning"] as? [String: Any])?["method"] as? String == "full")
        // MaxText: the remat policy --recompute selective stands for.
        let maxtext = try echoJSON(TrainingRecipe(framework: .maxtext, recompute: .selective))
        #expect(maxtext["remat"] as? String == "minimal")
    }

    /// Decoding the echo gives back the resolved recipe, with or without snake-case conversion.
    @Test func echoRoundTrips() throws {
        let recipe = TrainingRecipe(framework: .torchtitan, precision: .fp8, optimizer: .adam8bit, recompute: .full,
                                    flashAttention: false, overlapTPComm: true)
        let data = try JSONEncoder().encode(RecipeEcho(recipe))
        #expect(try JSONDecoder().decode(RecipeEcho.self, from: data) == RecipeEcho(recipe))
        let snake = JSONDecoder()
        snake.keyDecodingStrategy = .convertFromSnakeCase
        #expect(try snake.decode(RecipeEcho.self, from: data).recipe == recipe.resolved)
        let bad = Data(#"{"framework": "jax"}"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RecipeEcho.self, from: bad) }
    }

    /// Fields set from text as the command line gives them; unknown values are refused.
    @Test func fieldsParseTheirValues() throws {
        var recipe = TrainingRecipe()
        let precision = try #require(TrainingRecipe.field("precision"))
        #expect(precision.parse(&recipe, "fp8") && recipe.precision == .fp8)
        #expect(!precision.parse(&recipe, "int3") && recipe.precision == .fp8)
        let overlap = try #require(TrainingRecipe.field("overlap_tp_comm"))
        #expect(overlap.flag == "overlap-tp-comm")
        #expect(overlap.parse(&recipe, "true") && recipe.overlapTPComm == true)
        let tuning = try #require(TrainingRecipe.field("fine_tuning"))
        #expect(tuning.flag == "finetune" && tuning.parse(&recipe, "lora") && recipe.fineTuning.method == .lora)
        #expect(TrainingRecipe(framework: .fsdp, optimizer: .sgd).summary == "fsdp, bf16, sgd")
    }

    /// Command-line assignments reach every field by its key or its flag's name; one field given
    /// two different values, an unknown key, a value the field does not take and text that is
    /// not key=value are refused with one line naming them.
    @Test func assignmentsFromTheCommandLine() throws {
        let named = RecipeAssignment(key: "precision", value: "fp8", source: "--precision fp8")
        var recipe = TrainingRecipe()
        try recipe.apply([named, try RecipeAssignment(recipeOption: "flash-attention=false"),
                          try RecipeAssignment(recipeOption: "remat-policy=minimal"),
                          try RecipeAssignment(recipeOption: "precision=fp8")])
        #expect(recipe.precision == .fp8 && recipe.flashAttention == false && recipe.remat == .minimal)
        var twice = TrainingRecipe()
        #expect(throws: LayoutError("--recipe precision=bf16 sets precision, which --precision fp8 already sets")) {
            try twice.apply([named, try RecipeAssignment(recipeOption: "precision=bf16")])
        }
        let flag = RecipeAssignment(key: "flash_attention", value: "true", source: "--flash-attention")
        #expect(throws: LayoutError("--recipe flash-attention=false sets flash_attention, which --flash-attention already sets")) {
            try twice.apply([flag, try RecipeAssignment(recipeOption: "flash-attention=false")])
        }
        #expect(throws: LayoutError("--recipe precision=int3: precision takes fp32, bf16, fp16, fp8, mxfp8, nvfp4")) {
            try twice.apply([try RecipeAssignment(recipeOption: "precision=int3")])
        }
        let unknown = #expect(throws: LayoutError.self) { try twice.apply([try RecipeAssignment(recipeOption: "precison=fp8")]) }
        #expect(unknown?.description.hasPrefix("--recipe precison=fp8: no recipe field precison (fields: framework, precision,") == true)
        #expect(throws: LayoutError("--recipe precision is not key=value (for example --recipe precision=fp8)")) {
            _ = try RecipeAssignment(recipeOption: "precision")
        }
    }
}
