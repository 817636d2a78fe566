import Foundation
import Testing
import Validation

/// The runs-file readers against the files in `Validation/`: exact counts taken from the files
/// (counted independently with a JSON tool), and the errors a broken file gives.
@Suite struct RunsFileReaderTests {
    @Test func readsThe22RunsOfPublishedRuns() throws {
        let runs = try RunsFileReader.loadRuns(path: validationFile("published-runs.json"))
        #expect(runs.count == 22)
        #expect(Set(runs.map(\.id)).count == 22)
        // Every one reports iteration_s; 8 are Korthikanti et al.'s Table 5.
        #expect(runs.filter { $0.reported.iterationS != nil }.count == 22)
        #expect(runs.filter { $0.id.hasPrefix("korthikanti-") }.count == 8)
        #expect(runs.allSatisfy { $0.precision == nil })
    }

    @Test func readsThe218RunsOfPublishedRuns2WithEveryField() throws {
        let runs = try RunsFileReader.loadRuns(path: validationFile("published-runs-2.json"))
        #expect(runs.count == 218)
        #expect(Set(runs.map(\.id)).count == 218)
        func count(_ predicate: (PublishedRun) -> Bool) -> Int { runs.filter(predicate).count }
        #expect(count { $0.framework == "fsdp" } == 140)
        #expect(count { $0.framework == "torchtitan" } == 29)
        // NeMo's 27 runs carry the `nemo` profile (relabelled from megatron-core, said in their notes).
        #expect(count { $0.framework == "nemo" } == 27)
        #expect(count { $0.framework == "maxtext" } == 22)
        #expect(count { $0.precision == "bf16" } == 175)
        #expect(count { $0.precision == "fp8" } == 43)
        #expect(count { $0.reported.peakMemoryGib != nil } == 18)
        #expect(count { $0.reported.mfu != nil } == 173)
        #expect(count { $0.reported.tflopsPerGpu != nil } == 188)
        #expect(count { $0.reported.hfu != nil } == 139)
        // Unstated stays unstated: 9 long-sequence NeMo runs give no micro-batch, 27 NeMo runs no
        // ZeRO or FSDP, 20 no recomputation (the 6 SFT and LoRA runs take theirs, and the SFT
        // runs' virtual stages, from NeMo-Framework-Launcher 24.07's scripts; Nemotron-4 340B
        // from its training config, nemotron_340b.yaml).
        #expect(count { $0.layout.microBatch == nil } == 9)
        #expect(count { $0.layout.recompute == nil } == 20)
        #expect(count { $0.layout.zero == nil } == 27)
        #expect(count { $0.layout.fsdp == true } == 191)
        #expect(count { $0.layout.fsdpShardGroup != nil } == 18)
        #expect(count { $0.layout.gradientAccumulation != nil } == 139)
        #expect(count { $0.layout.vpp != nil } == 10)
        #expect(count { $0.model.headDim == 256 } == 22)
        #expect(count { $0.model.parallelBlock == true } == 22)
        #expect(count { $0.finetune?.method == "full" } == 3)
        #expect(count { $0.finetune?.method == "lora" && $0.finetune?.rank == 32 } == 3)
        #expect(count { $0.cluster.preset == "tpu-v5p" } == 16)
        // MaxText's six v5p scripts (configs/v5p/*.sh @76bd53b0) all pass use_iota_embed=true.
        #expect(count { $0.cluster.preset == "tpu-v5p" && $0.recipe?["iota_embedding"]?.text == "true" } == 16)
        #expect(count { $0.verified == false } == 9)
        #expect(count { $0.notes == nil } == 0)
    }

    @Test func readsThe17FinetuneCases() throws {
        let cases = try RunsFileReader.loadFinetuneRuns(path: validationFile("finetune-runs.json"))
        #expect(cases.count == 17)
        #expect(cases.filter { $0.method == "lora" }.count == 9)
        #expect(cases.filter { $0.method == "full" }.count == 6)
        #expect(cases.filter { $0.method == "qlora" }.count == 2)
        // PEFT's mT0-XXL and BLOOMZ-7B1 full fine-tuning ran out of memory on the 80 GB A100.
        let outOfMemory = cases.filter {
            if case .outOfMemory = $0.reported.peakGpuMemoryGb { return true } else { return false }
        }
        #expect(outOfMemory.map(\.id).sorted() == ["peft-bloomz7b1-full", "peft-mt0xxl-full"])
        #expect(cases.filter { $0.reported.tokensPerS != nil }.count == 8)
        let rtx = try #require(cases.first { $0.id == "torchtune-llama3.1-8b-full-4090" })
        #expect(rtx.reported.peakGpuMemoryGb == .amount(18.9))
        #expect(rtx.reported.bytesPerUnit == 1_073_741_824)
        #expect(rtx.batch == 2 && rtx.seq == 2048 && rtx.gpus == 1 && rtx.torchCompile == true)
        let lora = try #require(cases.first { $0.id == "peft-t0_3b-lora" })
        #expect(lora.lora?.rank == 8 && lora.lora?.alpha == 32)
        #expect(lora.reported.bytesPerUnit == 1e9)
    }

    /// The reader reads every field the three files give (none is dropped on the way in).
    @Test func everyFieldOfTheFilesIsRead() throws {
        #expect(try RunsFileReader.unreadFields(path: validationFile("published-runs.json")) == [])
        #expect(try RunsFileReader.unreadFields(path: validationFile("published-runs-2.json")) == [])
        #expect(try RunsFileReader.unreadFinetuneFields(path: validationFile("finetune-runs.json")) == [])
    }

    /// The runs may also sit under `runs` in an object (beside an `about` text, as the
    /// fine-tuning file keeps its cases under `cases`).
    @Test func runsUnderAnObjectAreRead() throws {
        let path = try temporaryFile("{\"about\": \"x\", \"runs\": [\(Self.run(id: "a")), \(Self.run(id: "b"))]}")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try RunsFileReader.loadRuns(path: path).map(\.id) == ["a", "b"])
    }

    /// Fields under the names of the configs runs are copied from (Hugging Face `config.json`,
    /// Megatron's arguments): read as the file's own; a layout without PP or DP has PP 1 and DP
    /// the GPUs over TP x PP x CP; a number written as a string is a number, `verified: "V1"` true.
    @Test func configNamesAreRead() throws {
        let path = try temporaryFile("""
            [{"id": "hf-named", "framework": "megatron-core", "precision": "bf16",
              "model": {"num_hidden_layers": 48, "hidden_size": 2048, "num_attention_heads": 32, "num_key_value_heads": 4,
                        "head_dim": 128, "intermediate_size": 6144, "vocab_size": 151936, "seq_length": 4096, "mlp": "swiglu",
                        "num_experts": 128, "num_experts_per_tok": 8, "moe_intermediate_size": 768},
              "cluster": {"preset": "dgx-h100", "gpus": 16},
              "layout": {"tensor_model_parallel_size": 2, "expert_model_parallel_size": "8", "micro_batch_size": 1, "gbs": 512},
              "reported": {"tokens_per_sec": 100000}, "verified": "V1"}]
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let run = try #require(try RunsFileReader.loadRuns(path: path).first)
        #expect(run.model.layers == 48 && run.model.hidden == 2048 && run.model.heads == 32 && run.model.kvHeads == 4)
        #expect(run.model.experts == 128 && run.model.expertsPerToken == 8 && run.model.expertFfn == 768)
        #expect(run.layout.tp == 2 && run.layout.pp == 1 && run.layout.dp == 8 && run.layout.ep == 8)
        #expect(run.layout.microBatch == 1 && run.layout.globalBatch == 512 && run.reported.tokensPerS == 100000)
        #expect(run.verified == true)
        // Read under their config names, so none is warned about as unread.
        #expect(try RunsFileReader.unreadFields(path: path) == [])
    }

    @Test func aMisspeltFieldIsReportedAsUnread() throws {
        let misspelt = Self.run(id: "typo").replacingOccurrences(of: "\"tp\": 1", with: "\"tp\": 1, \"sequence_paralel\": true")
        let path = try temporaryFile("[\(misspelt)]")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try RunsFileReader.unreadFields(path: path) == ["run 'typo': field 'layout.sequence_paralel'"])
    }

    /// A valid run in the format of the files, as a JSON object literal.
    static func run(id: String?, dropping field: String? = nil) -> String {
        let layoutFields = ["\"tp\": 1", "\"pp\": 1", "\"dp\": 8", "\"micro_batch\": 2", "\"global_batch\": 16"]
            .filter { field == nil || !$0.hasPrefix("\"\(field!)\"") }
        let idField = id.map { "\"id\": \"\($0)\", " } ?? ""
        return """
            {\(idField)"model": {"layers": 2, "hidden": 256, "heads": 4, "vocab": 1000, "seq": 128},
             "cluster": {"preset": "dgx-a100-80gb", "gpus": 8},
             "layout": {\(layoutFields.joined(separator: ", "))},
             "reported": {"tokens_per_s": 1000}}
            """
    }

    @Test func aRunMissingARequiredFieldIsAnErrorNamingTheRun() throws {
        let path = try temporaryFile("[\(Self.run(id: "fine")), \(Self.run(id: "broken-run", dropping: "global_batch"))]")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: RunsFileError.self) { try RunsFileReader.loadRuns(path: path) }
        do {
            _ = try RunsFileReader.loadRuns(path: path)
        } catch {
            let message = "\(error)"
            #expect(message.contains("run 'broken-run'"), "\(message)")
            #expect(message.contains("global_batch"), "\(message)")
            #expect(!message.contains("\n"))
        }
    }

    @Test func aRunWithoutAnIdIsNamedByItsPosition() throws {
        let path = try temporaryFile("[\(Self.run(id: "first")), \(Self.run(id: nil))]")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try RunsFileReader.loadRuns(path: path)
            Issue.record("a run without an id must not load")
        } catch {
            #expect("\(error)".contains("run '#2'") && "\(error)".contains("'id'"), "\(error)")
        }
    }

    @Test func anUnstatedMicroBatchIsReadAsUnstated() throws {
        let path = try temporaryFile("[\(Self.run(id: "no-micro", dropping: "micro_batch"))]")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let runs = try RunsFileReader.loadRuns(path: path)
        #expect(runs.count == 1 && runs[0].layout.microBatch == nil)
    }

    @Test func aFileThatIsNotAnArrayOrIsMissingIsOneLineNamingIt() throws {
        // An object without a `runs` array (`runsUnderAnObjectAreRead` reads one with it).
        let path = try temporaryFile("{\"about\": \"runs\", \"runs\": 3}")
        defer { try? FileManager.default.removeItem(atPath: path) }
        for file in [path, "/nonexistent/runs.json"] {
            do {
                _ = try RunsFileReader.loadRuns(path: file)
                Issue.record("\(file) must not load")
            } catch {
                #expect("\(error)".contains(file) && !"\(error)".contains("\n"), "\(error)")
            }
        }
    }
}
