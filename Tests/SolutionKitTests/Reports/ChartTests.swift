import XCTest
@testable import SolutionKit

final class NiceScaleTests: XCTestCase {
    func testTicksAreRoundAndCoverTheData() {
        let unit = NiceScale(lower: 0, upper: 0.93)
        XCTAssertEqual(unit.ticks, [0, 0.2, 0.4, 0.6, 0.8, 1.0], accuracy: 1e-12)
        XCTAssertEqual(unit.ticks.map(unit.label), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let percent = NiceScale(lower: 3, upper: 97)
        XCTAssertEqual(percent.ticks, [0, 20, 40, 60, 80, 100])
        XCTAssertEqual(percent.label(40), "40")
        let negative = NiceScale(lower: -1.3, upper: 2.7)
        XCTAssertEqual(negative.step, 1)
        XCTAssertEqual(negative.ticks, [-2, -1, 0, 1, 2, 3])
        let quarter = NiceScale(lower: 0, upper: 1.1, maximumTickCount: 6)
        XCTAssertTrue(quarter.ticks.count <= 7 && quarter.ticks.count >= 3)
        XCTAssertLessThanOrEqual(quarter.lower, 0)
        XCTAssertGreaterThanOrEqual(quarter.upper, 1.1)
        let prices = NiceScale(lower: 14_999, upper: 500_001)
        XCTAssertEqual(prices.ticks.first, 0)
        XCTAssertEqual(prices.label(100_000), "100k")
        XCTAssertEqual(prices.label(0), "0")
        XCTAssertEqual(NiceScale(lower: 0, upper: 2.5e6).label(1.5e6), "1.5M")
    }

    func testDegenerateAndNonFiniteRanges() {
        let flat = NiceScale(lower: 5, upper: 5)
        XCTAssertLessThan(flat.lower, 5)
        XCTAssertGreaterThan(flat.upper, 5)
        let zero = NiceScale(lower: 0, upper: 0)
        XCTAssertTrue(zero.lower < 0 && zero.upper > 0)
        let bad = NiceScale(lower: .nan, upper: .infinity)
        XCTAssertEqual(bad.lower, 0)
        XCTAssertEqual(bad.upper, 1)
    }
}

private func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath,
                            line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}

final class ChartTests: XCTestCase {
    func testLineChartSkipsNonFinitePointsAndBreaksTheLine() {
        let chart = LineChart(title: "Training <loss> & accuracy", xLabel: "epoch", yLabel: "loss", series: [
            ChartSeries(name: "train", y: [1.0, 0.7, .nan, 0.4, 0.35]),
            ChartSeries(name: "validation", y: [1.1, 0.9, 0.8, .infinity, 0.6]),
        ])
        let svg = chart.svg()
        let parsed = ReportsTestSupport.parse(svg)
        XCTAssertEqual(ReportsTestSupport.count("path", in: parsed), 2)
        let paths = parsed.attributes.filter { $0["d"] != nil }.map { $0["d"]! }
        // Each series is split into two runs at its bad point.
        // "train" breaks into two runs at its NaN; "validation" keeps its first three points as a line and
        // its last, isolated point as a dot.
        XCTAssertEqual(paths.map { $0.filter { $0 == "M" }.count }, [2, 1])
        XCTAssertEqual(paths[0].filter { $0 == "L" }.count, 2)   // (1,2) and (4,5): one segment each
        XCTAssertEqual(ReportsTestSupport.count("circle", in: parsed), 1)
        XCTAssertTrue(parsed.texts.contains("Training <loss> & accuracy"))   // escaped, then parsed back
        XCTAssertTrue(parsed.texts.contains("train") && parsed.texts.contains("validation"))
        // y ticks cover the finite values 0.35 … 1.1 with round labels.
        XCTAssertTrue(parsed.texts.contains("0.2") && parsed.texts.contains("1.2"), "\(parsed.texts)")
    }

    func testROCStyleChartWithFixedRangesAndDiagonal() throws {
        let curve = try ROCCurve(scores: [0.9, 0.8, 0.3, 0.2, 0.6], labels: [true, false, true, false, true])
        let chart = LineChart(title: "ROC", xLabel: "false positive rate", yLabel: "true positive rate",
                              series: [ChartSeries(name: "model", x: curve.falsePositiveRates, y: curve.truePositiveRates)],
                              showsIdentityLine: true, xRange: 0...1, yRange: 0...1)
        let parsed = ReportsTestSupport.parse(chart.svg())
        XCTAssertTrue(parsed.attributes.contains { $0["stroke-dasharray"] != nil })
        XCTAssertTrue(parsed.texts.contains("1.0") && parsed.texts.contains("0.0"))
    }

    func testEmptyChartsAreValid() {
        let empty: [any SVGChart] = [
            LineChart(title: "Nothing", xLabel: "x", yLabel: "y", series: []),
            LineChart(title: "Only bad points", xLabel: "x", yLabel: "y", series: [ChartSeries(name: "a", y: [.nan, .nan])]),
            ScatterChart(title: "None", xLabel: "actual", yLabel: "predicted", x: [], y: [], showsIdentityLine: true),
            HistogramChart(title: "None", xLabel: "residual", distributions: []),
            BarChart(title: "None", xLabel: "", yLabel: "", categories: [], values: []),
            HeatMapChart(title: "None", xLabel: "", yLabel: "", rowLabels: [], columnLabels: [], values: []),
        ]
        for chart in empty {
            let parsed = ReportsTestSupport.parse(chart.svg())
            XCTAssertEqual(ReportsTestSupport.count("path", in: parsed), 0)
            XCTAssertEqual(ReportsTestSupport.count("circle", in: parsed), 0)
        }
        XCTAssertTrue(ReportsTestSupport.parse(empty[0].svg()).texts.contains("no data"))
    }

    func testScatterDownsamplesDeterministicallyAndSkipsNaN() {
        var generator = SeededGenerator(seed: 5)
        var actual: [Double] = [], predicted: [Double] = []
        for i in 0..<12_000 {
            let a = generator.nextUnitDouble() * 500_000
            actual.append(a)
            predicted.append(i % 1000 == 0 ? .nan : a + generator.nextGaussian() * 40_000)
        }
        let chart = ScatterChart(title: "Predicted vs actual", xLabel: "actual", yLabel: "predicted",
                                 x: actual, y: predicted, showsIdentityLine: true)
        let svg = chart.svg()
        let parsed = ReportsTestSupport.parse(svg)
        XCTAssertEqual(ReportsTestSupport.count("circle", in: parsed), 5_000)
        XCTAssertEqual(svg, chart.svg())
        XCTAssertFalse(chart.drawnIndices.contains { $0 % 1000 == 0 })
        XCTAssertTrue(parsed.attributes.contains { $0["stroke-dasharray"] != nil })
        XCTAssertTrue(parsed.texts.contains("200k"), "\(parsed.texts)")

        let small = ScatterChart(title: "s", xLabel: "x", yLabel: "y", x: [1, 2, .nan, 4], y: [1, .infinity, 3, 4])
        XCTAssertEqual(small.drawnIndices, [0, 3])
        XCTAssertEqual(ReportsTestSupport.count("circle", in: ReportsTestSupport.parse(small.svg())), 2)
    }

    func testHistogramBinsAndOverlay() throws {
        let chart = HistogramChart(title: "Scores", xLabel: "score", distributions: [
            .init(name: "good", values: [0.1, 0.25, 0.25, 0.35, .nan]),
            .init(name: "bad", values: [0.75, 0.85, 0.95, 1.0]),
        ], binCount: 9, normalized: true)
        let bins = try XCTUnwrap(chart.bins())
        XCTAssertEqual(bins.edges.count, 10)
        XCTAssertEqual(bins.edges.first!, 0.1, accuracy: 1e-12)
        XCTAssertEqual(bins.edges.last!, 1.0, accuracy: 1e-12)
        XCTAssertEqual(bins.heights[0].reduce(0, +), 1, accuracy: 1e-12)   // NaN left out: 4 values
        XCTAssertEqual(bins.heights[0][1], 0.5, accuracy: 1e-12)            // 0.25 twice of 4
        XCTAssertEqual(bins.heights[1].last!, 0.5, accuracy: 1e-12)         // 0.95 and the maximum 1.0
        let parsed = ReportsTestSupport.parse(chart.svg())
        XCTAssertTrue(parsed.texts.contains("good") && parsed.texts.contains("bad"))
        XCTAssertTrue(parsed.texts.contains("share"))

        let counts = HistogramChart(title: "Residuals", xLabel: "residual",
                                    distributions: [.init(name: "", values: [1, 1, 1])], binCount: 5)
        XCTAssertEqual(counts.bins()!.heights[0].reduce(0, +), 3)
        // A single repeated value still gets a bin of width 1 around it, and one bar.
        XCTAssertEqual(counts.bins()!.edges.first!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(ReportsTestSupport.parse(counts.svg()).attributes.filter { $0["fill"] == "#0072B2" }.count, 1)
    }

    func testBarChartAndHeatMap() throws {
        let bars = BarChart(title: "Recall by class", xLabel: "class", yLabel: "recall",
                            categories: ["a", "b", "c"], values: [0.9, -0.1, .nan])
        let parsedBars = ReportsTestSupport.parse(bars.svg())
        // Bars are the palette-coloured rectangles; the NaN value has none.
        XCTAssertEqual(parsedBars.attributes.filter { $0["fill"] == "#0072B2" }.count, 2)
        XCTAssertTrue(parsedBars.texts.contains("c"))

        let matrix = try ConfusionMatrix(predicted: [0, 1, 1, 2, 2, 2], actual: [0, 1, 2, 2, 2, 1])
        let heat = HeatMapChart(confusionMatrix: matrix, classNames: ["<cat>", "dog & co", "bird"])
        let parsed = ReportsTestSupport.parse(heat.svg())
        XCTAssertEqual(ReportsTestSupport.count("rect", in: parsed), 1 + 9)   // background + cells
        XCTAssertTrue(parsed.texts.contains("<cat>") && parsed.texts.contains("dog & co"))
        XCTAssertEqual(parsed.texts.filter { $0 == "2" }.count, 1)
        XCTAssertEqual(parsed.texts.filter { $0 == "0" }.count, 4)
        XCTAssertEqual(HeatMapChart.blue(0), "#FFFFFF")
        XCTAssertEqual(HeatMapChart.blue(1), "#08306B")
    }

    func testWriteToFileIsAtomicAndComplete() throws {
        let path = NSTemporaryDirectory() + "chart-\(UUID().uuidString).svg"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let chart = BarChart(title: "t", xLabel: "x", yLabel: "y", categories: ["a"], values: [1])
        try chart.write(toFile: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), chart.svg())
    }
}
