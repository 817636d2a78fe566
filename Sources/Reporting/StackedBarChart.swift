import Foundation

/// One layer of a `StackedBarChart`: a value per category.
public struct BarSegment: Sendable {
    public var name: String
    public var color: String
    public var values: [Double]

    public init(name: String, color: String, values: [Double]) {
        self.name = name
        self.color = color
        self.values = values
    }
}

/// Stacked vertical bars, one per category, with a linear y axis from zero, a legend, an
/// optional dashed marker per category (for example the GPU's memory capacity) and a note in
/// place of a bar that has no data (for example "no plan").
public struct StackedBarChart: Sendable {
    public var title: String
    public var subtitle: String?
    public var xLabel: String
    public var yLabel: String
    public var categories: [String]
    public var segments: [BarSegment]
    /// Per category: a value to mark with a dashed line across the bar, or nil.
    public var markers: [Double?]
    public var markerName: String?
    /// Per category: text shown instead of a bar (nil: draw the bar).
    public var notes: [String?]
    public var yFormat: @Sendable (Double) -> String
    /// A fixed top of the y axis (1 for shares); nil: from the data with some headroom.
    public var yUpper: Double?

    public init(title: String, subtitle: String? = nil, xLabel: String, yLabel: String, categories: [String],
                segments: [BarSegment], markers: [Double?] = [], markerName: String? = nil, notes: [String?] = [],
                yFormat: @escaping @Sendable (Double) -> String = { ReportFormat.compact($0) }, yUpper: Double? = nil) {
        self.title = title
        self.subtitle = subtitle
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.segments = segments
        self.markers = markers
        self.markerName = markerName
        self.notes = notes
        self.yFormat = yFormat
        self.yUpper = yUpper
    }

    /// The SVG document.
    public func svg() -> String {
        var chart = SVGChart(title: title, subtitle: subtitle)
        let count = categories.count
        let totals = (0..<count).map { index in
            segments.reduce(0.0) { sum, segment in
                let v = index < segment.values.count ? segment.values[index] : 0
                return sum + (v.isFinite && v > 0 ? v : 0)
            }
        }
        let y = yUpper.map { ChartScale(kind: .linear, values: [0, $0], start: chart.plotBottom, end: chart.plotTop,
                                        padFraction: 0) }
            ?? ChartScale(kind: .linear, values: totals + markers.compactMap { $0 }, start: chart.plotBottom, end: chart.plotTop)
        chart.yAxis(y, label: yLabel, format: yFormat)
        let slot = (chart.plotRight - chart.plotLeft) / Double(max(count, 1))
        let barWidth = min(slot * 0.62, 70)
        var ticks: [(position: Double, label: String)] = []
        for index in 0..<count {
            let center = chart.plotLeft + slot * (Double(index) + 0.5)
            ticks.append((center, categories[index]))
            if index < notes.count, let note = notes[index] {
                chart.append(chart.text(note, x: center, y: chart.plotBottom - 10, size: 11, anchor: "middle",
                                        color: "#B00020"))
                continue
            }
            var base = 0.0
            for segment in segments {
                let raw = index < segment.values.count ? segment.values[index] : 0
                let value = raw.isFinite && raw > 0 ? raw : 0
                guard value > 0 else { continue }
                let top = y.position(base + value)
                let bottom = y.position(base)
                chart.append("<rect x=\"\(SVGChart.number(center - barWidth / 2))\" y=\"\(SVGChart.number(top))\" "
                    + "width=\"\(SVGChart.number(barWidth))\" height=\"\(SVGChart.number(max(bottom - top, 0)))\" "
                    + "fill=\"\(segment.color)\"><title>\(SVGChart.escape(categories[index])): "
                    + "\(SVGChart.escape(segment.name)) \(SVGChart.escape(yFormat(value)))</title></rect>")
                base += value
            }
            if index < markers.count, let marker = markers[index], marker.isFinite {
                let my = SVGChart.number(y.position(marker))
                chart.append("<line x1=\"\(SVGChart.number(center - slot * 0.45))\" y1=\"\(my)\" "
                    + "x2=\"\(SVGChart.number(center + slot * 0.45))\" y2=\"\(my)\" stroke=\"#B00020\" "
                    + "stroke-width=\"2\" stroke-dasharray=\"6 4\"/>")
            }
        }
        chart.xAxis(ticks: ticks, label: xLabel)
        var legend = segments.map { SVGChart.LegendItem(label: $0.name, color: $0.color, swatch: .box) }
        if let markerName, markers.contains(where: { $0 != nil }) {
            legend.append(SVGChart.LegendItem(label: markerName, color: "#B00020", swatch: .line(dashed: true)))
        }
        chart.legend(legend)
        return chart.render()
    }
}
