import Foundation
import Testing

/// scripts/check-emit-plans.sh with the framework check skipped (LOOM_SKIP_EMIT_CHECK=1, as in a
/// CI without the Python environment): every plan must still be emitted, and the files carry
/// what the frameworks need. The framework check itself is `scripts/check-emit-plans.sh`
/// without the variable (Tests/emit/README.md).
@Suite struct EmitPlansScriptTests {
    @Test func everyPlanIsEmittedAndTheSkipIsClean() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("loom-emit-plans-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [CLIRunner.repositoryRoot.appendingPathComponent("scripts/check-emit-plans.sh").path, out.path]
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["LOOM_SKIP_EMIT_CHECK": "1", "LOOM_BIN": CLIRunner.productsDirectory.appendingPathComponent("loom").path]) { _, new in new }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("check-emit skipped: LOOM_SKIP_EMIT_CHECK=1"))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("emitted ") }.count == 21, "\(text)")
        // The LoRA plan under CPU offload names DeepSpeed's optimizer (ZeRO-Offload's CPU Adam).
        let peft = try String(contentsOf: out.appendingPathComponent("llama3-70b-lora-offload-rtx4090/peft.json"), encoding: .utf8)
        #expect(peft.contains("\"offload_optimizer\"") && peft.contains("\"type\" : \"AdamW\""), "\(peft)")
        // Llama 3.1 405B, PP 16 x VPP 2: 8 + 14 x 8 + 6 = 126 layers, each stage divisible by 2.
        let args = try String(contentsOf: out.appendingPathComponent("llama3-405b-uneven-pp16-vpp2/megatron.args"), encoding: .utf8)
        #expect(args.contains("--decoder-first-pipeline-num-layers 8 --decoder-last-pipeline-num-layers 6"))
        #expect(args.contains("--num-virtual-stages-per-pipeline-rank 2") && args.contains("--bf16"))
        let env = try String(contentsOf: out.appendingPathComponent("llama3-405b-uneven-pp16-vpp2/megatron.env"), encoding: .utf8)
        #expect(env == "CUDA_DEVICE_MAX_CONNECTIONS=1\n")
        // DeepSpeed cannot interleave: no file, one line saying so.
        let unsupported = try String(contentsOf: out.appendingPathComponent("llama3-405b-uneven-pp16-vpp2/unsupported.txt"),
                                     encoding: .utf8)
        #expect(unsupported.contains("--emit deepspeed: virtual pipeline stages (vpp 2)"))
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("llama3-405b-uneven-pp16-vpp2/deepspeed.json").path))
    }
}
