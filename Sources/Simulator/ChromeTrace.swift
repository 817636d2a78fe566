import Foundation

/// Chrome trace format (the JSON Perfetto and chrome://tracing open): `{"traceEvents": [...]}`
/// of complete events (`ph: "X"`, `ts`/`dur` in microseconds, whole nanoseconds: 3 decimals), one process
/// per pipeline rank ("stage N") and one thread per stream ("compute", "p2p", "dp").
public enum ChromeTrace {
    /// The trace as UTF-8 JSON bytes.
    ///
    /// `marks` are events beside the step's tasks (a checkpoint save after the step), drawn on
    /// every stage on a thread of their own per track name.
    public static func data(_ result: SimulationResult, marks: [TraceMark] = []) -> Data {
        var out = TextBuffer(capacity: 110 * result.tasks.count + 300 * result.stages + 64)
        out.append("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n")
        var first = true
        for stage in 0..<result.stages {
            if first { first = false } else { out.append(",\n") }
            out.append("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":")
            out.append(stage)
            out.append(",\"args\":{\"name\":\"stage ")
            out.append(stage)
            out.append("\"}},\n{\"name\":\"process_sort_index\",\"ph\":\"M\",\"pid\":")
            out.append(stage)
            out.append(",\"args\":{\"sort_index\":")
            out.append(stage)
            out.append("}}")
            for stream in SimulationStream.allCases {
                out.append(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":")
                out.append(stage)
                out.append(",\"tid\":")
                out.append(stream.rawValue)
                out.append(",\"args\":{\"name\":\"")
                out.append(stream.name)
                out.append("\"}}")
            }
            for (index, track) in tracks(marks).enumerated() {
                out.append(",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":")
                out.append(stage)
                out.append(",\"tid\":")
                out.append(TraceMark.firstThread + index)
                out.append(",\"args\":{\"name\":\"")
                out.append(track)
                out.append("\"}}")
            }
        }
        let trackNames = tracks(marks)
        for mark in marks {
            for stage in 0..<result.stages {
                if first { first = false } else { out.append(",\n") }
                out.append("{\"name\":\"")
                out.append(mark.name)
                out.append("\",\"cat\":\"")
                out.append(mark.category)
                appendTimes(start: mark.startSeconds, end: mark.startSeconds + mark.durationSeconds, to: &out)
                out.append(",\"pid\":")
                out.append(stage)
                out.append(",\"tid\":")
                out.append(TraceMark.firstThread + (trackNames.firstIndex(of: mark.track) ?? 0))
                out.append("}")
            }
        }
        for task in result.tasks {
            if first { first = false } else { out.append(",\n") }
            out.append("{\"name\":\"")
            appendName(of: task, to: &out)
            out.append("\",\"cat\":\"")
            out.append(task.kind.category)
            appendTimes(start: task.start, end: task.end, to: &out)
            out.append(",\"pid\":")
            out.append(task.stage)
            out.append(",\"tid\":")
            out.append(task.stream.rawValue)
            out.append("}")
        }
        out.append("\n]}\n")
        return Data(out.bytes)
    }

    /// Writes the trace atomically (a reader never sees half a file).
    public static func write(_ result: SimulationResult, marks: [TraceMark] = [], to url: URL) throws {
        try data(result, marks: marks).write(to: url, options: .atomic)
    }

    /// An event's time in whole nanoseconds: `seconds` rounded to the nearest nanosecond
    /// (non-finite or negative times as 0).
    public static func nanoseconds(_ seconds: Double) -> Int {
        let ns = (seconds * 1e9).rounded()
        guard ns.isFinite, ns > 0 else { return 0 }
        return ns < 9e18 ? Int(ns) : Int.max / 2
    }

    /// `"ph":"X","ts":…,"dur":…` in microseconds with exactly 3 decimals (whole nanoseconds).
    /// Start and end are rounded, then `dur = end - start`: two events that touch in the
    /// simulation touch exactly in the trace (rounding each duration on its own let back-to-back
    /// events overlap by 1 ns, and Perfetto drops overlapping slices on a thread).
    static func appendTimes(start: Double, end: Double, to out: inout TextBuffer) {
        let first = nanoseconds(start)
        let last = max(nanoseconds(end), first)
        out.append("\",\"ph\":\"X\",\"ts\":")
        appendMicroseconds(nanoseconds: first, to: &out)
        out.append(",\"dur\":")
        appendMicroseconds(nanoseconds: last - first, to: &out)
    }

    /// `ns / 1000` as a decimal with exactly 3 fraction digits, by integer arithmetic.
    static func appendMicroseconds(nanoseconds ns: Int, to out: inout TextBuffer) {
        out.append(ns / 1000)
        out.append(".")
        let fraction = ns % 1000
        if fraction < 100 { out.append("0") }
        if fraction < 10 { out.append("0") }
        out.append(fraction)
    }

    /// The marks' track names, first appearance first.
    static func tracks(_ marks: [TraceMark]) -> [String] {
        var seen: [String] = []
        for mark in marks where !seen.contains(mark.track) { seen.append(mark.track) }
        return seen
    }

    /// `task.name` without building a String per task (names are plain ASCII, no escaping).
    static func appendName(of task: SimulationTask, to out: inout TextBuffer) {
        let micro: StaticString
        switch task.kind {
        case .forward: micro = "F mb"
        case .backward: micro = "B mb"
        case .sendForward: micro = "send F mb"
        case .sendBackward: micro = "send B mb"
        default:
            out.append(task.name)
            return
        }
        out.append(micro)
        out.append(task.index)
        if let chunk = task.chunk {
            out.append(" c")
            out.append(chunk)
        }
    }
}
