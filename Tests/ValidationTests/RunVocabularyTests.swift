import CostModel
import Testing
@testable import Validation
import Workloads

/// Runs files name frameworks, precisions, MLPs and recomputation as their sources print them;
/// these map to Loom's, and a word none of them means stays a refusal with its reason.
@Suite struct RunVocabularyTests {
    @Test func frameworks() {
        #expect(RunVocabulary.framework("megatron-core") == .megatronCore)
        #expect(RunVocabulary.framework("Megatron-Core") == .megatronCore)
        #expect(RunVocabulary.framework("NeMo") == .nemo)
        #expect(RunVocabulary.framework("megatron_bridge") == .nemo)
        #expect(RunVocabulary.framework("composer") == .fsdp)
        #expect(RunVocabulary.framework("MaxText") == .maxtext)
        #expect(RunVocabulary.framework("tensorflow") == nil)
    }

    /// Lightning's and NeMo's `bf16-mixed` / `16-mixed`, Transformer Engine's `fp8-hybrid`.
    @Test func precisions() {
        #expect(RunVocabulary.precision("bf16") == .bf16)
        #expect(RunVocabulary.precision("bf16-mixed") == .bf16)
        #expect(RunVocabulary.precision("16-mixed") == .fp16)
        #expect(RunVocabulary.precision("FP8-Hybrid") == .fp8)
        #expect(RunVocabulary.precision("MXFP8") == .mxfp8)
        #expect(RunVocabulary.precision("int3") == nil)
    }

    /// Hugging Face's `hidden_act` words for the MLP, and NeMo's `relu2` (Nemotron's squared ReLU).
    @Test func mlps() {
        #expect(RunVocabulary.mlp("swiglu") == .swiglu)
        #expect(RunVocabulary.mlp("silu") == .swiglu)
        #expect(RunVocabulary.mlp("gelu_pytorch_tanh") == .gelu)
        #expect(RunVocabulary.mlp("gated-gelu") == .geglu)
        #expect(RunVocabulary.mlp("relu2") == .squaredRelu)
        #expect(RunVocabulary.mlp("squared_relu") == .squaredRelu)
        #expect(RunVocabulary.mlp("mish") == nil)
    }

    /// Megatron's `recompute_method` words under full recomputation, and the off words.
    @Test func recomputation() {
        #expect(RunVocabulary.recompute("selective") == .selective)
        #expect(RunVocabulary.recompute("uniform") == .full)
        #expect(RunVocabulary.recompute("None") == Recompute.none)
        #expect(RunVocabulary.recompute("sometimes") == nil)
    }
}
