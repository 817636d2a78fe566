import Testing

/// A value outside a flag's choices gets one stderr line that names the value and lists the
/// choices (ArgumentParser puts the list on lines of its own, which the one-line rule would drop).
@Suite struct ChoiceErrorLineTests {
    @Test func invalidChoiceListsTheChoicesOnTheSameLine() throws {
        let result = try CLIRunner.run(["estimate", "--model", "llama-3.1-8b", "--cluster", "dgx-h100", "--gpus", "8",
                                        "--global-batch", "8", "--precision", "fp9"])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        // Issue 13's precisions, in the order `--help` lists them.
        #expect(lines.first?.hasSuffix("'fp9' is invalid for '--precision <precision>'. Please provide one of the following: "
                                       + "fp32, bf16, fp16, fp8, mxfp8, nvfp4") == true, "\(result.stderr)")
    }
}
