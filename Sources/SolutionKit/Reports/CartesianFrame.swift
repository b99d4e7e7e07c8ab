/// The shared anatomy of x/y charts: margins, nice scales, grid, ticks, axis labels, title and legend.
///
/// Line, scatter and histogram charts differ only in the marks they put inside the plot area, so the
/// frame does everything else once, the same way for all of them.
struct CartesianFrame {
    static let margins = (left: 72.0, right: 24.0, top: 44.0, bottom: 56.0)

    let width: Double
    let height: Double
    let xScale: NiceScale
    let yScale: NiceScale
    /// Wider for charts whose rows are labelled with names (horizontal bars, SHAP summaries).
    var leftMargin = CartesianFrame.margins.left

    var plotLeft: Double { leftMargin }
    var plotRight: Double { width - Self.margins.right }
    var plotTop: Double { Self.margins.top }
    var plotBottom: Double { height - Self.margins.bottom }

    /// A frame whose scales cover the finite values of `xs` and `ys` (0...1 when there are none).
    init(width: Double, height: Double, xs: [Double], ys: [Double],
         xRange: ClosedRange<Double>? = nil, yRange: ClosedRange<Double>? = nil) {
        self.width = width
        self.height = height
        xScale = Self.scale(xs, fixed: xRange)
        yScale = Self.scale(ys, fixed: yRange)
    }

    static func scale(_ values: [Double], fixed: ClosedRange<Double>?) -> NiceScale {
        if let fixed { return NiceScale(lower: fixed.lowerBound, upper: fixed.upperBound) }
        var low = Double.infinity, high = -Double.infinity
        for v in values where v.isFinite {
            low = min(low, v)
            high = max(high, v)
        }
        return low <= high ? NiceScale(lower: low, upper: high) : NiceScale(lower: 0, upper: 1)
    }

    func x(_ value: Double) -> Double {
        plotLeft + (value - xScale.lower) / (xScale.upper - xScale.lower) * (plotRight - plotLeft)
    }

    func y(_ value: Double) -> Double {
        plotBottom - (value - yScale.lower) / (yScale.upper - yScale.lower) * (plotBottom - plotTop)
    }

    /// Background, grid lines, ticks with labels, axis titles and chart title.
    func drawAxes(on canvas: inout SVGCanvas, title: String, xLabel: String, yLabel: String,
                  xTicks: Bool = true, yTicks: Bool = true) {
        canvas.rect(x: plotLeft, y: plotTop, width: plotRight - plotLeft, height: plotBottom - plotTop,
                    fill: "#fafafa", stroke: "#cccccc")
        if xTicks {
            for tick in xScale.ticks {
                let px = x(tick)
                canvas.line(x1: px, y1: plotTop, x2: px, y2: plotBottom, stroke: "#e6e6e6")
                canvas.line(x1: px, y1: plotBottom, x2: px, y2: plotBottom + 5, stroke: "#444444")
                canvas.text(xScale.label(tick), x: px, y: plotBottom + 19, size: 11, anchor: .middle)
            }
        }
        for tick in yScale.ticks where yTicks {
            let py = y(tick)
            canvas.line(x1: plotLeft, y1: py, x2: plotRight, y2: py, stroke: "#e6e6e6")
            canvas.line(x1: plotLeft - 5, y1: py, x2: plotLeft, y2: py, stroke: "#444444")
            canvas.text(yScale.label(tick), x: plotLeft - 8, y: py + 4, size: 11, anchor: .end)
        }
        canvas.line(x1: plotLeft, y1: plotBottom, x2: plotRight, y2: plotBottom, stroke: "#444444")
        canvas.line(x1: plotLeft, y1: plotTop, x2: plotLeft, y2: plotBottom, stroke: "#444444")
        canvas.text(title, x: width / 2, y: 26, size: 16, anchor: .middle, bold: true, role: .title)
        canvas.text(xLabel, x: (plotLeft + plotRight) / 2, y: height - 14, size: 12, anchor: .middle, role: .axisLabel)
        canvas.text(yLabel, x: 18, y: (plotTop + plotBottom) / 2, size: 12, anchor: .middle, rotation: -90,
                    role: .axisLabel)
    }

    /// The y = x line, clipped to the part of the plot where both scales overlap.
    func drawIdentityLine(on canvas: inout SVGCanvas) {
        let low = max(xScale.lower, yScale.lower), high = min(xScale.upper, yScale.upper)
        guard low < high else { return }
        canvas.line(x1: x(low), y1: y(low), x2: x(high), y2: y(high), stroke: "#888888", width: 1, dashed: true)
    }

    /// A legend box in the top-right corner of the plot area; nothing for an unnamed single series.
    func drawLegend(on canvas: inout SVGCanvas, names: [String]) {
        guard names.contains(where: { !$0.isEmpty }) else { return }
        let longest = names.map(\.count).max() ?? 0
        let boxWidth = Double(min(longest, 40)) * 6.6 + 34
        let boxLeft = plotRight - boxWidth - 8
        canvas.rect(x: boxLeft, y: plotTop + 8, width: boxWidth, height: Double(names.count) * 18 + 8,
                    fill: "#ffffff", stroke: "#cccccc", opacity: 0.9)
        for (index, name) in names.enumerated() {
            let rowY = plotTop + 22 + Double(index) * 18
            canvas.rect(x: boxLeft + 8, y: rowY - 9, width: 14, height: 10, fill: ChartPalette.color(index))
            canvas.text(String(name.prefix(40)), x: boxLeft + 28, y: rowY, size: 11)
        }
    }

    func drawEmptyMessage(on canvas: inout SVGCanvas) {
        canvas.text("no data", x: (plotLeft + plotRight) / 2, y: (plotTop + plotBottom) / 2, size: 14,
                    anchor: .middle, fill: "#888888")
    }
}
