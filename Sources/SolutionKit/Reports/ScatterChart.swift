/// A scatter chart, typically predicted against actual values, with an optional y = x diagonal.
///
/// Above `maximumPoints` pairs, an evenly spaced deterministic subset is drawn (every k-th finite point, by
/// position), so the file stays small and the same data always gives the same picture; the scales still
/// cover every finite point. Pairs with a NaN or infinite coordinate are skipped.
public struct ScatterChart: SVGChart {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var x: [Double]
    public var y: [Double]
    public var showsIdentityLine: Bool
    public var maximumPoints: Int
    public var width: Double = 560
    public var height: Double = 520

    public init(title: String, xLabel: String, yLabel: String, x: [Double], y: [Double],
                showsIdentityLine: Bool = false, maximumPoints: Int = 5_000) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.x = x
        self.y = y
        self.showsIdentityLine = showsIdentityLine
        self.maximumPoints = maximumPoints
    }

    /// Indices of the finite pairs that are drawn, in order.
    public var drawnIndices: [Int] {
        let finite = (0..<min(x.count, y.count)).filter { x[$0].isFinite && y[$0].isFinite }
        let limit = max(1, maximumPoints)
        guard finite.count > limit else { return finite }
        return (0..<limit).map { finite[$0 * finite.count / limit] }
    }

    public func svg() -> String {
        let finite = (0..<min(x.count, y.count)).filter { x[$0].isFinite && y[$0].isFinite }
        var frame = CartesianFrame(width: width, height: height, xs: finite.map { x[$0] }, ys: finite.map { y[$0] })
        if showsIdentityLine && !finite.isEmpty {
            // One common range, so the diagonal is a true 45° line through the data.
            let all = finite.map { x[$0] } + finite.map { y[$0] }
            let scale = CartesianFrame.scale(all, fixed: nil)
            frame = CartesianFrame(width: width, height: height, xs: [], ys: [],
                                   xRange: scale.lower...scale.upper, yRange: scale.lower...scale.upper)
        }
        var canvas = SVGCanvas(width: width, height: height)
        frame.drawAxes(on: &canvas, title: title, xLabel: xLabel, yLabel: yLabel)
        let indices = drawnIndices
        let opacity = indices.count > 1_000 ? 0.35 : 0.7
        for i in indices {
            canvas.circle(x: frame.x(x[i]), y: frame.y(y[i]), radius: 2.2, fill: ChartPalette.color(0), opacity: opacity)
        }
        if showsIdentityLine { frame.drawIdentityLine(on: &canvas) }
        if finite.isEmpty { frame.drawEmptyMessage(on: &canvas) }
        return canvas.document()
    }
}
