import CostModel
import Foundation
import Hardware
import Testing
@testable import Validation
import Workloads

/// Fine-tuning cases name any Hugging Face model and any GPU in their own words; the mapping
/// resolves the ones Loom has presets and topologies for, builds a Llama 3-shaped model of the
/// stated size otherwise, reads the settings a source states, and refuses only what it cannot
/// place, with the reason.
@Suite struct FinetuneResolutionTests {
    /// Repository names as the families publish them, to the preset of the same shape.
    @Test(arguments: [
        ("meta-llama/Llama-2-7b-hf", "llama-2-7b"),
        ("meta-llama/Llama-2-13b-chat-hf", "llama-2-13b"),
        ("meta-llama/Meta-Llama-3-8B-Instruct", "llama-3.1-8b"),
        ("meta-llama/Meta-Llama-3.1-70B", "llama-3.1-70b"),
        ("meta-llama/Llama-3.3-70B-Instruct", "llama-3.1-70b"),
        ("mistralai/Mistral-7B-Instruct-v0.2", "mistral-7b"),
        ("mistralai/Mixtral-8x7B-v0.1", "mixtral-8x7b"),
        ("Qwen/Qwen2.5-7B-Instruct", "qwen2.5-7b"),
        ("google/gemma-7b-it", "gemma-7b"), ("google/gemma-2-9b-it", "gemma-2-9b"), ("google/gemma-2-2b", "gemma-2-2b"), ("Qwen/Qwen3-4B", "qwen3-4b"),
        ("microsoft/phi-4", "phi-4"), ("Qwen/Qwen3-14B-Base", "qwen3-14b"),
        ("tiiuae/falcon-7b-instruct", "falcon-7b"),
        ("bigscience/bloomz-7b1", "bloom-7b1"),
        ("bigscience/mt0-xxl", "mt5-xxl"),
        ("google-t5/t5-small", "t5-small"),
        ("bert-base-uncased", "bert-base"),
        ("openai-community/gpt2", "gpt2"),
        ("bigscience/T0_3B", "t0-3b"), ("google/t5-v1_1-xl", "t0-3b"), ("google/flan-t5-xl", "t0-3b"),
        ("meta-llama/Llama-3.2-1B-Instruct", "llama-3.2-1b"), ("meta-llama/Llama-3.2-3B", "llama-3.2-3b"),
        ("Qwen/Qwen2.5-0.5B-Instruct", "qwen2.5-0.5b"), ("Qwen/Qwen2.5-1.5B", "qwen2.5-1.5b"),
        ("TinyLlama/TinyLlama-1.1B-Chat-v1.0", "tinyllama-1.1b"), ("Qwen/Qwen2.5-Math-7B", "qwen2.5-7b"),
        ("codellama/CodeLlama-7b-hf", "llama-2-7b"), ("codellama/CodeLlama-13b-Instruct-hf", "llama-2-13b"),
        ("codellama/CodeLlama-34b-hf", nil), ("lmsys/vicuna-7b-v1.5", "llama-2-7b"), ("lmsys/vicuna-13b-v1.5-16k", "llama-2-13b"),
        ("meta-llama/Llama-2-7b-32k", "llama-2-7b"),
        ("teknium/OpenHermes-2.5-Mistral-7B", "mistral-7b"), ("NousResearch/Nous-Hermes-2-Mixtral-8x7B-DPO", "mixtral-8x7b"),
        ("HuggingFaceH4/zephyr-7b-beta", nil), ("distilbert/distilgpt2", nil),
        ("microsoft/Phi-3-mini-4k-instruct", "phi-3-mini"), ("mistralai/Mistral-Nemo-Instruct-2407", "mistral-nemo-12b"),
        // DeepSeek's R1 distillations are their base models' shapes, not DeepSeek-V3's.
        ("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "llama-3.1-8b"), ("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", "qwen2.5-7b"),
        ("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", "llama-3.1-70b"), ("deepseek-ai/DeepSeek-R1", "deepseek-v3"),
        ("Qwen/Qwen2.5-Coder-7B-Instruct", "qwen2.5-7b"), ("Qwen/Qwen2-7B", "qwen2.5-7b"), ("Qwen/Qwen2.5-Math-1.5B", "qwen2.5-1.5b"),
        ("microsoft/Phi-3.5-mini-instruct", "phi-3-mini"), ("huggyllama/llama-7b", "llama-2-7b"), ("huggyllama/llama-65b", nil),
    ])
    func huggingFaceIdsFindTheirPreset(_ id: String, _ preset: String?) {
        #expect(RunMapping.presetName(forHuggingFace: id) == preset)
    }

    /// A preset found by name is used only when its size agrees with the case's stated count
    /// (within a factor of 1.5): Llama 3.1 8B's 8,030,261,248 for "8e9", not for "70e9", which
    /// builds a model of its own size instead.
    @Test func aPresetMustMatchTheStatedSize() throws {
        let (eight, _) = try RunMapping.finetuneModel(.init(hf: "meta-llama/Llama-3.1-8B", params: 8e9)).get()
        #expect(eight.name == "llama-3.1-8b")
        let (seventy, note) = try RunMapping.finetuneModel(.init(hf: "meta-llama/Llama-3.1-8B", params: 70e9)).get()
        #expect(seventy.name != "llama-3.1-8b" && abs(Double(seventy.totalParameters) / 70e9 - 1) < 0.05)
        #expect(note?.hasPrefix("U: no preset for meta-llama/Llama-3.1-8B") == true)
    }

    @Test func anUnknownIdHasNoPreset() {
        #expect(RunMapping.presetName(forHuggingFace: "stabilityai/stablelm-2-1_6b") == nil)
        #expect(RunMapping.presetName(forHuggingFace: "") == nil)
    }

    /// Without a preset, the stated parameter count builds the Llama 3-shaped model `loom size`
    /// plans (`SizedModel`): within 5% of 2.7e9 (StableLM-3B-4E1T's 2.8B, here 2.7e9),
    /// and the note says it is assumed; a count outside 1e6 ... 1e13 is refused with the id.
    @Test func anUnknownModelIsBuiltFromItsParameterCount() throws {
        let built = RunMapping.finetuneModel(.init(hf: "stabilityai/stablelm-3b-4e1t", params: 2.7e9))
        let (model, note) = try built.get()
        #expect(abs(Double(model.totalParameters) / 2.7e9 - 1) < 0.05, "\(model.totalParameters)")
        #expect(note?.hasPrefix("U: no preset for stabilityai/stablelm-3b-4e1t") == true)
        for params in [0, -1, 1e20, .nan] {
            guard case let .failure(unknown) = RunMapping.finetuneModel(.init(hf: "x/y", params: params)) else {
                Issue.record("params \(params) was accepted")
                continue
            }
            #expect(unknown.reason.contains("'x/y'"))
        }
    }

    /// GPU names as sources print them, to the topology; the A100 and H100 by form factor, SXM
    /// unless the name says PCIe (one GPU or eight).
    @Test(arguments: [
        ("RTX 4090 24GB", 1, "rtx-4090"), ("GeForce RTX 3090", 1, "rtx-3090"), ("RTX A6000 48GB", 1, "rtx-a6000"),
        ("NVIDIA A10G", 1, "a10g"), ("Tesla T4", 1, "t4"), ("NVIDIA L4", 1, "l4"), ("L40S", 1, "l40s"),
        ("Tesla V100 32GB", 1, "v100-32gb"), ("V100", 1, "v100-16gb"),
        ("A100 40GB", 1, "dgx-a100-40gb"), ("A100 80GB", 1, "dgx-a100-80gb"), ("A100 80GB SXM", 8, "dgx-a100-80gb"),
        ("A100 (40/80 unstated)", 8, "dgx-a100-80gb"), ("A100 40GB", 8, "dgx-a100-40gb"),
        ("H100 80GB", 1, "dgx-h100"), ("H100 PCIe", 1, "h100-pcie"), ("H200", 8, "dgx-h200"), ("B200", 8, "dgx-b200"),
        ("GeForce RTX 5090 32GB", 1, "rtx-5090"), ("RTX 6000 Ada Generation", 1, "rtx-6000-ada"),
        ("NVIDIA RTX PRO 6000 Blackwell", 1, "rtx-pro-6000"), ("RTX A5000", 1, "rtx-a5000"), ("NVIDIA L40", 1, "l40"),
        ("A40 48GB", 1, "a40"), ("A100 40GB PCIe", 1, "a100-40gb-pcie"),
        ("RTX 3060 12GB", 1, "rtx-3060"), ("GeForce RTX 3080 Ti", 1, "rtx-3080"), ("RTX 4060 Ti 16GB", 1, "rtx-4060-ti"),
        ("RTX 4070", 1, "rtx-4070"), ("GeForce RTX 4070 Ti", 1, "rtx-4070-ti"), ("RTX 4080 SUPER 16GB", 1, "rtx-4080"),
        ("NVIDIA RTX A4000", 1, "rtx-a4000"), ("Tesla P100-PCIE-16GB", 1, "p100"), ("RTX 2080 Ti 11GB", 1, "rtx-2080-ti"),
        ("A800 80GB", 1, "a800-80gb"), ("NVIDIA A800-SXM4-80GB", 8, "a800-80gb"), ("8x A800", 8, "a800-80gb"),
        ("A800 80GB PCIe", 1, "a800-80gb"), ("H20 96GB", 8, "h20"), ("NVIDIA H20", 1, "h20"), ("H200 141GB", 8, "dgx-h200"),
        ("RTX 3070", 1, "rtx-3070"), ("GeForce RTX 3070 Ti", 1, "rtx-3070"), ("RTX 4060 8GB", 1, "rtx-4060"),
        ("NVIDIA GeForce RTX 4060", 1, "rtx-4060"), ("GeForce RTX 4060 Ti 8GB", 1, "rtx-4060-ti"), ("RTX 4060Ti", 1, "rtx-4060-ti"),
        ("tpu-v5e-256", 256, "tpu-v5e"), ("TPU v5p", 512, "tpu-v5p"), ("Trillium", 256, "tpu-v6e"), ("TPU7x (Ironwood)", 256, "tpu-v7x"), ("AMD Instinct MI325X", 8, "mi325x"), ("TPU v4-1024", 512, "tpu-v4"),
    ])
    func gpuNamesFindTheirTopology(_ gpu: String, _ gpus: Int, _ topology: String) throws {
        #expect(RunMapping.finetuneCluster(gpu: gpu, gpus: gpus)?.name == topology)
        _ = try TopologyCatalog.load(topology)
    }

    /// The A800 in any form takes the 8-GPU SXM4 80GB server; a board it is not says so.
    @Test func anA800BoardWithoutAPresetIsNamedAsAssumed() {
        #expect(RunMapping.finetuneCluster(gpu: "NVIDIA A800-SXM4-80GB", gpus: 8)?.assumed == nil)
        #expect(RunMapping.finetuneCluster(gpu: "A800 80GB PCIe", gpus: 1)?.assumed
                    == "A800 SXM4 80GB (8-GPU server) for the A800 PCIe")
        #expect(RunMapping.finetuneCluster(gpu: "A800 40GB", gpus: 1)?.assumed
                    == "A800 SXM4 80GB (8-GPU server) for the A800 40GB")
    }

    @Test func anUnknownGPUIsRefusedByName() throws {
        #expect(RunMapping.finetuneCluster(gpu: "GeForce GTX 1080", gpus: 1) == nil)
        let run = try Self.run(gpu: "GeForce GTX 1080")
        guard case let .failure(refusal) = RunMapping.inputs(for: run, cluster: { try TopologyCatalog.load($0) }) else {
            Issue.record("a GTX 1080 case was mapped")
            return
        }
        #expect(refusal.reasons == ["GPU 'GeForce GTX 1080' matches no topology (`loom clusters`)"])
    }

    /// A case from a source without a recipe mapping keeps what it states: bf16, bitsandbytes'
    /// paged 8-bit AdamW, gradient checkpointing, LoRA rank 16 / alpha 32 on every linear layer,
    /// micro-batch 4 of 1,024 tokens on one A10G.
    @Test func aStatedCaseKeepsItsSettings() throws {
        let run = try Self.run(gpu: "NVIDIA A10G")
        let inputs = try RunMapping.inputs(for: run, cluster: { try TopologyCatalog.load($0) }).get().inputs
        #expect(inputs.model.name == "llama-3.1-8b")
        #expect(inputs.cluster.name == "a10g")
        #expect(inputs.recipe.precision == .bf16)
        #expect(inputs.recipe.optimizer == .pagedAdam8bit)
        #expect(inputs.recipe.recompute == .full)
        #expect(inputs.recipe.fineTuning.method == .qlora)
        #expect(inputs.recipe.fineTuning.rank == 16 && inputs.recipe.fineTuning.alpha == 32)
        #expect(inputs.recipe.fineTuning.targets == LoRATarget.allLinear)
        #expect(inputs.layout.microBatch == 4 && inputs.layout.seq == 1024 && inputs.layout.dp == 1)
        #expect(inputs.recipe.fp32UnquantizedWeights == true && inputs.recipe.fp32LogitsLoss == true)
        #expect(inputs.assumed.contains { $0.hasPrefix("embeddings, output layer and norms in fp32") })
        let estimate = Estimator(model: inputs.model, cluster: inputs.cluster).estimate(inputs.layout, recipe: inputs.recipe)
        #expect(estimate.memory.total.isFinite && estimate.memory.total > 0)
        #expect(estimate.tokensPerS.isFinite && estimate.tokensPerS > 0)
    }

    /// A QLoRA case from Unsloth keeps its unquantised weights in bf16 (Unsloth does not call
    /// PEFT's prepare_model_for_kbit_training); a LoRA case has nothing quantised to upcast; T5's
    /// loss (`T5ForConditionalGeneration`) does not upcast its logits.
    @Test func onlyPEFTsQLoRAUpcastsTheUnquantisedWeights() throws {
        let unsloth = try Self.run(gpu: "NVIDIA A10G", source: "unslothai/unsloth README")
        let lora = try Self.run(gpu: "NVIDIA A10G", method: "lora")
        for run in [unsloth, lora] {
            let inputs = try RunMapping.inputs(for: run, cluster: { try TopologyCatalog.load($0) }).get().inputs
            #expect(inputs.recipe.fp32UnquantizedWeights == nil)
        }
        let unslothRecipe = try RunMapping.inputs(for: unsloth, cluster: { try TopologyCatalog.load($0) }).get().inputs.recipe
        #expect(unslothRecipe.cutCrossEntropy == true && unslothRecipe.activationOffload == true
            && unslothRecipe.recompute == .full && unslothRecipe.fp32LogitsLoss == nil)
        let t5 = try Self.run(gpu: "NVIDIA A10G", hf: "google/flan-t5-xl", method: "lora", params: 2.85e9)
        let inputs = try RunMapping.inputs(for: t5, cluster: { try TopologyCatalog.load($0) }).get().inputs
        #expect(inputs.recipe.fp32LogitsLoss == nil, "T5's loss takes its logits as they are")
    }

    /// Settings a case leaves unstated take the defaults of the stack it names: the Trainer's
    /// (PEFT's `LoraConfig` r 8, lora_alpha 8 on q and v; `adamw_torch`, the foreach AdamW that
    /// runs one pass per operation; no gradient checkpointing), or Unsloth's README example
    /// (`get_peft_model(r = 16, lora_alpha = 16)` on every linear layer, `use_gradient_checkpointing
    /// = "unsloth"`; its notebooks' `adamw_8bit`).
    @Test func unstatedSettingsFollowTheNamedStack() throws {
        func recipe(source: String) throws -> TrainingRecipe {
            let json = """
            {"cases": [{"id": "unstated", "source": "\(source)", "model": {"hf": "meta-llama/Meta-Llama-3-8B", "params": 8e9},
              "method": "lora", "precision": null, "optimizer": null, "batch": 2, "seq": 2048, "gradient_checkpointing": null,
              "gpu": "NVIDIA A10G", "gpus": 1, "reported": {"peak_gpu_memory_gb": 10.0, "tokens_per_s": null}, "verified": "V1"}]}
            """
            let run = try #require(try RunsFileReader.loadFinetuneRuns(data: Data(json.utf8), path: "unstated.json").first)
            return try RunMapping.inputs(for: run, cluster: { try TopologyCatalog.load($0) }).get().inputs.recipe
        }
        let trainer = try recipe(source: "a blog post")
        #expect(trainer.fineTuning.rank == 8 && trainer.fineTuning.alpha == 8 && trainer.fineTuning.targets == [.q, .v])
        #expect(trainer.optimizer == .adam && trainer.optimizerStep == .perOp && trainer.recompute == .none)
        let unsloth = try recipe(source: "unslothai/unsloth README")
        #expect(unsloth.fineTuning.rank == 16 && unsloth.fineTuning.alpha == 16 && unsloth.fineTuning.targets == LoRATarget.allLinear)
        #expect(unsloth.optimizer == .adam8bit && unsloth.optimizerStep == nil)
        #expect(unsloth.recompute == .full && unsloth.activationOffload == true)
    }

    /// A torchtune case keeps what it states over the recipe config's defaults. torchtune's README
    /// "Optimization flags" table (@1814feb17, Llama 3.2 3B, batch 2, 4096 tokens packed, A100)
    /// states activation checkpointing off until its fifth row and AdamW until "+ 8-bit AdamW";
    /// `3B_full_single_device` would otherwise check-point and step PagedAdamW8bit. Its LoRA rows
    /// run `3B_lora_single_device`: rank 64, alpha 128 on q_proj, v_proj, output_proj and the MLP.
    @Test func aTorchtuneCaseKeepsWhatItStates() throws {
        func inputs(method: String, optimizer: String?, checkpointing: Bool?, lora: String = "") throws -> EvaluationInputs {
            let json = """
            {"cases": [{"id": "tt", "source": "pytorch/torchtune README @1814feb17", "model": {"hf": "meta-llama/Llama-3.2-3B",
              "params": 3.2e9}, "method": "\(method)", \(lora) "precision": "bf16",
              "optimizer": \(optimizer.map { "\"\($0)\"" } ?? "null"), "batch": 2, "seq": 4096, "packed": true,
              "torch_compile": true, "gradient_checkpointing": \(checkpointing.map(String.init) ?? "null"),
              "gpu": "A100", "gpus": 1, "reported": {"peak_gpu_memory_gb": 42.9, "unit": "GiB", "tokens_per_s": 9174}, "verified": "V1"}]}
            """
            let run = try #require(try RunsFileReader.loadFinetuneRuns(data: Data(json.utf8), path: "tt.json").first)
            return try RunMapping.inputs(for: run, cluster: { try TopologyCatalog.load($0) }).get().inputs
        }
        let stated = try inputs(method: "full", optimizer: "AdamW", checkpointing: false)
        #expect(stated.recipe.recompute == .none && stated.recipe.optimizer == .adam)
        #expect(stated.assumed.contains("activation checkpointing off (stated)"))
        #expect(try inputs(method: "full", optimizer: "8-bit AdamW", checkpointing: true).recipe.optimizer == .adam8bit)
        let unstated = try inputs(method: "full", optimizer: nil, checkpointing: nil)
        #expect(unstated.recipe.recompute == .full && unstated.recipe.optimizer == .pagedAdam8bit)
        let lora = try inputs(method: "lora", optimizer: "AdamW", checkpointing: true).recipe.fineTuning
        #expect(lora.rank == 64 && lora.alpha == 128 && lora.targets == [.q, .v, .o, .gate, .up, .down])
        let statedLoRA = try inputs(method: "lora", optimizer: nil, checkpointing: true,
                                    lora: "\"lora\": {\"rank\": 16, \"alpha\": 8, \"target_modules\": [\"q_proj\", \"k_proj\"]},")
        #expect(statedLoRA.recipe.fineTuning.rank == 16 && statedLoRA.recipe.fineTuning.alpha == 8)
        #expect(statedLoRA.recipe.fineTuning.targets == [.q, .k])
    }

    /// A case's `loss`, `optimizer_in_bwd` and `activation_offloading` (torchtune's config keys)
    /// override its mapping's defaults, for torchtune's recipes and the Trainer's alike: a chunked
    /// loss in 8 chunks (`CEWithChunkedOutputLoss`'s default), Cut Cross-Entropy, or the
    /// unchunked loss; the step in or after the backward; offloaded activations.
    @Test func statedLossStepAndOffloadingWin() throws {
        func recipe(source: String, extra: String) throws -> TrainingRecipe {
            let json = """
            {"cases": [{"id": "knobs", "source": "\(source)", "model": {"hf": "meta-llama/Llama-3.1-8B", "params": 8e9},
              "method": "full", "batch": 2, "seq": 2048, \(extra) "gpu": "A100 80GB", "gpus": 1,
              "reported": {"peak_gpu_memory_gb": 40.0, "tokens_per_s": null}, "verified": "V1"}]}
            """
            let run = try #require(try RunsFileReader.loadFinetuneRuns(data: Data(json.utf8), path: "knobs.json").first)
            return try RunMapping.inputs(for: run, cluster: { try TopologyCatalog.load($0) }).get().inputs.recipe
        }
        let torchtune = "pytorch/torchtune README"
        let plain = try recipe(source: torchtune, extra: #""loss": "torch.nn.CrossEntropyLoss", "optimizer_in_bwd": false,"#)
        #expect(plain.lossOutputChunks == nil && plain.fp32LogitsLoss == true && !plain.optimizerInBackward)
        #expect(try recipe(source: torchtune, extra: "").optimizerInBackward)
        let trainer = try recipe(source: "a blog", extra: #""loss": "CEWithChunkedOutputLoss", "activation_offloading": "yes","#)
        #expect(trainer.lossOutputChunks == 8 && trainer.activationOffload == true)
        #expect(try recipe(source: "a blog", extra: #""loss": "Cut Cross-Entropy","#).cutCrossEntropy == true)
    }

    /// A LitGPT case takes its config_hub recipe where it is silent (@26857050): bf16-true (no
    /// fp32 master copy), AdamW, no checkpointing on one GPU, the output layer and the loss in
    /// chunks of 128 positions; LoRA rank 32, alpha 16, dropout 0.05 on q and v for Llama
    /// (`llama-3.2-1B/lora.yaml`), rank 8, dropout 0.1 on every linear layer for Gemma 2B
    /// (`gemma-2b/lora.yaml`); QLoRA with bitsandbytes' PagedAdamW and its 4-bit linears keeping
    /// their inputs. A stated dropout wins.
    @Test func aLitGPTCaseTakesItsConfigHubRecipe() throws {
        func recipe(hf: String, method: String, lora: String = "", precision: String = "bf16") throws -> (TrainingRecipe, ParallelLayout) {
            let json = """
            {"cases": [{"id": "lit", "source": "Lightning-AI/litgpt config_hub/finetune/README.md", "model": {"hf": "\(hf)",
              "params": 1.24e9}, "method": "\(method)", \(lora) "precision": "\(precision)", "batch": 2, "seq": 512, "gpu": "A10G", "gpus": 1,
              "reported": {"peak_gpu_memory_gb": 5.0, "unit": "GB", "tokens_per_s": null}, "verified": "V1"}]}
            """
            let run = try #require(try RunsFileReader.loadFinetuneRuns(data: Data(json.utf8), path: "lit.json").first)
            let inputs = try RunMapping.inputs(for: run, cluster: { try TopologyCatalog.load($0) }).get().inputs
            return (inputs.recipe, inputs.layout)
        }
        let (lora, layout) = try recipe(hf: "meta-llama/Llama-3.2-1B", method: "lora")
        #expect(lora.masterWeights == false && lora.recompute == .none && lora.lossOutputChunks == 4)
        #expect(lora.fineTuning.rank == 32 && lora.fineTuning.alpha == 16 && lora.fineTuning.dropout == 0.05)
        #expect(lora.fineTuning.targets == [.q, .v] && layout.microBatch == 2 && layout.seq == 512)
        let gemma = try recipe(hf: "google/gemma-2b", method: "lora").0.fineTuning
        #expect(gemma.rank == 8 && gemma.dropout == 0.1 && gemma.targets == LoRATarget.allLinear)
        let qlora = try recipe(hf: "meta-llama/Llama-3.2-1B", method: "qlora").0
        #expect(qlora.optimizer == .pagedAdam && qlora.quantisedLinearsKeepInputs == true && qlora.fp32UnquantizedWeights == nil)
        // Lightning's bnb.nf4: the LM head too, no double quantisation, fp16 dequantisation cast to bf16;
        // bnb.nf4-dq named in the precision double-quantises.
        #expect(qlora.quantisedOutputLayer == true && qlora.nf4DoubleQuantisation == false && qlora.dequantisationCast == true)
        #expect(try recipe(hf: "meta-llama/Llama-3.2-1B", method: "qlora", precision: "bf16-true, bnb.nf4-dq").0.nf4DoubleQuantisation == true)
        // LitGPT's GPT keeps its own lm_head: Llama 3.2 1B's tied table is untied.
        let json = """
        {"cases": [{"id": "lit", "source": "Lightning-AI/litgpt config_hub/finetune/README.md", "model": {"hf": "meta-llama/Llama-3.2-1B",
          "params": 1.24e9}, "method": "lora", "precision": "bf16", "batch": 2, "seq": 512, "gpu": "A10G", "gpus": 1,
          "reported": {"peak_gpu_memory_gb": 5.0, "unit": "GB", "tokens_per_s": null}, "verified": "V1"}]}
        """
        let run = try #require(try RunsFileReader.loadFinetuneRuns(data: Data(json.utf8), path: "lit.json").first)
        let inputs = try RunMapping.inputs(for: run, cluster: { try TopologyCatalog.load($0) }).get().inputs
        #expect(!inputs.model.tiedEmbeddings && inputs.assumed.contains { $0.contains("untied") })
        #expect(try recipe(hf: "meta-llama/Llama-3.2-1B", method: "lora", lora: #""lora": {"dropout": 0},"#).0.fineTuning.dropout == 0)
    }

    /// A case that offloads the optimizer with a bitsandbytes optimizer runs DeepSpeed's CPU Adam
    /// (ZeRO-Offload refuses a client optimizer), listed as assumed, instead of being refused.
    @Test func offloadedBitsandbytesOptimizerStepsWithCPUAdam() throws {
        let json = """
        {"cases": [{"id": "off8", "source": "a blog", "model": {"hf": "meta-llama/Llama-2-7b-hf", "params": 7e9},
          "method": "lora", "precision": "bf16", "optimizer": "paged_adamw_8bit", "batch": 2, "seq": 1024,
          "gradient_checkpointing": true, "gpu": "A100 40GB", "gpus": 1, "offload": "ZeRO-3 offload of parameters",
          "reported": {"peak_gpu_memory_gb": 8.0, "tokens_per_s": null}, "verified": "V1"}]}
        """
        let run = try #require(try RunsFileReader.loadFinetuneRuns(data: Data(json.utf8), path: "off8.json").first)
        let inputs = try RunMapping.inputs(for: run, cluster: { try TopologyCatalog.load($0) }).get().inputs
        #expect(inputs.recipe.optimizer == .adam && inputs.recipe.offload == .all)
        #expect(inputs.assumed.contains { $0.contains("DeepSpeedCPUAdam") }, "\(inputs.assumed)")
    }

    /// A case may state its rate per GPU (torchtune's `tokens_per_second_per_gpu`) or in samples a
    /// second (the Trainer's `train_samples_per_second`): 2 GPUs x 1,500 = 3,000 tokens/s;
    /// 2.5 samples/s x 1,024 tokens = 2,560 tokens/s, listed as assumed.
    @Test func perGPUAndSampleRatesAreReadAsTokens() throws {
        func row(_ reported: String) throws -> FinetuneValidationReport.Row {
            let json = """
            {"cases": [{"id": "rate", "source": "a blog", "model": {"hf": "meta-llama/Llama-2-7b-hf", "params": 7e9},
              "method": "lora", "precision": "bf16", "optimizer": "adamw_8bit", "batch": 2, "seq": 1024,
              "gradient_checkpointing": true, "gpu": "2x RTX 4090", "reported": {\(reported)}, "verified": "V1"}]}
            """
            let runs = try RunsFileReader.loadFinetuneRuns(data: Data(json.utf8), path: "rate.json")
            return try #require(FinetuneValidation.validate(runs: runs) { try TopologyCatalog.load($0) }.rows.first)
        }
        #expect(try row(#""tokens_per_s_per_gpu": 1500"#).reportedTokensPerS == 3000)
        let samples = try row(#""samples_per_s": 2.5"#)
        #expect(samples.reportedTokensPerS == 2560)
        #expect(samples.assumed.contains { $0.hasPrefix("tokens/s = samples/s x 1024") })
    }

    /// A case that states the layers and the hidden size but names no preset keeps that depth
    /// and width: Llama 3.1 8B's stated 32 x 4,096 at 8.03e9 solves to its own MLP (14,336) and
    /// count (8,030,261,248, `ParameterCountTests`); a small GPT-2-sized statement (12 x 768 at
    /// 124M), whose MLP Llama 3's 128,256-token table would leave narrower than the hidden size,
    /// takes Llama 2's 32,000 tokens (2 x 32,000 x 768 = 49.2M of embeddings) and heads of 128.
    @Test func aStatedDepthAndWidthAreKept() throws {
        let llama = try #require(SizedModel.llamaShaped(parameters: 8.03e9, layers: 32, hidden: 4096))
        #expect(llama.ffn == 14336 && llama.vocab == 128_256 && llama.heads == 32 && llama.kvHeads == 8)
        #expect(llama.totalParameters == 8_030_261_248)
        let small = try #require(SizedModel.llamaShaped(parameters: 124e6, layers: 12, hidden: 768))
        #expect(small.layers == 12 && small.hidden == 768 && small.vocab == 32_000 && small.heads == 6 && small.kvHeads == 6)
        #expect(abs(Double(small.totalParameters) / 124e6 - 1) < 0.01, "\(small.totalParameters)")
        #expect(SizedModel.llamaShaped(parameters: 1e9, layers: 12, hidden: 100) == nil)
        let (model, note) = try RunMapping.finetuneModel(.init(hf: "x/unknown-1b", params: 1.01e9, layers: 16, hidden: 2048)).get()
        #expect(model.layers == 16 && model.hidden == 2048)
        #expect(note?.contains("16 layers of 2048 as stated") == true, "\(note ?? "")")
    }

    /// PEFT's other methods: the LoRA variants as LoRA, QDoRA as QLoRA, a prompt, prefix or IA3
    /// adapter as a rank-1 LoRA on v (a frozen base that back-propagates to its input), each
    /// assumed; a method that is no adapter of a frozen base is refused.
    @Test func peftMethods() {
        #expect(RunMapping.finetuneMethod("DoRA")?.method == .lora)
        #expect(RunMapping.finetuneMethod("qdora")?.method == .qlora)
        let prompt = RunMapping.finetuneMethod("prompt_tuning")
        #expect(prompt?.method == .lora && prompt?.tinyAdapter == true)
        #expect(RunMapping.finetuneMethod("IA3")?.tinyAdapter == true)
        let lora = RunMapping.finetuneMethod("LoRA")
        #expect(lora?.method == .lora && lora?.note == nil && lora?.tinyAdapter == false)
        #expect(RunMapping.finetuneMethod("distillation") == nil)
    }

    /// PEFT `target_modules` names to LoRA targets.
    @Test func targetModuleNames() {
        #expect(RunMapping.loraTargets(module: "q_proj") == [.q])
        #expect(RunMapping.loraTargets(module: "query_key_value") == [.q, .k, .v])
        #expect(RunMapping.loraTargets(module: "all-linear") == LoRATarget.allLinear)
        #expect(RunMapping.loraTargets(module: "wo") == [.down])
        #expect(RunMapping.loraTargets(module: "lm_head") == [])
    }

    /// Values in the shapes sources print them: a count as "7B", a flag as "yes (U)", target
    /// modules as one string, the GPU count as a string, a memory cell as "12.3 GB", a batch as 4.0;
    /// unreadable ones are left unset, not a rejected file.
    @Test func looseValuesAreRead() throws {
        let json = """
        {"cases": [{"id": "loose", "source": "x", "model": {"hf": "meta-llama/Llama-2-7b-hf", "params": "6.7B"},
          "method": "LoRA", "lora": {"rank": "16", "alpha": 32.0, "target_modules": "q_proj, v_proj"},
          "batch": 4.0, "seq": "2048", "gradient_checkpointing": "yes (U)", "torch_compile": "unknown",
          "gpu": "A100 80GB", "gpus": "1", "reported": {"peak_gpu_memory_gb": "12.3 GB", "tokens_per_s": "~1,234"}}]}
        """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("loose-\(UUID().uuidString).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try #require(try RunsFileReader.loadFinetuneRuns(path: path).first)
        #expect(run.model.params == 6.7e9)
        #expect(run.lora?.rank == 16 && run.lora?.alpha == 32 && run.lora?.targetModules == ["q_proj", "v_proj"])
        #expect(run.batch == 4 && run.seq == 2048 && run.gpus == 1)
        #expect(run.gradientCheckpointing == true && run.torchCompile == nil)
        #expect(run.reported.peakGpuMemoryGb == .amount(12.3) && run.reported.tokensPerS == 1234)
        #expect(run.verified == "" && run.method == "LoRA")
        let inputs = try RunMapping.inputs(for: run, cluster: { try TopologyCatalog.load($0) }).get().inputs
        #expect(inputs.recipe.fineTuning.method == .lora && inputs.recipe.fineTuning.targets == [.q, .v])
    }

    /// An alpha or rank too large for any Int is left unset, not a trap (a fuzz finding: alpha
    /// 1e300 converted with `Int(_:)`); a dropout of 5 is read and then refused by the mapping
    /// with the one-line constraint.
    @Test func outOfRangeAdapterValuesAreUnreadOrRefused() throws {
        let json = """
        {"cases": [{"id": "huge", "source": "x", "model": {"hf": "meta-llama/Llama-2-7b-hf", "params": 6.7e9},
          "method": "lora", "lora": {"rank": 1e300, "alpha": 1e300, "dropout": 5}, "batch": 1, "seq": 512,
          "gpu": "A100 80GB", "gpus": 1, "reported": {"peak_gpu_memory_gb": 12.0}}]}
        """
        let run = try #require(try RunsFileReader.loadFinetuneRuns(data: Data(json.utf8), path: "huge.json").first)
        #expect(run.lora?.alpha == nil && run.lora?.rank == nil && run.lora?.dropout == 5)
        guard case let .failure(refusal) = RunMapping.inputs(for: run, cluster: { try TopologyCatalog.load($0) }) else {
            Issue.record("a dropout of 5 was accepted")
            return
        }
        #expect(refusal.reasons.first?.contains("--lora-dropout 5.0 must be at least 0 and below 1") == true, "\(refusal.reasons)")
    }

    /// A method worded with more than its name, and a GPU count only in the GPU's name.
    @Test func wordedMethodsAndCountsInGPUNames() {
        #expect(RunMapping.finetuneMethod("QLoRA (4-bit)")?.method == .qlora)
        #expect(RunMapping.finetuneMethod("LoRA fine-tuning")?.method == .lora)
        #expect(RunMapping.finetuneMethod("Full fine-tune")?.method == .full)
        #expect(RunMapping.finetuneMethod("distillation") == nil)
        #expect(FinetuneRun.leadingCount("2x RTX 3090") == 2 && FinetuneRun.leadingCount("8 x A100 80GB") == 8)
        #expect(FinetuneRun.leadingCount("RTX 4090") == nil)
        #expect(FinetuneRun.leadingCount("A100") == nil && FinetuneRun.leadingCount("0x A100") == nil)
    }

    @Test(arguments: [("8B", 8e9), ("560M", 5.6e8), ("1.5e9", 1.5e9), ("12,000", 12_000), ("~7", 7), ("OOM", nil)])
    func looseNumbers(_ text: String, _ value: Double?) {
        #expect(LooseNumber.parse(text) == value)
    }

    /// Several GPUs and no sharding stated: a 70B LoRA on 8 A100s shards its 141 GB of bf16
    /// weights (a replica would not fit in 80 GB); a 1.2B LoRA on 2 stays replicated (DDP).
    @Test func multiGPUCasesShardOnlyWhatDoesNotFit() throws {
        func zero(_ hf: String, _ gpus: Int, _ params: Double) throws -> (Int, [String]) {
            let run = try Self.run(gpu: "A100 80GB SXM", hf: hf, gpus: gpus, method: "lora", params: params)
            let inputs = try RunMapping.inputs(for: run, cluster: { try TopologyCatalog.load($0) }).get().inputs
            return (inputs.layout.zero, inputs.assumed)
        }
        let (big, bigNotes) = try zero("meta-llama/Llama-3.1-70B", 8, 70.6e9)
        #expect(big == 3 && bigNotes.contains { $0.hasPrefix("ZeRO-3 / FSDP full sharding over the 8 GPUs") })
        let (small, smallNotes) = try zero("meta-llama/Llama-3.2-1B", 2, 1.24e9)
        #expect(small == 0 && smallNotes.contains { $0.hasPrefix("data-parallel replicas over the 2 GPUs") })
    }

    /// One QLoRA case in the runs file's schema, from an unmapped source.
    static func run(gpu: String, hf: String = "meta-llama/Meta-Llama-3-8B", gpus: Int = 1,
                    method: String = "qlora", source: String = "a blog post", params: Double = 8e9) throws -> FinetuneRun {
        let json = """
        {"cases": [{"id": "example-qlora", "source": "\(source)", "model": {"hf": "\(hf)", "params": \(params)},
          "method": "\(method)", "lora": {"rank": 16, "alpha": 32,
          "target_modules": ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]},
          "precision": "bf16", "optimizer": "paged_adamw_8bit", "batch": 4, "seq": 1024, "gradient_checkpointing": true,
          "gpu": "\(gpu)", "gpus": \(gpus), "reported": {"peak_gpu_memory_gb": 10.0, "tokens_per_s": null}, "verified": "V1"}]}
        """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("finetune-\(UUID().uuidString).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try #require(try RunsFileReader.loadFinetuneRuns(path: path).first)
    }
}
