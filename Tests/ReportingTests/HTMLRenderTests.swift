import Foundation
import XCTest
@testable import Reporting

/// Renders `report.html` in a real headless browser (Debian's chromium) to a PNG and checks the
/// page is not blank; checks every SVG of the report parses as XML. Skips where chromium is
/// missing (`apt-get install -y chromium`).
final class HTMLRenderTests: XCTestCase {
    func testReportRendersInHeadlessChromium() throws {
        let report = try XCTUnwrap(ReportFixtures.scaling)
        let dir = ReportFixtures.temporaryDirectory()
        try ReportWriter(directory: dir).write(try ReportWriter.files(for: report))
        let svgs = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".svg") }
        // Throughput, efficiency, time and memory breakdowns, time to train.
        XCTAssertEqual(svgs.count, 5)
        for name in svgs {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            XCTAssertTrue(ReportFixtures.parsesAsXML(text), name)
        }
        guard let chromium = HeadlessBrowser.locate() else {
            throw XCTSkip("chromium not found (apt-get install -y chromium): the browser rendering check is skipped")
        }
        // A blank page of the same size is the control: the report must carry far more pixels' worth of data.
        let blank = dir.deletingLastPathComponent().appendingPathComponent("blank.html")
        try Data("<!DOCTYPE html><html><body></body></html>".utf8).write(to: blank)
        let reportPNG = try HeadlessBrowser.screenshot(chromium, page: dir.appendingPathComponent("report.html"))
        let blankPNG = try HeadlessBrowser.screenshot(chromium, page: blank)
        let size = try XCTUnwrap(PNGInfo(reportPNG))
        XCTAssertEqual(size.width, HeadlessBrowser.width)
        XCTAssertEqual(size.height, HeadlessBrowser.height)
        let blankInfo = try XCTUnwrap(PNGInfo(blankPNG))
        XCTAssertGreaterThan(size.imageDataBytes, 5 * blankInfo.imageDataBytes,
                             "report.html rendered to a nearly blank image")
        XCTAssertGreaterThan(size.imageDataBytes, 50_000)
    }
}

/// Width, height and compressed image bytes of a PNG (signature, IHDR, the IDAT chunks).
struct PNGInfo {
    var width: Int
    var height: Int
    var imageDataBytes: Int

    init?(_ data: Data) {
        let bytes = [UInt8](data)
        guard bytes.count > 33, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
        func uint32(_ at: Int) -> Int { bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        width = uint32(16)
        height = uint32(20)
        var offset = 8
        var idat = 0
        while offset + 8 <= bytes.count {
            let length = uint32(offset)
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            if type == "IDAT" { idat += length }
            offset += 12 + length
        }
        imageDataBytes = idat
    }
}

/// Runs chromium headless to screenshot a local page.
enum HeadlessBrowser {
    static let width = 1400
    static let height = 2000

    static func locate() -> String? {
        var candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        if let custom = ProcessInfo.processInfo.environment["LOOM_CHROMIUM"] { candidates.insert(custom, at: 0) }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func screenshot(_ chromium: String, page: URL) throws -> Data {
        let output = page.deletingPathExtension().appendingPathExtension("png")
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("loom-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                             "--user-data-dir=\(profile.path)", "--window-size=\(width),\(height)",
                             "--screenshot=\(output.path)", page.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(90)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            process.terminate()
            throw XCTSkip("chromium did not finish within 90 s")
        }
        return try Data(contentsOf: output)
    }
}
