/// Bars running left to right, one per named row, largest first as given: feature importance, where names are
/// long and the order is the message. Rows beyond `maximumRows` are left out; non-finite values get no bar.
public struct HorizontalBarChart: SVGChart {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var categories: [String]
    public var values: [Double]
    public var maximumRows: Int
    public var width: Double = 640

    public init(title: String, xLabel: String, yLabel: String, categories: [String], values: [Double],
                maximumRows: Int = 20) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.categories = categories
        self.values = values
        self.maximumRows = maximumRows
    }

    public func svg() -> String {
        let count = min(categories.count, values.count, max(0, maximumRows))
        let longest = categories.prefix(count).map { min($0.count, 28) }.max() ?? 0
        let labelWidth = max(60, Double(longest) * 6.4 + 12)
        let rowHeight = 22.0
        let height = 44 + 56 + Double(max(count, 1)) * rowHeight
        let finite = values.prefix(count).filter(\.isFinite)
        var frame = CartesianFrame(width: width, height: height, xs: finite + [0], ys: [0, 1])
        frame.leftMargin = labelWidth + 30
        var canvas = SVGCanvas(width: width, height: height)
        frame.drawAxes(on: &canvas, title: title, xLabel: xLabel, yLabel: yLabel, yTicks: false)
        let zero = frame.x(0)
        for i in 0..<count {
            let top = frame.plotTop + Double(i) * rowHeight
            if values[i].isFinite {
                let end = frame.x(values[i])
                canvas.rect(x: min(zero, end), y: top + 4, width: abs(end - zero), height: rowHeight - 8,
                            fill: ChartPalette.color(0), role: .mark)
            }
            canvas.text(String(categories[i].prefix(28)), x: frame.plotLeft - 6, y: top + rowHeight / 2 + 4, size: 11,
                        anchor: .end)
        }
        if count == 0 { frame.drawEmptyMessage(on: &canvas) }
        return canvas.document()
    }
}
