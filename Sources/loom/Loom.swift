import ArgumentParser
import Foundation

/// The `loom` command: plan, estimate and simulate distributed training of transformer models.
/// The CLI layer only parses, calls the library modules and prints (no modelling here).
@main
struct Loom: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loom",
        abstract: "Plan, estimate and simulate distributed training of large transformer models.",
        discussion: """
            Examples:
              loom models
              loom clusters
              loom describe --model llama-3.1-8b
              loom describe --model path/to/config.json --format json
            """,
        version: LoomVersion.current,
        subcommands: [
            // Subcommands, one type per file in this folder.
            ModelsCommand.self, DescribeCommand.self,
            ClustersCommand.self,
            EstimateCommand.self, FitCommand.self,
            SimulateCommand.self,
            PlanCommand.self,
            ValidateCommand.self,
            CalibrateCommand.self, CompareCollectivesCommand.self,
            ReportCommand.self,
            SizeCommand.self,
        ]
    )

    /// Runs the command; any error becomes one line on stderr and a non-zero exit
    /// (ARCHITECTURE.md: "one clear line on stderr naming the bad value and the constraint").
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            Self.exitWithOneLine(error)
        }
    }

    /// The first line of an error message, with the list that follows it (ArgumentParser's
    /// "Please provide one of the following:" and its "- value" lines) joined onto it.
    static func oneLine(_ message: String) -> String {
        let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = lines.first(where: { !$0.isEmpty }) else { return "" }
        let items = lines.filter { $0.hasPrefix("- ") }.map { String($0.dropFirst(2)) }
        return items.isEmpty ? first : first + " " + items.joined(separator: ", ")
    }

    static func exitWithOneLine(_ error: Error) -> Never {
        let code = Self.exitCode(for: error)
        if code == .success {
            // --help, --version: ArgumentParser's own output.
            Self.exit(withError: error)
        }
        var message = Self.message(for: error)
        if message.isEmpty { message = String(describing: error) }
        let line = oneLine(message)
        FileHandle.standardError.write(Data("loom: error: \(line.isEmpty ? "\(error)" : line)\n".utf8))
        Foundation.exit(code.rawValue == 0 ? 1 : code.rawValue)
    }
}
