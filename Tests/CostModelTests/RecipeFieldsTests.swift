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
    /// out (no flash attention, no overlap).
    @Test func echoHasOneKeyPerField() throws {
        let json = try echoJSON(TrainingRecipe(framework: .megatronLM, optimizer: .sgd))
        #expect(Set(json.keys) == Set(TrainingRecipe.fields.map(\.key)))
        #expect(Set(json.keys) == ["framework", "precision", "optimizer", "recompute", "flash_attention",
                                   "overlap_grad_reduce", "overlap_param_gather", "overlap_tp_comm"])
        #expect(json["framework"] as? String == "megatron-lm" && json["optimizer"] as? String == "sgd")
        #expect(json["precision"] as? String == "bf16" && json["recompute"] as? String == "none")
        #expect(json["flash_attention"] as? Bool == false && json["overlap_grad_reduce"] as? Bool == false)
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
        #expect(precision.assign(&recipe, .text("fp8")) && recipe.precision == .fp8)
        #expect(!precision.assign(&recipe, .text("int3")) && recipe.precision == .fp8)
        let overlap = try #require(TrainingRecipe.field("overlap_tp_comm"))
        #expect(overlap.flag == "overlap-tp-comm")
        #expect(overlap.assign(&recipe, .text("true")) && recipe.overlapTPComm == true)
        #expect(TrainingRecipe(framework: .fsdp, optimizer: .sgd).summary == "fsdp, bf16, sgd")
    }
}
