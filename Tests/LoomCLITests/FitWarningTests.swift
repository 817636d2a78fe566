import Foundation
import Testing

/// A layout that does not fit: a one-line warning on stderr and exit 0, or with `--require-fit`
/// the same line as the error and a non-zero exit (issue 14).
@Suite struct FitWarningTests {
    /// GPT-3 175B on one node of 8 A100-80GB with tp 8: the model states alone are 175e9 x 16
    /// bytes (bf16 weights and gradients, fp32 master and two Adam moments; Rajbhandari et al.
    /// 2020, K = 12 + 4) / 8 GPUs = 326 GiB per GPU, four times the 80 GiB.
    static let tooBig = ["--model", "gpt3-175b", "--cluster", "dgx-a100-80gb", "--gpus", "8", "--tp", "8", "--pp", "1",
                         "--micro-batch", "1", "--global-batch", "8"]

    @Test(arguments: ["estimate", "simulate"])
    func aLayoutThatDoesNotFitWarnsAndExitsZero(command: String) throws {
        let result = try CLIRunner.run([command] + Self.tooBig + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").filter { $0.contains("does not fit") }
        #expect(lines.count == 1, "\(result.stderr)")
        let line = String(lines.first ?? "")
        #expect(line.hasPrefix("loom: warning: "))
        #expect(line.contains("of 80.0 GiB available") && line.contains("stage 0"), "\(line)")
        // The GiB needed is named and is above the 326 GiB of model states.
        let needed = line.split(separator: " ").firstIndex(of: "needs").map { line.split(separator: " ")[$0 + 1] }
        #expect((needed.flatMap { Double($0) } ?? 0) > 326, "\(line)")
        // Still exactly one JSON document on stdout.
        #expect((try CLIRunner.json(result) as? [String: Any]) != nil)
    }

    @Test(arguments: ["estimate", "simulate"])
    func requireFitExitsNonZero(command: String) throws {
        let result = try CLIRunner.run([command] + Self.tooBig + ["--require-fit"])
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix("loom: error: the layout does not fit"), "\(result.stderr)")
        #expect(result.stderr.contains("--require-fit"))
    }

    @Test func aLayoutThatFitsIsSilentUnderRequireFit() throws {
        let result = try CLIRunner.run(EstimateCommandTests.gpt3 + ["--require-fit"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stderr.contains("does not fit"), "\(result.stderr)")
    }
}
