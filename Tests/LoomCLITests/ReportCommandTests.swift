import Foundation
import XCTest

/// `loom report scaling` and `loom report compare` end to end: the file set, the one-line
/// errors, and that a failed run leaves no directory behind.
final class ReportCommandTests: XCTestCase {
    func temporaryParent() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loom-report-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func assertOneLineError(_ result: CLIResult, contains text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(result.status, 0, file: file, line: line)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.stderr, file: file, line: line)
        XCTAssertTrue(result.stderr.contains(text), result.stderr, file: file, line: line)
        XCTAssertFalse(result.stderr.contains("Fatal error"), file: file, line: line)
    }

    func testScalingWritesTheFileSetWithARowPerGPUCount() throws {
        let parent = try temporaryParent()
        let out = parent.appendingPathComponent("report")
        let result = try CLIRunner.run(["report", "scaling", "--model", "llama-3.1-8b", "--cluster", "dgx-h100",
                                        "--gpus", "8,12,16", "--global-batch", "64", "--seq", "4096",
                                        "--price-per-gpu-hour", "2.5", "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
        XCTAssertTrue(names.isSuperset(of: ["index.md", "report.html", "data.csv", "data.json", "throughput.svg",
                                            "efficiency.svg", "time-breakdown.svg", "memory-breakdown.svg"]), "\(names)")
        let csv = try String(contentsOf: out.appendingPathComponent("data.csv"), encoding: .utf8)
        let lines = csv.split(separator: "\n")
        XCTAssertEqual(lines.count, 4)
        let header = lines[0].split(separator: ",").map(String.init)
        XCTAssertTrue(header.contains("gpus") && header.contains("scaling_efficiency"))
        // 12 GPUs is not whole nodes: that row says why, the report still renders, stderr names it.
        XCTAssertTrue(lines[2].contains("no_layout"))
        XCTAssertTrue(result.stderr.contains("12 GPUs"), result.stderr)
        // Nothing but the report is left in the parent (the temporary directory was moved into place).
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent.path), ["report"])
        // No progress bar when stderr is not a terminal.
        XCTAssertFalse(result.stderr.contains("[#"))
    }

    func testCompareWritesOneRowPerCluster() throws {
        let out = try temporaryParent().appendingPathComponent("compare")
        let result = try CLIRunner.run(["report", "compare", "--model", "llama-3.1-8b", "--clusters", "dgx-a100-80gb,dgx-h100",
                                        "--gpus", "8", "--global-batch", "64", "--seq", "4096", "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let data = try Data(contentsOf: out.appendingPathComponent("data.json"))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try XCTUnwrap(object["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.compactMap { $0["cluster"] as? String }, ["dgx-a100-80gb", "dgx-h100"])
        XCTAssertEqual(object["kind"] as? String, "compare")
    }

    /// `--format json` prints data.json (the same bytes as the file), narrative included.
    func testFormatJSONPrintsDataJSON() throws {
        let out = try temporaryParent().appendingPathComponent("json")
        let result = try CLIRunner.run(["report", "compare", "--model", "llama-3.1-8b", "--clusters", "dgx-a100-80gb,dgx-h100",
                                        "--gpus", "8", "--global-batch", "64", "--seq", "4096", "--price-per-gpu-hour", "1.8,2.5",
                                        "--out", out.path, "--format", "json"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stdout, try String(contentsOf: out.appendingPathComponent("data.json"), encoding: .utf8))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let narrative = try XCTUnwrap(object["narrative"] as? [String: Any])
        XCTAssertTrue((narrative["recommendation"] as? String)?.hasPrefix("Best throughput per dollar:") == true, "\(narrative)")
        XCTAssertEqual(narrative["usable_memory_fraction"] as? Double ?? 0, 81_559.0 / 81_920.0, accuracy: 1e-12)
    }

    func testBadGPUListsAreOneLineErrorsAndWriteNothing() throws {
        let parent = try temporaryParent()
        let out = parent.appendingPathComponent("r")
        for (gpus, message) in [("", "empty"), ("64,32", "strictly increasing"), ("8,x", "'x' is not a GPU count")] {
            let result = try CLIRunner.run(["report", "scaling", "--model", "llama-3.1-8b", "--cluster", "dgx-h100",
                                            "--gpus", gpus, "--global-batch", "64", "--out", out.path])
            assertOneLineError(result, contains: message)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent.path), [])
    }

    func testUnwritableDirectoryFailsFast() throws {
        let result = try CLIRunner.run(["report", "scaling", "--model", "llama-3.1-8b", "--cluster", "dgx-h100",
                                        "--gpus", "8", "--global-batch", "64", "--out", "/proc/loom-report"])
        assertOneLineError(result, contains: "not writable")
    }

    func testNothingFitsLeavesNoReport() throws {
        let parent = try temporaryParent()
        let out = parent.appendingPathComponent("r")
        let result = try CLIRunner.run(["report", "scaling", "--model", "gpt3-175b", "--cluster", "dgx-a100-80gb",
                                        "--gpus", "8,16", "--global-batch", "64", "--seq", "2048", "--policy", "fixed",
                                        "--tp", "8", "--out", out.path])
        assertOneLineError(result, contains: "nothing fits")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent.path), [])
    }

    func testWeakScalingWithTokensPerBatchAndAFixedLayout() throws {
        let out = try temporaryParent().appendingPathComponent("weak")
        let result = try CLIRunner.run(["report", "scaling", "--model", "llama-3.1-8b", "--cluster", "dgx-h100",
                                        "--gpus", "8,16", "--tokens-per-batch", "262144", "--seq", "4096", "--mode", "weak",
                                        "--policy", "fixed", "--tp", "2", "--zero", "1", "--tokens", "1T", "--out", out.path])
        XCTAssertEqual(result.status, 0, result.stderr)
        let csv = try String(contentsOf: out.appendingPathComponent("data.csv"), encoding: .utf8)
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = try XCTUnwrap(rows.first)
        let batch = try XCTUnwrap(header.firstIndex(of: "global_batch"))
        let tp = try XCTUnwrap(header.firstIndex(of: "tp"))
        let dp = try XCTUnwrap(header.firstIndex(of: "dp"))
        let tokens = try XCTUnwrap(header.firstIndex(of: "train_tokens"))
        XCTAssertEqual(rows.dropFirst().map { $0[batch] }, ["64", "128"])
        XCTAssertEqual(rows.dropFirst().map { $0[tp] }, ["2", "2"])
        XCTAssertEqual(rows.dropFirst().map { $0[dp] }, ["4", "8"])
        XCTAssertEqual(rows.dropFirst().map { $0[tokens] }, ["1000000000000", "1000000000000"])
    }

    func testBatchMustBeGivenOnce() throws {
        let out = try temporaryParent().appendingPathComponent("r")
        let neither = try CLIRunner.run(["report", "scaling", "--model", "llama-3.1-8b", "--cluster", "dgx-h100",
                                         "--gpus", "8", "--out", out.path])
        assertOneLineError(neither, contains: "--global-batch")
        let both = try CLIRunner.run(["report", "scaling", "--model", "llama-3.1-8b", "--cluster", "dgx-h100", "--gpus", "8",
                                      "--global-batch", "8", "--tokens-per-batch", "65536", "--out", out.path])
        assertOneLineError(both, contains: "not both")
    }
}
