/// Several values per category side by side (precision, recall and F1 per class; run A against run B),
/// with a legend. Bars start at zero; non-finite values get no bar.
public struct GroupedBarChart: SVGChart, Codable, Equatable {
    public struct Group: Codable, Equatable, Sendable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var categories: [String]
    public var groups: [Group]
    public var yRange: ClosedRange<Double>?
    public var width: Double = 640
    public var height: Double = 420

    public init(title: String, xLabel: String, yLabel: String, categories: [String], groups: [Group],
                yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.groups = groups
        self.yRange = yRange
    }

    public func svg() -> String {
        let count = categories.count
        let finite = groups.flatMap { $0.values.prefix(count) }.filter(\.isFinite)
        let frame = CartesianFrame(width: width, height: height, xs: [0, Double(max(count, 1))], ys: finite + [0],
                                   yRange: yRange)
        var canvas = SVGCanvas(width: width, height: height)
        frame.drawAxes(on: &canvas, title: title, xLabel: xLabel, yLabel: yLabel, xTicks: false)
        let slot = (frame.plotRight - frame.plotLeft) / Double(max(count, 1))
        let barWidth = slot * 0.8 / Double(max(groups.count, 1))
        let zero = frame.y(0)
        for i in 0..<count {
            let left = frame.plotLeft + Double(i) * slot + slot * 0.1
            for (g, group) in groups.enumerated() where i < group.values.count && group.values[i].isFinite {
                let top = frame.y(group.values[i])
                canvas.rect(x: left + Double(g) * barWidth, y: min(top, zero), width: barWidth * 0.92,
                            height: abs(zero - top), fill: ChartPalette.color(g), role: .mark)
            }
            let label = count > 12 ? String(categories[i].prefix(6)) : String(categories[i].prefix(18))
            canvas.text(label, x: frame.plotLeft + (Double(i) + 0.5) * slot, y: frame.plotBottom + 18, size: 11,
                        anchor: .middle)
        }
        if count == 0 || groups.isEmpty { frame.drawEmptyMessage(on: &canvas) }
        canvas.line(x1: frame.plotLeft, y1: zero, x2: frame.plotRight, y2: zero, stroke: "#444444")
        frame.drawLegend(on: &canvas, names: groups.count > 1 ? groups.map(\.name) : [])
        return canvas.document()
    }
}
