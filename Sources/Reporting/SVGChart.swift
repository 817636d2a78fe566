import Foundation

/// The parts every chart shares: an SVG document with a title, a plot frame with labelled axes,
/// tick labels, grid lines and a legend. Hand-written SVG 1.1 (no dependency): a standalone file
/// a browser or an image viewer opens, and the same text inlined into HTML.
struct SVGChart {
    /// Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999",
                          "#000000"]
    static let font = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"

    var width: Double = 760
    var height: Double = 440
    var title: String
    var subtitle: String?
    /// Plot area (inside the axes).
    var plotLeft: Double = 84
    var plotTop: Double = 62
    var plotRight: Double { width - 28 }
    var plotBottom: Double { height - 104 }

    private var body: [String] = []

    init(title: String, subtitle: String? = nil, width: Double = 760, height: Double = 440) {
        self.title = title
        self.subtitle = subtitle
        self.width = width
        self.height = height
    }

    /// One legend entry: a line (optionally dashed) or a filled box.
    struct LegendItem {
        enum Swatch { case line(dashed: Bool), box }
        var label: String
        var color: String
        var swatch: Swatch
    }

    mutating func append(_ element: String) { body.append(element) }

    /// Grid lines and tick labels of the y axis, and the y axis title (rotated).
    mutating func yAxis(_ scale: ChartScale, label: String, format: (Double) -> String, ticks: [Double]? = nil) {
        for tick in ticks ?? scale.ticks() {
            let y = SVGChart.number(scale.position(tick))
            append("<line x1=\"\(SVGChart.number(plotLeft))\" y1=\"\(y)\" x2=\"\(SVGChart.number(plotRight))\" y2=\"\(y)\" "
                + "stroke=\"#e3e3e3\" stroke-width=\"1\"/>")
            append(text(format(tick), x: plotLeft - 8, y: scale.position(tick) + 4, size: 11, anchor: "end", color: "#444"))
        }
        let midY = (plotTop + plotBottom) / 2
        append("<text x=\"0\" y=\"0\" transform=\"translate(\(SVGChart.number(18)) \(SVGChart.number(midY))) rotate(-90)\" "
            + "font-size=\"13\" text-anchor=\"middle\" fill=\"#222\">\(SVGChart.escape(label))</text>")
    }

    /// Tick marks and labels of the x axis at `ticks` (value, label), and the x axis title.
    mutating func xAxis(ticks: [(position: Double, label: String)], label: String) {
        for tick in ticks {
            let x = SVGChart.number(tick.position)
            append("<line x1=\"\(x)\" y1=\"\(SVGChart.number(plotBottom))\" x2=\"\(x)\" y2=\"\(SVGChart.number(plotBottom + 5))\" "
                + "stroke=\"#444\" stroke-width=\"1\"/>")
            append(text(tick.label, x: tick.position, y: plotBottom + 19, size: 11, anchor: "middle", color: "#444"))
        }
        append(text(label, x: (plotLeft + plotRight) / 2, y: plotBottom + 42, size: 13, anchor: "middle", color: "#222"))
    }

    /// Vertical grid lines at x positions (log axes: one per tick).
    mutating func verticalGrid(_ positions: [Double]) {
        for x in positions {
            let px = SVGChart.number(x)
            append("<line x1=\"\(px)\" y1=\"\(SVGChart.number(plotTop))\" x2=\"\(px)\" y2=\"\(SVGChart.number(plotBottom))\" "
                + "stroke=\"#f0f0f0\" stroke-width=\"1\"/>")
        }
    }

    /// A legend in rows below the x axis title, wrapping when a row is full.
    mutating func legend(_ items: [LegendItem]) {
        var x = plotLeft
        var y = plotBottom + 66
        for item in items {
            let itemWidth = 30 + Double(item.label.count) * 6.6 + 18
            if x + itemWidth > width - 10 && x > plotLeft {
                x = plotLeft
                y += 20
            }
            switch item.swatch {
            case .line(let dashed):
                let dash = dashed ? " stroke-dasharray=\"6 4\"" : ""
                append("<line x1=\"\(SVGChart.number(x))\" y1=\"\(SVGChart.number(y - 4))\" x2=\"\(SVGChart.number(x + 24))\" "
                    + "y2=\"\(SVGChart.number(y - 4))\" stroke=\"\(item.color)\" stroke-width=\"2.5\"\(dash)/>")
            case .box:
                append("<rect x=\"\(SVGChart.number(x + 6))\" y=\"\(SVGChart.number(y - 11))\" width=\"12\" height=\"12\" "
                    + "fill=\"\(item.color)\" stroke=\"#333\" stroke-width=\"0.5\"/>")
            }
            append(text(item.label, x: x + 30, y: y, size: 12, anchor: "start", color: "#222"))
            x += itemWidth
        }
    }

    /// A text element.
    func text(_ content: String, x: Double, y: Double, size: Double, anchor: String, color: String,
              weight: String? = nil) -> String {
        let bold = weight.map { " font-weight=\"\($0)\"" } ?? ""
        return "<text x=\"\(SVGChart.number(x))\" y=\"\(SVGChart.number(y))\" font-size=\"\(SVGChart.number(size))\" "
            + "text-anchor=\"\(anchor)\" fill=\"\(color)\"\(bold)>\(SVGChart.escape(content))</text>"
    }

    /// The finished document: title, subtitle, frame, then the body in order.
    func render() -> String {
        var out: [String] = []
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(SVGChart.number(width))\" "
            + "height=\"\(SVGChart.number(height))\" viewBox=\"0 0 \(SVGChart.number(width)) \(SVGChart.number(height))\" "
            + "role=\"img\" font-family=\"\(SVGChart.font)\">")
        out.append("<title>\(SVGChart.escape(title))</title>")
        out.append("<rect x=\"0\" y=\"0\" width=\"\(SVGChart.number(width))\" height=\"\(SVGChart.number(height))\" fill=\"#ffffff\"/>")
        out.append(text(title, x: plotLeft, y: 24, size: 16, anchor: "start", color: "#111", weight: "bold"))
        if let subtitle {
            out.append(text(subtitle, x: plotLeft, y: 43, size: 12, anchor: "start", color: "#555"))
        }
        out.append(contentsOf: body)
        out.append("<rect x=\"\(SVGChart.number(plotLeft))\" y=\"\(SVGChart.number(plotTop))\" "
            + "width=\"\(SVGChart.number(plotRight - plotLeft))\" height=\"\(SVGChart.number(plotBottom - plotTop))\" "
            + "fill=\"none\" stroke=\"#444\" stroke-width=\"1\"/>")
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    /// XML text escaping for element content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n", "\t": out.append(" ")
            default:
                // Other control characters are not allowed in XML 1.0 at all.
                if character.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0xFFFE || $0.value == 0xFFFF }) {
                    continue
                }
                out.append(character)
            }
        }
        return out
    }

    /// A coordinate with at most two decimals (non-finite values become 0 so the SVG stays valid).
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(format: "%.2f", rounded)
    }
}
