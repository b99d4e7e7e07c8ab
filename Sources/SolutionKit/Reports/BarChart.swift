/// A vertical bar chart of one value per named category (per-class recall, feature importance, ...).
/// Bars start at zero; negative values hang below the zero line; non-finite values get no bar.
public struct BarChart: SVGChart {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var categories: [String]
    public var values: [Double]
    public var width: Double = 640
    public var height: Double = 420

    public init(title: String, xLabel: String, yLabel: String, categories: [String], values: [Double]) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.values = values
    }

    public func svg() -> String {
        let count = min(categories.count, values.count)
        let finite = values.prefix(count).filter(\.isFinite)
        let frame = CartesianFrame(width: width, height: height, xs: [0, Double(max(count, 1))], ys: finite + [0])
        var canvas = SVGCanvas(width: width, height: height)
        frame.drawAxes(on: &canvas, title: title, xLabel: xLabel, yLabel: yLabel, xTicks: false)
        let slot = (frame.plotRight - frame.plotLeft) / Double(max(count, 1))
        let zero = frame.y(0)
        for i in 0..<count {
            let left = frame.plotLeft + Double(i) * slot
            if values[i].isFinite {
                let top = frame.y(values[i])
                canvas.rect(x: left + slot * 0.15, y: min(top, zero), width: slot * 0.7, height: abs(zero - top),
                            fill: ChartPalette.color(0), role: .mark)
            }
            // Long category lists get shorter labels rather than overlapping ones.
            let label = count > 12 ? String(categories[i].prefix(6)) : String(categories[i].prefix(18))
            canvas.text(label, x: left + slot / 2, y: frame.plotBottom + 18, size: 11, anchor: .middle)
        }
        if count == 0 { frame.drawEmptyMessage(on: &canvas) }
        canvas.line(x1: frame.plotLeft, y1: zero, x2: frame.plotRight, y2: zero, stroke: "#444444")
        return canvas.document()
    }
}
