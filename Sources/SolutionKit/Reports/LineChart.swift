/// One named series of (x, y) points.
public struct ChartSeries: Codable, Equatable, Sendable {
    public var name: String
    public var x: [Double]
    public var y: [Double]

    /// A series; extra values of the longer array are ignored.
    public init(name: String, x: [Double], y: [Double]) {
        self.name = name
        self.x = x
        self.y = y
    }

    /// A series whose x values are 1, 2, 3, … (epochs, iterations).
    public init(name: String, y: [Double]) {
        self.init(name: name, x: (0..<y.count).map { Double($0 + 1) }, y: y)
    }
}

/// A line chart of several series: training curves, ROC and KS curves, metrics by cut-off.
///
/// Points with a NaN or infinite coordinate are not drawn: the line breaks there and resumes at the next
/// finite point. Scales cover the finite points of all series unless fixed ranges are given (ROC: 0...1).
public struct LineChart: SVGChart, Codable, Equatable {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var series: [ChartSeries]
    public var width: Double = 640
    public var height: Double = 420
    /// Draws the dashed y = x diagonal (the chance line of a ROC curve).
    public var showsIdentityLine = false
    public var xRange: ClosedRange<Double>?
    public var yRange: ClosedRange<Double>?

    public init(title: String, xLabel: String, yLabel: String, series: [ChartSeries],
                showsIdentityLine: Bool = false, xRange: ClosedRange<Double>? = nil,
                yRange: ClosedRange<Double>? = nil) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.series = series
        self.showsIdentityLine = showsIdentityLine
        self.xRange = xRange
        self.yRange = yRange
    }

    public func svg() -> String {
        var xs: [Double] = [], ys: [Double] = []
        for s in series {
            let n = min(s.x.count, s.y.count)
            for i in 0..<n where s.x[i].isFinite && s.y[i].isFinite {
                xs.append(s.x[i])
                ys.append(s.y[i])
            }
        }
        let frame = CartesianFrame(width: width, height: height, xs: xs, ys: ys, xRange: xRange, yRange: yRange)
        var canvas = SVGCanvas(width: width, height: height)
        frame.drawAxes(on: &canvas, title: title, xLabel: xLabel, yLabel: yLabel)
        if showsIdentityLine { frame.drawIdentityLine(on: &canvas) }
        for (index, s) in series.enumerated() {
            var segments: [[(Double, Double)]] = [[]]
            let n = min(s.x.count, s.y.count)
            // A point less than half a pixel from the last one drawn adds nothing visible but bytes (a ROC curve of
            // 100,000 rows); it is skipped, except the last point of each run.
            var skipped: (Double, Double)?
            for i in 0..<n {
                if s.x[i].isFinite && s.y[i].isFinite {
                    let point = (frame.x(s.x[i]), frame.y(s.y[i]))
                    if let last = segments[segments.count - 1].last, abs(point.0 - last.0) < 0.5, abs(point.1 - last.1) < 0.5 {
                        skipped = point
                        continue
                    }
                    segments[segments.count - 1].append(point)
                    skipped = nil
                } else if !segments[segments.count - 1].isEmpty {
                    if let point = skipped { segments[segments.count - 1].append(point) }
                    skipped = nil
                    segments.append([])
                }
            }
            if let point = skipped { segments[segments.count - 1].append(point) }
            // A lone finite point between gaps has no line to draw; mark it so it is not lost.
            for segment in segments where segment.count == 1 {
                canvas.circle(x: segment[0].0, y: segment[0].1, radius: 2.5, fill: ChartPalette.color(index))
            }
            canvas.path(segments: segments.filter { $0.count > 1 }, stroke: ChartPalette.color(index))
        }
        if xs.isEmpty { frame.drawEmptyMessage(on: &canvas) }
        frame.drawLegend(on: &canvas, names: series.count > 1 || !(series.first?.name.isEmpty ?? true)
                         ? series.map(\.name) : [])
        return canvas.document()
    }
}
