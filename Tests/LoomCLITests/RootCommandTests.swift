import Foundation
import Testing

@Suite struct RootCommandTests {
    @Test func helpExitsZeroAndListsExamples() throws {
        let result = try CLIRunner.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples"))
    }

    @Test func unknownSubcommandIsOneLineOnStderr() throws {
        let result = try CLIRunner.run(["frobnicate"])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(result.stderr.contains("frobnicate"))
    }
}
