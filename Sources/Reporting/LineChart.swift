import Foundation

/// One line of a `LineChart`: points in data units, drawn with markers unless dashed.
public struct ChartSeries: Sendable {
    public var name: String
    public var points: [(x: Double, y: Double)]
    public var color: String
    public var dashed: Bool

    public init(name: String, points: [(x: Double, y: Double)], color: String, dashed: Bool = false) {
        self.name = name
        self.points = points
        self.color = color
        self.dashed = dashed
    }
}

/// A line chart with linear or log axes, ticks, grid, axis titles and a legend. The x ticks are
/// given explicitly (GPU counts read better than decades).
public struct LineChart: Sendable {
    public var title: String
    public var subtitle: String?
    public var xLabel: String
    public var yLabel: String
    public var xKind: AxisKind
    public var yKind: AxisKind
    public var series: [ChartSeries]
    /// x values to tick and label; empty: the scale's own ticks.
    public var xTicks: [Double]
    public var xFormat: @Sendable (Double) -> String
    public var yFormat: @Sendable (Double) -> String
    /// Linear y axes include zero unless this is false.
    public var yIncludesZero: Bool

    public init(title: String, subtitle: String? = nil, xLabel: String, yLabel: String, xKind: AxisKind,
                yKind: AxisKind, series: [ChartSeries], xTicks: [Double] = [],
                xFormat: @escaping @Sendable (Double) -> String = { ReportFormat.integer($0) },
                yFormat: @escaping @Sendable (Double) -> String = { ReportFormat.compact($0) },
                yIncludesZero: Bool = true) {
        self.title = title
        self.subtitle = subtitle
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xKind = xKind
        self.yKind = yKind
        self.series = series
        self.xTicks = xTicks
        self.xFormat = xFormat
        self.yFormat = yFormat
        self.yIncludesZero = yIncludesZero
    }

    /// The SVG document.
    public func svg() -> String {
        var chart = SVGChart(title: title, subtitle: subtitle)
        let xs = series.flatMap { $0.points.map(\.x) } + xTicks
        let ys = series.flatMap { $0.points.map(\.y) }
        let x = ChartScale(kind: xKind, values: xs, start: chart.plotLeft + 12, end: chart.plotRight - 12,
                           includeZero: false, padFraction: 0.02)
        let y = ChartScale(kind: yKind, values: ys, start: chart.plotBottom, end: chart.plotTop,
                           includeZero: yIncludesZero)
        let tickValues = xTicks.isEmpty ? x.ticks() : xTicks
        let thinned = LineChart.thin(tickValues)
        chart.verticalGrid(thinned.map { x.position($0) })
        chart.yAxis(y, label: yLabel, format: yFormat)
        chart.xAxis(ticks: thinned.map { (x.position($0), xFormat($0)) }, label: xLabel)
        for line in series {
            let visible = line.points.filter { $0.x.isFinite && $0.y.isFinite && (yKind == .linear || $0.y > 0) }
            guard !visible.isEmpty else { continue }
            let path = visible.map { "\(SVGChart.number(x.position($0.x))),\(SVGChart.number(y.position($0.y)))" }
                .joined(separator: " ")
            let dash = line.dashed ? " stroke-dasharray=\"6 4\"" : ""
            chart.append("<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(line.color)\" stroke-width=\"2.5\""
                + " stroke-linejoin=\"round\"\(dash)/>")
            if !line.dashed {
                for point in visible {
                    chart.append("<circle cx=\"\(SVGChart.number(x.position(point.x)))\" "
                        + "cy=\"\(SVGChart.number(y.position(point.y)))\" r=\"4\" fill=\"\(line.color)\" "
                        + "stroke=\"#fff\" stroke-width=\"1.5\"><title>\(SVGChart.escape(line.name)): "
                        + "\(SVGChart.escape(xFormat(point.x))), \(SVGChart.escape(yFormat(point.y)))</title></circle>")
                }
            }
        }
        chart.legend(series.map { SVGChart.LegendItem(label: $0.name, color: $0.color, swatch: .line(dashed: $0.dashed)) })
        return chart.render()
    }

    /// At most 12 tick labels: every k-th one, keeping the first and last.
    static func thin(_ ticks: [Double]) -> [Double] {
        let sorted = Array(Set(ticks)).sorted()
        guard sorted.count > 12 else { return sorted }
        let stride = (sorted.count + 11) / 12
        var kept = sorted.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
        if let last = sorted.last, kept.last != last { kept.append(last) }
        return kept
    }
}
