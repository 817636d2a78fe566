import Foundation

/// A self-contained SVG Gantt chart of a simulated step: one row per pipeline rank, the compute
/// stream as full-height boxes (forward, backward, optimizer) and the communication streams as a
/// thin strip under them (p2p, data-parallel), a time axis in seconds, a title and a legend.
public enum GanttSVG {
    struct Style {
        static let width = 1200.0
        static let left = 80.0
        static let right = 20.0
        static let top = 50.0
        static let computeHeight = 18.0  // written literally in the box loop
        static let commHeight = 6.0
        static let rowGap = 6.0
        static let axisHeight = 40.0
        static let legendHeight = 30.0
    }

    static func colour(_ kind: SimulationTaskKind) -> String {
        switch kind {
        case .forward: return "#4e79a7"
        case .backward: return "#59a14f"
        case .optimizer: return "#b07aa1"
        case .sendForward, .sendBackward: return "#f28e2b"
        case .gradAllReduce, .gradReduceScatter, .embeddingAllReduce, .paramAllGather: return "#e15759"
        }
    }

    public static func render(_ result: SimulationResult, title: String) -> String {
        let rowHeight = Style.computeHeight + Style.commHeight + Style.rowGap
        let plotWidth = Style.width - Style.left - Style.right
        let plotHeight = Double(result.stages) * rowHeight
        let height = Style.top + plotHeight + Style.axisHeight + Style.legendHeight
        let span = result.stepSeconds > 0 ? result.stepSeconds : 1
        let scale = plotWidth / span
        func x(_ t: Double) -> String { format(Style.left + t * scale) }

        var out = String()
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(format(Style.width))\" height=\"\(format(height))\" "
        out += "viewBox=\"0 0 \(format(Style.width)) \(format(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        out += "<text x=\"\(format(Style.left))\" y=\"24\" font-size=\"15\" font-weight=\"bold\">\(escaped(title))</text>\n"
        out += "<text x=\"\(format(Style.left))\" y=\"40\" fill=\"#555\">step \(String(format: "%.3f", result.stepSeconds)) s, "
        out += "\(result.stages) stages, \(result.microBatches) micro-batches\(result.chunks > 1 ? ", \(result.chunks) chunks per stage" : "")</text>\n"

        for stage in 0..<result.stages {
            let y = Style.top + Double(stage) * rowHeight
            out += "<text x=\"\(format(Style.left - 6))\" y=\"\(format(y + Style.computeHeight - 5))\" text-anchor=\"end\">stage \(stage)</text>\n"
            out += "<rect x=\"\(format(Style.left))\" y=\"\(format(y))\" width=\"\(format(plotWidth))\" "
            out += "height=\"\(format(Style.computeHeight + Style.commHeight))\" fill=\"#f4f4f4\"/>\n"
        }
        // Boxes: ~10^5 for a 1T-parameter step, so written without Foundation formatting, and
        // with a tooltip only where a box is wide enough to point at.
        var boxes = TextBuffer(capacity: 90 * result.tasks.count)
        for task in result.tasks where task.duration > 0 {
            let row = Style.top + Double(task.stage) * rowHeight
            let y = task.stream == .compute ? row : row + Style.computeHeight
            let width = task.duration * scale
            boxes.append("<rect x=\"")
            boxes.append(Style.left + task.start * scale, decimals: 2)
            boxes.append("\" y=\"")
            boxes.append(y, decimals: 1)
            boxes.append("\" width=\"")
            boxes.append(max(width, 0.1), decimals: 2)
            boxes.append(task.stream == .compute ? "\" height=\"18\" fill=\"" as StaticString : "\" height=\"6\" fill=\"")
            boxes.append(colour(task.kind))
            if width >= 2 {
                if task.stream == .compute { boxes.append("\" stroke=\"white\" stroke-width=\"0.5") }
                boxes.append("\"><title>")
                boxes.append(escaped(task.name))
                boxes.append("</title></rect>\n")
            } else {
                boxes.append("\"/>\n")
            }
        }
        out += String(decoding: boxes.bytes, as: UTF8.self)

        // Time axis.
        let axisY = Style.top + plotHeight + 4
        out += "<line x1=\"\(format(Style.left))\" y1=\"\(format(axisY))\" x2=\"\(format(Style.left + plotWidth))\" "
        out += "y2=\"\(format(axisY))\" stroke=\"#333\"/>\n"
        let tick = niceTick(span / 8)
        var t = 0.0
        var ticks = 0
        while t <= span * 1.000001 && ticks < 100 {
            out += "<line x1=\"\(x(t))\" y1=\"\(format(axisY))\" x2=\"\(x(t))\" y2=\"\(format(axisY + 5))\" stroke=\"#333\"/>\n"
            out += "<text x=\"\(x(t))\" y=\"\(format(axisY + 17))\" text-anchor=\"middle\">\(tickLabel(t, tick: tick))</text>\n"
            t += tick
            ticks += 1
        }
        out += "<text x=\"\(format(Style.left + plotWidth / 2))\" y=\"\(format(axisY + 32))\" text-anchor=\"middle\">time (s)</text>\n"

        // Legend.
        let legendY = axisY + Style.axisHeight
        let entries: [(String, SimulationTaskKind)] = [("forward", .forward), ("backward", .backward),
                                                       ("p2p send", .sendForward), ("DP reduction / gather", .gradAllReduce),
                                                       ("optimizer", .optimizer)]
        var lx = Style.left
        for (label, kind) in entries {
            out += "<rect x=\"\(format(lx))\" y=\"\(format(legendY))\" width=\"12\" height=\"12\" fill=\"\(colour(kind))\"/>\n"
            out += "<text x=\"\(format(lx + 16))\" y=\"\(format(legendY + 10))\">\(label)</text>\n"
            lx += 40 + Double(label.count) * 6.5
        }
        out += "</svg>\n"
        return out
    }

    /// Writes the chart atomically.
    public static func write(_ result: SimulationResult, title: String, to url: URL) throws {
        try Data(render(result, title: title).utf8).write(to: url, options: .atomic)
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceTick(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, floor(log10(raw)))
        for factor in [1.0, 2.0, 5.0, 10.0] where factor * power >= raw { return factor * power }
        return 10 * power
    }

    static func tickLabel(_ t: Double, tick: Double) -> String {
        let decimals = max(0, min(6, Int(-floor(log10(tick)))))
        return String(format: "%.\(decimals)f", t)
    }

    static func format(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        return String(format: "%.2f", x)
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
