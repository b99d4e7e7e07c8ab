/// Histograms of one or more distributions over shared bins, overlaid semi-transparently: residuals, or the
/// scores of good and bad applicants side by side.
///
/// All distributions share `binCount` equal-width bins spanning the finite values of all of them, so the bars
/// line up. With `normalized` each distribution's bars are shares of its own count, so groups of very
/// different sizes compare by shape. NaN and infinite values are skipped.
public struct HistogramChart: SVGChart, Codable, Equatable {
    public struct Distribution: Codable, Equatable, Sendable {
        public var name: String
        public var values: [Double]
        public init(name: String, values: [Double]) {
            self.name = name
            self.values = values
        }
    }

    public var title: String
    public var xLabel: String
    public var distributions: [Distribution]
    public var binCount: Int
    public var normalized: Bool
    public var width: Double = 640
    public var height: Double = 420

    public init(title: String, xLabel: String, distributions: [Distribution], binCount: Int = 30,
                normalized: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.distributions = distributions
        self.binCount = binCount
        self.normalized = normalized
    }

    /// The bin edges (binCount + 1 values) and, per distribution, the height of each bar; nil with no finite value.
    public func bins() -> (edges: [Double], heights: [[Double]])? {
        var low = Double.infinity, high = -Double.infinity
        for d in distributions {
            for v in d.values where v.isFinite {
                low = min(low, v)
                high = max(high, v)
            }
        }
        guard low <= high else { return nil }
        if low == high { (low, high) = (low - 0.5, high + 0.5) }
        let bins = max(1, binCount)
        let width = (high - low) / Double(bins)
        let edges = (0...bins).map { low + Double($0) * width }
        let heights = distributions.map { d -> [Double] in
            var counts = [Double](repeating: 0, count: bins)
            var total = 0.0
            for v in d.values where v.isFinite {
                // Clamped as a Double first: a range of ±1e308 makes the quotient inf, which Int() traps on.
                let position = ((v - low) / width).isFinite ? (v - low) / width : 0
                counts[Int(min(Double(bins - 1), max(0, position)))] += 1
                total += 1
            }
            return normalized && total > 0 ? counts.map { $0 / total } : counts
        }
        return (edges, heights)
    }

    public func svg() -> String {
        let computed = bins()
        let maxHeight = computed?.heights.flatMap { $0 }.max() ?? 1
        let frame = CartesianFrame(width: width, height: height, xs: computed.map { [$0.edges.first!, $0.edges.last!] } ?? [],
                                   ys: [0, maxHeight])
        var canvas = SVGCanvas(width: width, height: height)
        frame.drawAxes(on: &canvas, title: title, xLabel: xLabel, yLabel: normalized ? "share" : "count")
        if let (edges, heights) = computed {
            let opacity = distributions.count > 1 ? 0.5 : 0.85
            for (index, bars) in heights.enumerated() {
                for (b, value) in bars.enumerated() where value > 0 {
                    let left = frame.x(edges[b]), right = frame.x(edges[b + 1])
                    canvas.rect(x: left, y: frame.y(value), width: right - left, height: frame.y(0) - frame.y(value),
                                fill: ChartPalette.color(index), opacity: opacity, role: .mark)
                }
            }
        } else {
            frame.drawEmptyMessage(on: &canvas)
        }
        frame.drawLegend(on: &canvas, names: distributions.count > 1 ? distributions.map(\.name) : [])
        return canvas.document()
    }
}
