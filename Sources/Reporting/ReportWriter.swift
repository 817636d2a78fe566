import Foundation

/// Writes a report directory all at once: every file goes into a temporary directory beside
/// DIR, which then replaces DIR by rename, so a failure never leaves a partial report behind.
/// An existing DIR is replaced only if it is empty or holds nothing but report files.
public struct ReportWriter: Sendable {
    public var directory: URL

    public init(directory: URL) {
        self.directory = directory.standardizedFileURL
    }

    /// Names a report directory may hold (what `files(for:)` writes).
    static let reportFileNames: Set<String> = [
        "index.md", "report.html", "data.csv", "data.json", "throughput.svg", "efficiency.svg",
        "time-breakdown.svg", "memory-breakdown.svg", "time-to-train.svg",
    ]

    /// Every file of a report: the Markdown, the HTML page, the charts, the CSV and the JSON.
    public static func files(for report: ScalingReport, command: String? = nil) throws -> [(name: String, data: Data)] {
        let charts = ReportCharts.all(report)
        var files: [(name: String, data: Data)] = []
        files.append(("index.md", Data(MarkdownReport.render(report, charts: charts, command: command).utf8)))
        files.append(("report.html", Data(HTMLReport.render(report, charts: charts, command: command).utf8)))
        for chart in charts { files.append((chart.fileName, Data(chart.svg.utf8))) }
        files.append(("data.csv", Data(CSVWriter.render(report).utf8)))
        files.append(("data.json", try jsonData(report)))
        return files
    }

    /// `data.json` (and `loom report --format json`): the report with snake_case keys, sorted,
    /// pretty, plus `narrative`: the recommendation, layout changes, superlinear points and
    /// memory warnings the pages print, and the usable memory fraction they assume.
    public static func jsonData(_ report: ScalingReport) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        var data = try encoder.encode(ReportDocument(report: report))
        data.append(Data("\n".utf8))
        return data
    }

    /// Checks, before any work, that DIR can be written: its parent exists (or can be made) and
    /// takes a new directory, and DIR is not a file or a directory with other content.
    public func preflight() throws {
        let manager = FileManager.default
        let path = directory.path
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw ReportError("--out \(path) exists and is not a directory") }
            let contents = (try? manager.contentsOfDirectory(atPath: path)) ?? []
            let foreign = contents.filter { !ReportWriter.reportFileNames.contains($0) }
            if let name = foreign.sorted().first {
                throw ReportError("--out \(path) holds \(name), which is not part of a Loom report; "
                    + "choose a new or empty directory")
            }
        }
        // The nearest existing ancestor must be a directory; if the parent exists, a probe
        // directory is made and removed there (the real test of writability, also for root).
        let parent = directory.deletingLastPathComponent()
        var ancestor = parent
        while !manager.fileExists(atPath: ancestor.path) && ancestor.path != "/" {
            ancestor = ancestor.deletingLastPathComponent()
        }
        guard manager.fileExists(atPath: ancestor.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReportError("--out \(path) is not writable: \(ancestor.path) is not a directory")
        }
        if ancestor == parent {
            let probe = try makeTemporaryDirectory()
            try? manager.removeItem(at: probe)
        } else if !manager.isWritableFile(atPath: ancestor.path) {
            throw ReportError("--out \(path) is not writable: cannot create directories in \(ancestor.path)")
        }
    }

    /// Writes `files` into a temporary directory beside DIR and moves it into place.
    public func write(_ files: [(name: String, data: Data)]) throws {
        try preflight()
        let manager = FileManager.default
        let parent = directory.deletingLastPathComponent()
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw ReportError("--out \(directory.path) is not writable: cannot create \(parent.path)")
        }
        let temporary = try makeTemporaryDirectory()
        do {
            for file in files {
                try file.data.write(to: temporary.appendingPathComponent(file.name), options: .atomic)
            }
            try replaceDirectory(with: temporary)
        } catch {
            try? manager.removeItem(at: temporary)
            if let error = error as? ReportError { throw error }
            throw ReportError("--out \(directory.path): cannot write the report (\(ReportError.line(error)))")
        }
    }

    /// A fresh directory beside DIR: `.NAME.tmp-<random>`.
    func makeTemporaryDirectory() throws -> URL {
        let name = ".\(directory.lastPathComponent).tmp-\(UUID().uuidString.prefix(8))"
        let url = directory.deletingLastPathComponent().appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)
        } catch {
            throw ReportError("--out \(directory.path) is not writable: cannot create a directory in "
                + "\(directory.deletingLastPathComponent().path)")
        }
        return url
    }

    /// Renames `temporary` to DIR; an existing DIR is first renamed aside, restored on failure,
    /// removed on success.
    func replaceDirectory(with temporary: URL) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: directory.path) else {
            try manager.moveItem(at: temporary, to: directory)
            return
        }
        let aside = directory.deletingLastPathComponent()
            .appendingPathComponent(".\(directory.lastPathComponent).old-\(UUID().uuidString.prefix(8))")
        try manager.moveItem(at: directory, to: aside)
        do {
            try manager.moveItem(at: temporary, to: directory)
        } catch {
            try? manager.moveItem(at: aside, to: directory)
            throw error
        }
        try? manager.removeItem(at: aside)
    }
}

/// `data.json`: the report's fields and its narrative.
struct ReportDocument: Encodable {
    var report: ScalingReport

    struct Narrative: Encodable {
        var recommendation: String
        var layoutChanges: [String]
        var superlinear: [String]
        var memoryWarnings: [String]
        var usableMemoryFraction: Double
        var efficiencyThreshold: Double
    }

    enum CodingKeys: String, CodingKey { case narrative }

    func encode(to encoder: Encoder) throws {
        try report.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Narrative(recommendation: ReportNarrative.recommendation(report),
                                       layoutChanges: ReportNarrative.layoutChanges(report),
                                       superlinear: ReportNarrative.superlinear(report),
                                       memoryWarnings: ReportNarrative.memoryWarnings(report),
                                       usableMemoryFraction: MemoryHeadroom.usableFraction,
                                       efficiencyThreshold: ReportNarrative.efficiencyThreshold), forKey: .narrative)
    }
}
