import CostModel
import Foundation
import InputLimits

/// Which of loom-bench's per-size times a fit or a comparison uses. loom-bench times a loop on
/// every rank and reports the minimum, mean and maximum of the ranks' mean times (`time_us`);
/// nccl-tests and OSU report the mean over ranks, which is the default here.
public enum TimeStatistic: String, Sendable, Hashable, Codable, CaseIterable {
    case min
    case avg
    case max
}

/// One message size of a benchmark run: bytes of the operation's full buffer (nccl-tests'
/// "size") and the time of one operation in microseconds.
public struct BenchmarkSample: Sendable, Hashable {
    public var bytes: Int
    public var minUs: Double
    public var avgUs: Double
    public var maxUs: Double

    public init(bytes: Int, minUs: Double, avgUs: Double, maxUs: Double) {
        self.bytes = bytes
        self.minUs = minUs
        self.avgUs = avgUs
        self.maxUs = maxUs
    }

    public func microseconds(_ statistic: TimeStatistic) -> Double {
        switch statistic {
        case .min: return minUs
        case .avg: return avgUs
        case .max: return maxUs
        }
    }
}

/// One `loom-bench --format json` document, as calibration reads it: the keys of ARCHITECTURE.md's
/// contract, encoded by Sources/Collectives/BenchmarkReport.swift, EnvironmentInfo.swift and
/// SizeResult.swift. CostModel never links MPI, so it decodes those keys itself:
/// `{"collective", "ranks", "results": [{"bytes", "time_us": {"min", "avg", "max"}, "wrong", ...}],
/// "environment": {"hosts", "ranks_per_host", "host_names", "mpi_library", "date"}}`.
public struct BenchmarkRun: Sendable, Hashable {
    /// The file it was read from, for messages.
    public var file: String
    /// The operation's name in the file (`allreduce`, ..., `pingpong`).
    public var collective: String
    /// The cost formula it measures; `pingpong` (one-way time of a round trip) and `sendrecv`
    /// both measure the point-to-point formula `alpha + beta x bytes`.
    public var kind: CollectiveKind
    public var ranks: Int
    /// Distinct hosts: 1 measures the scale-up tier, more the scale-out tier.
    public var hosts: Int
    public var ranksPerHost: Int
    public var hostNames: [String]
    public var mpiLibrary: String?
    /// When the run started (ISO 8601), as loom-bench recorded it.
    public var date: String?
    /// One entry per message size, in file order.
    public var samples: [BenchmarkSample]

    public init(file: String, collective: String, kind: CollectiveKind, ranks: Int, hosts: Int, ranksPerHost: Int,
                hostNames: [String] = [], mpiLibrary: String? = nil, date: String? = nil, samples: [BenchmarkSample]) {
        self.file = file
        self.collective = collective
        self.kind = kind
        self.ranks = ranks
        self.hosts = hosts
        self.ranksPerHost = ranksPerHost
        self.hostNames = hostNames
        self.mpiLibrary = mpiLibrary
        self.date = date
        self.samples = samples
    }

    /// The tier the run measured: `scale_up` on one host, `scale_out` across hosts (the names of
    /// `CollectiveCalibration.tier`).
    public var tier: String { hosts > 1 ? "scale_out" : "scale_up" }

    /// The rank group of the run, as the cost model places ranks.
    public var group: RankPlacement.Group {
        RankPlacement.Group(size: ranks, ranksPerNode: hosts > 1 ? ranksPerHost : ranks)
    }

    /// Collective names the fit understands, for messages.
    public static let acceptedNames = CollectiveKind.allCases.map(\.rawValue) + ["pingpong"]

    /// The cost formula a loom-bench operation name measures, or nil.
    public static func kind(named name: String) -> CollectiveKind? {
        let lower = name.lowercased()
        if lower == "pingpong" { return .sendRecv }
        return CollectiveKind(rawValue: lower)
    }
}

extension BenchmarkRun {
    /// Reads and checks one loom-bench JSON file. Every problem is one `CalibrationError` line
    /// naming the file and the value: a missing or empty file, text that is not JSON, a missing
    /// key, a collective without a cost formula, fewer than 2 ranks, no results, a time that is
    /// not a positive finite number, times out of order (min <= avg <= max), results that failed
    /// loom-bench's correctness check.
    public static func load(path: String) throws -> BenchmarkRun {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CalibrationError("no such benchmark file", file: path)
        }
        guard !isDirectory.boolValue else {
            throw CalibrationError("is a directory, not a loom-bench JSON file", file: path)
        }
        let data: Data?
        do {
            data = try InputLimits.readFile(path)
        } catch let error as InputLimitError {
            throw CalibrationError(error.message, file: path)
        }
        guard let data else { throw CalibrationError("cannot be read", file: path) }
        return try parse(data, file: path)
    }

    /// Parses and checks the bytes of a loom-bench JSON document; `file` names it in messages.
    public static func parse(_ data: Data, file: String) throws -> BenchmarkRun {
        if data.allSatisfy({ [0x20, 0x0A, 0x0D, 0x09].contains($0) }) {
            throw CalibrationError("is empty: expected the JSON document of `loom-bench ... --format json`", file: file)
        }
        do {
            try InputLimits.check(data, file: file)
        } catch let error as InputLimitError {
            throw CalibrationError(error.message, file: file)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw CalibrationError("is not JSON (expected the document of `loom-bench ... --format json`)", file: file)
        }
        let root = try JSONFields(object, path: "the document", file: file)
        let collective = try root.string("collective")
        guard let kind = kind(named: collective) else {
            if collective.lowercased() == "barrier" {
                throw CalibrationError("collective is 'barrier', which moves no data: there is no bandwidth to fit",
                                       file: file)
            }
            throw CalibrationError("collective is '\(collective)', which has no cost formula; expected one of "
                                       + acceptedNames.joined(separator: ", "), file: file)
        }
        let ranks = try root.integer("ranks")
        guard ranks >= 2 else {
            throw CalibrationError("ranks is \(ranks), must be at least 2 (a collective over one rank moves nothing)",
                                   file: file)
        }
        let environment = try root.object("environment")
        let hosts = try environment.integer("hosts")
        guard hosts >= 1, hosts <= ranks else {
            throw CalibrationError("environment.hosts is \(hosts), must be between 1 and ranks (\(ranks))", file: file)
        }
        let ranksPerHost = try environment.optionalInteger("ranks_per_host") ?? (ranks + hosts - 1) / hosts
        guard ranksPerHost >= 1, ranksPerHost <= ranks else {
            throw CalibrationError("environment.ranks_per_host is \(ranksPerHost), must be between 1 and ranks (\(ranks))",
                                   file: file)
        }
        let results = try root.array("results")
        guard !results.isEmpty else {
            throw CalibrationError("results is empty: there is nothing to fit", file: file)
        }
        var samples: [BenchmarkSample] = []
        for (index, item) in results.enumerated() {
            samples.append(try sample(item, index: index, file: file))
        }
        return BenchmarkRun(file: file, collective: collective.lowercased(), kind: kind, ranks: ranks, hosts: hosts,
                            ranksPerHost: ranksPerHost, hostNames: environment.optionalStrings("host_names") ?? [],
                            mpiLibrary: environment.optionalString("mpi_library"),
                            date: environment.optionalString("date"), samples: samples)
    }

    private static func sample(_ item: Any, index: Int, file: String) throws -> BenchmarkSample {
        let entry = try JSONFields(item, path: "results[\(index)]", file: file)
        let bytes = try entry.integer("bytes")
        guard bytes > 0 else {
            throw CalibrationError("results[\(index)].bytes is \(bytes), must be positive", file: file)
        }
        let time = try entry.object("time_us")
        var values: [Double] = []
        for key in ["min", "avg", "max"] {
            let value = try time.number(key)
            guard value.isFinite, value > 0 else {
                throw CalibrationError("results[\(index)].time_us.\(key) is \(value) at \(bytes) bytes, "
                                           + "must be a positive time", file: file)
            }
            values.append(value)
        }
        // loom-bench's min, avg and max are statistics of the same per-rank times.
        guard values[0] <= values[1], values[1] <= values[2] else {
            throw CalibrationError("results[\(index)].time_us at \(bytes) bytes has min \(values[0]), avg \(values[1]), "
                                       + "max \(values[2]): must satisfy min <= avg <= max", file: file)
        }
        if let wrong = try entry.optionalInteger("wrong"), wrong != 0 {
            throw CalibrationError("results[\(index)].wrong is \(wrong) at \(bytes) bytes: the run failed its "
                                       + "correctness check, so its times measure nothing; rerun loom-bench", file: file)
        }
        return BenchmarkSample(bytes: bytes, minUs: values[0], avgUs: values[1], maxUs: values[2])
    }
}

/// Typed access to one JSON object, with one-line errors naming the key path.
private struct JSONFields {
    let fields: [String: Any]
    let path: String
    let file: String

    init(_ value: Any, path: String, file: String) throws {
        guard let fields = value as? [String: Any] else {
            throw CalibrationError("\(path) is not a JSON object", file: file)
        }
        self.fields = fields
        self.path = path
        self.file = file
    }

    private func name(_ key: String) -> String { path == "the document" ? key : "\(path).\(key)" }

    private func required(_ key: String) throws -> Any {
        guard let value = fields[key], !(value is NSNull) else {
            throw CalibrationError("\(name(key)) is missing (not a loom-bench JSON document?)", file: file)
        }
        return value
    }

    func object(_ key: String) throws -> JSONFields {
        try JSONFields(try required(key), path: name(key), file: file)
    }

    func array(_ key: String) throws -> [Any] {
        guard let items = try required(key) as? [Any] else {
            throw CalibrationError("\(name(key)) is not a list", file: file)
        }
        return items
    }

    func string(_ key: String) throws -> String {
        guard let text = try required(key) as? String else {
            throw CalibrationError("\(name(key)) is not a string", file: file)
        }
        return text
    }

    func number(_ key: String) throws -> Double {
        let value = try required(key)
        // JSON true/false also bridge to NSNumber (and 0/1 to Bool): tell them apart by type code.
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else {
            throw CalibrationError("\(name(key)) is not a number", file: file)
        }
        return number.doubleValue
    }

    func integer(_ key: String) throws -> Int {
        let value = try number(key)
        guard value.isFinite, value.rounded() == value, abs(value) < 9.0e15 else {
            throw CalibrationError("\(name(key)) is \(value), must be a whole number", file: file)
        }
        return Int(value)
    }

    func optionalInteger(_ key: String) throws -> Int? {
        if fields[key] == nil || fields[key] is NSNull { return nil }
        return try integer(key)
    }

    func optionalString(_ key: String) -> String? {
        guard let value = fields[key], !(value is NSNull) else { return nil }
        return value as? String
    }

    func optionalStrings(_ key: String) -> [String]? {
        guard let value = fields[key], !(value is NSNull) else { return nil }
        return (value as? [Any])?.compactMap { $0 as? String }
    }
}
