import Foundation

/// A grid of coloured cells with their numbers written in: a confusion matrix, or any matrix of values.
///
/// Cell colour goes from white (the smallest finite value) to deep blue (the largest); text turns white on
/// dark cells so it stays readable. Non-finite cells are grey and labelled "–".
public struct HeatMapChart: SVGChart {
    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// Row-major values, rowLabels.count × columnLabels.count.
    public var values: [Double]
    /// Decimals printed in each cell (0 for counts).
    public var decimals: Int

    public init(title: String, xLabel: String, yLabel: String, rowLabels: [String], columnLabels: [String],
                values: [Double], decimals: Int = 0) {
        precondition(values.count == rowLabels.count * columnLabels.count,
                     "HeatMapChart needs \(rowLabels.count) × \(columnLabels.count) values, got \(values.count)")
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.rowLabels = rowLabels
        self.columnLabels = columnLabels
        self.values = values
        self.decimals = decimals
    }

    /// A confusion-matrix chart: rows are actual classes, columns predicted ones.
    public init(confusionMatrix matrix: ConfusionMatrix, classNames: [String]? = nil,
                title: String = "Confusion matrix") {
        let names = classNames ?? (0..<matrix.classCount).map(String.init)
        precondition(names.count == matrix.classCount, "classNames must name all \(matrix.classCount) classes")
        self.init(title: title, xLabel: "predicted", yLabel: "actual", rowLabels: names, columnLabels: names,
                  values: matrix.counts.map(Double.init))
    }

    public func svg() -> String {
        let rows = rowLabels.count, columns = columnLabels.count
        let cell = max(24.0, min(60.0, 560.0 / Double(max(rows, columns, 1))))
        let left = 90.0, top = 60.0
        let width = left + cell * Double(columns) + 30
        let height = top + cell * Double(rows) + 60
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(title, x: width / 2, y: 26, size: 16, anchor: .middle, bold: true, role: .title)
        let finite = values.filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 1
        let fontSize = min(14, cell / 3)
        for r in 0..<rows {
            for c in 0..<columns {
                let value = values[r * columns + c]
                let x = left + Double(c) * cell, y = top + Double(r) * cell
                guard value.isFinite else {
                    canvas.rect(x: x, y: y, width: cell, height: cell, fill: "#dddddd", stroke: "#ffffff")
                    canvas.text("–", x: x + cell / 2, y: y + cell / 2 + fontSize / 3, size: fontSize, anchor: .middle)
                    continue
                }
                let t = high > low ? (value - low) / (high - low) : 0
                canvas.rect(x: x, y: y, width: cell, height: cell, fill: Self.blue(t), stroke: "#ffffff", role: .mark)
                canvas.text(String(format: "%.\(max(0, decimals))f", value), x: x + cell / 2,
                            y: y + cell / 2 + fontSize / 3, size: fontSize, anchor: .middle,
                            fill: t > 0.55 ? "#ffffff" : "#222222")
            }
        }
        for (c, label) in columnLabels.enumerated() {
            canvas.text(String(label.prefix(10)), x: left + (Double(c) + 0.5) * cell, y: top - 8, size: 11, anchor: .middle)
        }
        for (r, label) in rowLabels.enumerated() {
            canvas.text(String(label.prefix(12)), x: left - 8, y: top + (Double(r) + 0.5) * cell + 4, size: 11, anchor: .end)
        }
        canvas.text(xLabel, x: left + cell * Double(columns) / 2, y: top + cell * Double(rows) + 30, size: 12,
                    anchor: .middle, role: .axisLabel)
        canvas.text(yLabel, x: 18, y: top + cell * Double(rows) / 2, size: 12, anchor: .middle, rotation: -90,
                    role: .axisLabel)
        return canvas.document()
    }

    /// White to #08306B, linearly in RGB.
    static func blue(_ t: Double) -> String {
        let t = min(1, max(0, t))
        let r = Int((255 - t * (255 - 8)).rounded()), g = Int((255 - t * (255 - 48)).rounded())
        let b = Int((255 - t * (255 - 107)).rounded())
        return String(format: "#%02X%02X%02X", r, g, b)
    }
}
