import Foundation

/// Chrome trace format (the JSON Perfetto and chrome://tracing open): `{"traceEvents": [...]}`
/// of complete events (`ph: "X"`, `ts`/`dur` in microseconds), one process per pipeline rank
/// ("stage N") and one thread per stream ("compute", "p2p", "dp").
public enum ChromeTrace {
    /// The trace as UTF-8 JSON bytes.
    public static func data(_ result: SimulationResult) -> Data {
        var out = String()
        out.reserveCapacity(120 * result.tasks.count + 200 * result.stages + 64)
        out += "{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n"
        var first = true
        func separator() {
            if first { first = false } else { out += ",\n" }
        }
        for stage in 0..<result.stages {
            separator()
            out += "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":\(stage),\"args\":{\"name\":\"stage \(stage)\"}},\n"
            out += "{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":\(stage),\"args\":{\"sort_index\":\(stage)}}"
            for stream in SimulationStream.allCases {
                out += ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":\(stage),\"tid\":\(stream.rawValue),"
                out += "\"args\":{\"name\":\"\(stream.name)\"}}"
            }
        }
        for task in result.tasks {
            separator()
            out += "{\"name\":\""
            out += escaped(task.name)
            out += "\",\"cat\":\""
            out += task.kind.category
            out += "\",\"ph\":\"X\",\"ts\":"
            out += number(task.start * 1e6)
            out += ",\"dur\":"
            out += number(task.duration * 1e6)
            out += ",\"pid\":\(task.stage),\"tid\":\(task.stream.rawValue)}"
        }
        out += "\n]}\n"
        return Data(out.utf8)
    }

    /// Writes the trace atomically (a reader never sees half a file).
    public static func write(_ result: SimulationResult, to url: URL) throws {
        try data(result).write(to: url, options: .atomic)
    }

    /// A JSON number (finite; non-finite values become 0).
    static func number(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        return String(describing: x)
    }

    static func escaped(_ s: String) -> String {
        guard s.contains(where: { $0 == "\"" || $0 == "\\" || $0.asciiValue.map { $0 < 0x20 } == true }) else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
