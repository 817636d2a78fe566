import Foundation
import Testing

/// Every `loom ...` command of README.md's fenced `sh` blocks runs and exits 0 (issue 14:
/// documentation that runs). Files a command writes (`--out`, `--trace`, `--svg`) land in a
/// scratch directory, which is also the working directory.
@Suite(.serialized) struct ReadmeCommandsTests {
    /// Lines that are not run, and why. Anything else that is not a `loom` command fails the test,
    /// so a new kind of line in the README needs a reason here.
    static let skipped: [(prefix: String, reason: String)] = [
        ("mpirun ", "needs MPI ranks; loom-bench under mpirun is run by CalibrateCommandTests (LiveBench)"),
        ("bash scripts/", "installs packages, builds and runs the whole suite (this test among it)"),
    ]
    /// Seconds one command may take in the debug build (the slowest, `plan` of 405B on 16,384 GPUs
    /// and `validate`, take a few seconds in it).
    static let timeLimitSeconds = 120

    /// The README's commands, continuation lines joined and comments removed.
    static func commands() throws -> [String] {
        let text = try String(contentsOf: CLIRunner.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var commands: [String] = []
        var inBlock = false
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            if line.hasPrefix("```") {
                inBlock = !inBlock && line == "```sh"
                continue
            }
            guard inBlock else { continue }
            var code = line
            if let hash = code.range(of: #"(^|\s)#"#, options: .regularExpression) { code = String(code[..<hash.lowerBound]) }
            code = code.trimmingCharacters(in: .whitespaces)
            if code.hasSuffix("\\") {
                pending += code.dropLast() + " "
                continue
            }
            let command = (pending + code).trimmingCharacters(in: .whitespaces)
            pending = ""
            if !command.isEmpty { commands.append(command) }
        }
        return commands
    }

    /// The arguments as run from `scratch`: output paths that are absolute go into it (relative
    /// ones already do), and inputs that name a file of the repository get its absolute path.
    static func arguments(_ command: String, scratch: URL) -> [String] {
        let words = command.split(separator: " ").map(String.init).dropFirst()
        var result: [String] = []
        var previous = ""
        for word in words {
            var argument = word
            if ["--out", "--trace", "--svg"].contains(previous) {
                if word.hasPrefix("/") { argument = scratch.appendingPathComponent(URL(fileURLWithPath: word).lastPathComponent).path }
            } else if !word.hasPrefix("-"), word.contains("/"),
                      FileManager.default.fileExists(atPath: CLIRunner.repositoryRoot.appendingPathComponent(word).path) {
                argument = CLIRunner.repositoryRoot.appendingPathComponent(word).path
            }
            result.append(argument)
            previous = word
        }
        return result
    }

    @Test(.timeLimit(.minutes(15))) func everyReadmeCommandRuns() throws {
        let commands = try Self.commands()
        // A parsing slip must not pass by running none: the README had 25 `loom` lines when this
        // was written.
        let loomLines = commands.filter { $0.hasPrefix("loom ") }
        #expect(loomLines.count >= 20, "\(loomLines.count) loom commands found")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("loom-readme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch.appendingPathComponent("Topologies"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        // `ar.json` is what the skipped `mpirun ... loom-bench allreduce --out ar.json` line writes:
        // a real 2-rank allreduce result from the fuzzing seeds stands in for it.
        try FileManager.default.copyItem(
            at: CLIRunner.repositoryRoot.appendingPathComponent("Fuzz/Seeds/bench-result/allreduce-2ranks-this-host.json"),
            to: scratch.appendingPathComponent("ar.json"))
        for command in commands {
            if command.hasPrefix("loom ") {
                let started = Date()
                let result = try Self.run(Self.arguments(command, scratch: scratch), in: scratch)
                let seconds = Date().timeIntervalSince(started)
                #expect(result.status == 0, "\(command)\nexit \(result.status) after \(Int(seconds)) s: \(result.stderr.prefix(500))")
            } else {
                #expect(Self.skipped.contains { command.hasPrefix($0.prefix) }, "not a loom command, and no reason to skip it: \(command)")
            }
        }
    }

    /// The debug `loom` under timeout(1), output to files.
    static func run(_ arguments: [String], in directory: URL) throws -> CLIResult {
        let out = directory.appendingPathComponent(".stdout"), err = directory.appendingPathComponent(".stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["\(timeLimitSeconds)", CLIRunner.productsDirectory.appendingPathComponent("loom").path] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        try? outHandle.close()
        try? errHandle.close()
        return CLIResult(status: process.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
