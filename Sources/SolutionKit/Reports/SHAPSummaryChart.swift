import Foundation

/// A SHAP summary ("beeswarm") plot: one row per feature, most influential first; each dot is one row's
/// contribution to the prediction, placed by its value and coloured by the feature's own value (blue low, red
/// high, grey missing), so a reader sees both how much a feature matters and in which direction.
///
/// Features are ranked by mean |contribution|. At most `maximumPoints` rows are drawn per feature (an evenly
/// spaced, deterministic subset); dots that would overlap are stacked outward from the row's centre line.
public struct SHAPSummaryChart: SVGChart {
    public var title: String
    public var xLabel: String
    public var featureNames: [String]
    /// Row-major, rows × featureNames.count: each row's contributions.
    public var contributions: [Double]
    /// Row-major, the same shape: the feature values that were explained (NaN when missing).
    public var featureValues: [Double]
    public var maximumFeatures: Int
    public var maximumPoints: Int
    public var width: Double = 680

    public init(title: String = "SHAP summary", xLabel: String = "SHAP value (impact on the model output)",
                featureNames: [String], contributions: [Double], featureValues: [Double],
                maximumFeatures: Int = 12, maximumPoints: Int = 600) {
        precondition(featureNames.isEmpty || contributions.count % featureNames.count == 0,
                     "SHAPSummaryChart needs rows × \(featureNames.count) contributions")
        precondition(featureValues.count == contributions.count, "SHAPSummaryChart needs one feature value per contribution")
        self.title = title
        self.xLabel = xLabel
        self.featureNames = featureNames
        self.contributions = contributions
        self.featureValues = featureValues
        self.maximumFeatures = maximumFeatures
        self.maximumPoints = maximumPoints
    }

    var rowCount: Int { featureNames.isEmpty ? 0 : contributions.count / featureNames.count }

    /// Feature indices by mean |contribution|, largest first, at most `maximumFeatures`.
    public var rankedFeatures: [Int] {
        let f = featureNames.count, rows = rowCount
        guard rows > 0 else { return [] }
        var meanAbsolute = [Double](repeating: 0, count: f)
        for r in 0..<rows {
            for j in 0..<f where contributions[r * f + j].isFinite { meanAbsolute[j] += abs(contributions[r * f + j]) }
        }
        let ranked = (0..<f).sorted { meanAbsolute[$0] > meanAbsolute[$1] || (meanAbsolute[$0] == meanAbsolute[$1] && $0 < $1) }
        return Array(ranked.prefix(max(0, maximumFeatures)))
    }

    public func svg() -> String {
        let f = featureNames.count, rows = rowCount
        let features = rankedFeatures
        let drawn = rows <= maximumPoints ? Array(0..<rows) : (0..<max(1, maximumPoints)).map { $0 * rows / max(1, maximumPoints) }
        let rowHeight = 30.0
        let longest = features.map { min(featureNames[$0].count, 28) }.max() ?? 0
        let height = 44 + 56 + 26 + Double(max(features.count, 1)) * rowHeight
        var xs: [Double] = [0]
        for r in drawn { for j in features where contributions[r * f + j].isFinite { xs.append(contributions[r * f + j]) } }
        // The frame leaves a strip under the axis title for the colour key.
        var frame = CartesianFrame(width: width, height: height - 26, xs: xs, ys: [0, 1])
        frame.leftMargin = max(60, Double(longest) * 6.4 + 12) + 30
        var canvas = SVGCanvas(width: width, height: height)
        frame.drawAxes(on: &canvas, title: title, xLabel: xLabel, yLabel: "feature", yTicks: false)
        canvas.line(x1: frame.x(0), y1: frame.plotTop, x2: frame.x(0), y2: frame.plotBottom, stroke: "#888888")
        let radius = 2.4
        for (position, j) in features.enumerated() {
            let centre = frame.plotTop + (Double(position) + 0.5) * rowHeight
            canvas.text(String(featureNames[j].prefix(28)), x: frame.plotLeft - 6, y: centre + 4, size: 11, anchor: .end)
            let values = drawn.map { featureValues[$0 * f + j] }.filter(\.isFinite).sorted()
            // Colour by rank among the drawn rows, so a skewed feature still spans the whole colour range.
            func colour(_ value: Double) -> String {
                guard value.isFinite, let last = values.last, let first = values.first, last > first else {
                    return value.isFinite ? Self.colour(0.5) : "#aaaaaa"
                }
                var low = 0, high = values.count
                while low < high { let mid = (low + high) / 2; if values[mid] < value { low = mid + 1 } else { high = mid } }
                return Self.colour(Double(low) / Double(max(values.count - 1, 1)))
            }
            // Stack dots that share a pixel column outward from the centre: up, down, up, ...
            var stacks: [Int: Int] = [:]
            let limit = Int((rowHeight / 2 - radius) / (radius * 0.9))
            for r in drawn {
                let value = contributions[r * f + j]
                guard value.isFinite else { continue }
                let px = frame.x(value)
                let column = Int((px / (radius * 1.6)).rounded())
                let k = stacks[column, default: 0]
                stacks[column] = k + 1
                let level = min((k + 1) / 2, limit)
                let offset = Double(k % 2 == 0 ? level : -level) * radius * 0.9
                canvas.circle(x: px, y: centre + offset, radius: radius, fill: colour(featureValues[r * f + j]), opacity: 0.8)
            }
        }
        if features.isEmpty { frame.drawEmptyMessage(on: &canvas) }
        // The colour key, centred under the axis title: low to high feature value, grey for missing or categorical.
        let keyLeft = (frame.plotLeft + frame.plotRight) / 2 - 50, keyTop = height - 18
        for step in 0..<10 {
            canvas.rect(x: keyLeft + Double(step) * 10, y: keyTop, width: 10, height: 9, fill: Self.colour(Double(step) / 9))
        }
        canvas.text("feature value: low", x: keyLeft - 5, y: keyTop + 8, size: 10, anchor: .end)
        canvas.text("high", x: keyLeft + 105, y: keyTop + 8, size: 10)
        canvas.circle(x: keyLeft + 140, y: keyTop + 4.5, radius: 3, fill: "#aaaaaa", role: nil)
        canvas.text("missing or category", x: keyLeft + 147, y: keyTop + 8, size: 10)
        return canvas.document()
    }

    /// Blue (#0072B2) to vermillion (#D55E00), linearly in RGB.
    static func colour(_ t: Double) -> String {
        let t = min(1, max(0, t))
        let r = Int((0 + t * 213).rounded()), g = Int((114 - t * (114 - 94)).rounded()), b = Int((178 - t * 178).rounded())
        return String(format: "#%02X%02X%02X", r, g, b)
    }
}
