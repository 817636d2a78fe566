import Foundation
import XCTest
@testable import Reporting

final class ReportWriterTests: XCTestCase {
    let files: [(name: String, data: Data)] = [("index.md", Data("# one\n".utf8)), ("data.csv", Data("gpus\n8\n".utf8))]

    func testWritesANewDirectoryAndLeavesNoTemporaryBehind() throws {
        let dir = ReportFixtures.temporaryDirectory()
        try ReportWriter(directory: dir).write(files)
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("index.md"), encoding: .utf8), "# one\n")
        let siblings = try FileManager.default.contentsOfDirectory(atPath: dir.deletingLastPathComponent().path)
        XCTAssertEqual(siblings, [dir.lastPathComponent])
    }

    func testReplacesAnExistingReportAsAWhole() throws {
        let dir = ReportFixtures.temporaryDirectory()
        try ReportWriter(directory: dir).write(files + [("data.json", Data("{}".utf8))])
        try ReportWriter(directory: dir).write([("index.md", Data("# two\n".utf8))])
        let contents = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        XCTAssertEqual(contents, ["index.md"])
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent("index.md"), encoding: .utf8), "# two\n")
    }

    func testRefusesADirectoryWithOtherFiles() throws {
        let dir = ReportFixtures.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        XCTAssertThrowsError(try ReportWriter(directory: dir).write(files)) { error in
            XCTAssertTrue("\(error)".contains("notes.txt"), "\(error)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["notes.txt"])
    }

    func testUnwritableDestinationsFailBeforeWriting() throws {
        let base = ReportFixtures.temporaryDirectory()
        try Data("x".utf8).write(to: base)
        // The parent is a regular file.
        XCTAssertThrowsError(try ReportWriter(directory: base.appendingPathComponent("out")).preflight()) { error in
            XCTAssertTrue("\(error)".contains("not writable"), "\(error)")
        }
        // DIR itself is a file.
        XCTAssertThrowsError(try ReportWriter(directory: base).preflight()) { error in
            XCTAssertTrue("\(error)".contains("not a directory"), "\(error)")
        }
        // /proc takes no new directories, even for root.
        XCTAssertThrowsError(try ReportWriter(directory: URL(fileURLWithPath: "/proc/loom-report")).write(files))
    }
}
