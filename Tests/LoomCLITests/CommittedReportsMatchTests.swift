import Foundation
import Testing

/// The committed example reports stay true: each report under Reports/ is regenerated in a
/// temporary directory by the command that `scripts/regenerate-reports.sh` runs for it (read
/// from the script, so the commands live in one place), and its `data.csv` must match the
/// committed one: same columns, same rows, the same text in text cells and numbers within a
/// relative 1e-9 (the printing of a Double, not the model, may differ across platforms).
/// When the cost model changes a figure, this fails until `scripts/regenerate-reports.sh` is run.
@Suite struct CommittedReportsMatchTests {
    /// `report` commands of the regeneration script, one argument list each, with the output
    /// directory they write.
    static func scriptCommands() throws -> [(arguments: [String], out: String)] {
        let script = try String(contentsOf: CLIRunner.repositoryRoot.appendingPathComponent("scripts/regenerate-reports.sh"),
                                encoding: .utf8)
        let joined = script.replacingOccurrences(of: "\\\n", with: " ")
        return joined.split(separator: "\n").compactMap { line -> (arguments: [String], out: String)? in
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard words.first == "\"$loom\"", words.dropFirst().first == "report",
                  let at = words.firstIndex(of: "--out"), at + 1 < words.count else { return nil }
            return (Array(words.dropFirst()), words[at + 1])
        }
    }

    static func committedReports() throws -> [String] {
        let reports = CLIRunner.repositoryRoot.appendingPathComponent("Reports")
        return try FileManager.default.contentsOfDirectory(atPath: reports.path).filter {
            FileManager.default.fileExists(atPath: reports.appendingPathComponent("\($0)/data.csv").path)
        }.sorted()
    }

    @Test func everyCommittedReportHasItsCommand() throws {
        let outs = Set(try Self.scriptCommands().map(\.out))
        let committed = try Self.committedReports()
        #expect(!committed.isEmpty)
        for name in committed {
            #expect(outs.contains("Reports/\(name)"), "Reports/\(name) is not written by scripts/regenerate-reports.sh")
        }
    }

    @Test func committedDataMatchesTheCode() throws {
        let commands = try Self.scriptCommands()
        #expect(commands.count == (try Self.committedReports()).count)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("loom-reports-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        for command in commands {
            let out = scratch.appendingPathComponent(command.out)
            var arguments = command.arguments
            arguments[arguments.firstIndex(of: "--out")! + 1] = out.path
            let result = try CLIRunner.run(arguments)
            #expect(result.status == 0, "\(arguments.joined(separator: " ")): \(result.stderr)")
            guard result.status == 0 else { continue }
            let fresh = try String(contentsOf: out.appendingPathComponent("data.csv"), encoding: .utf8)
            let committed = try String(contentsOf: CLIRunner.repositoryRoot.appendingPathComponent(command.out)
                .appendingPathComponent("data.csv"), encoding: .utf8)
            for problem in Self.differences(fresh: fresh, committed: committed) {
                Issue.record("\(command.out)/data.csv: \(problem); run scripts/regenerate-reports.sh")
            }
        }
    }

    /// Cell-by-cell differences beyond the tolerance, named by row and column.
    static func differences(fresh: String, committed: String, tolerance: Double = 1e-9) -> [String] {
        let a = fresh.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let b = committed.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = a.first, let committedHeader = b.first else { return ["a file is empty"] }
        guard header == committedHeader else {
            let added = header.filter { !committedHeader.contains($0) }, removed = committedHeader.filter { !header.contains($0) }
            return ["the columns differ (new: \(added.joined(separator: " ")); gone: \(removed.joined(separator: " ")))"]
        }
        guard a.count == b.count else { return ["\(a.count - 1) rows against \(b.count - 1) committed"] }
        var problems: [String] = []
        for (row, (x, y)) in zip(a, b).enumerated().dropFirst() {
            guard x.count == y.count else { problems.append("row \(row) has \(x.count) cells against \(y.count)"); continue }
            for (column, (u, v)) in zip(x, y).enumerated() where u != v {
                if let p = Double(u), let q = Double(v), abs(p - q) <= tolerance * max(abs(p), abs(q)) { continue }
                problems.append("row \(row) (\(x.first ?? "")), \(header[column]): \(u) now, \(v) committed")
            }
        }
        return problems
    }

    /// The comparison itself: a number off in its 8th digit is caught, one off in its 15th is not.
    @Test func differencesRespectTheTolerance() {
        let committed = "gpus,step_time_s,status\n64,302.637183175372,ok\n"
        #expect(Self.differences(fresh: committed, committed: committed).isEmpty)
        #expect(Self.differences(fresh: "gpus,step_time_s,status\n64,302.637183175373,ok\n", committed: committed).isEmpty)
        #expect(Self.differences(fresh: "gpus,step_time_s,status\n64,302.6371861,ok\n", committed: committed).count == 1)
        #expect(Self.differences(fresh: "gpus,step_time_s,status\n64,302.637183175372,oom\n", committed: committed).count == 1)
        #expect(Self.differences(fresh: "gpus,step_time,status\n64,302.637183175372,ok\n", committed: committed)
                == ["the columns differ (new: step_time; gone: step_time_s)"])
    }
}
