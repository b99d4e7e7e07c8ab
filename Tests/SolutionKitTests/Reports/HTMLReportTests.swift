import XCTest
@testable import SolutionKit

final class HTMLReportTests: XCTestCase {
    func testPageIsSelfContainedAndEscaped() {
        var page = HTMLReport(title: "Run <script>alert(1)</script>")
        page.addHeading("Metrics")
        page.addParagraph("a & b < c")
        page.addTable(headers: ["metric", "value"], rows: [["rmse", "1.5"], ["<b>", "x"]], alignRight: [1], emphasizedRows: [0])
        page.addHeading("Metrics")   // a second heading with the same text gets its own anchor
        page.addFigures([(name: "roc", title: "ROC \"curve\"", svg: LineChart(title: "t", xLabel: "x", yLabel: "y",
                                                                              series: [ChartSeries(name: "s", y: [1, 2])]).svg())])
        let html = page.html
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.contains("<script"), "no script, not even from a title")
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        XCTAssertTrue(html.contains("<p>a &amp; b &lt; c</p>"))
        XCTAssertTrue(html.contains("<td>&lt;b&gt;</td>"))
        XCTAssertTrue(html.contains("<tr class=\"em\"><td>rmse</td><td class=\"num\">1.5</td></tr>"))
        XCTAssertTrue(html.contains("id=\"metrics\"") && html.contains("id=\"metrics-2\""))
        XCTAssertTrue(html.contains("default-src 'none'"), "a Content-Security-Policy that refuses every request")
        XCTAssertFalse(html.contains("<?xml"), "inline SVG without its XML declaration")
        XCTAssertTrue(html.contains("<figure class=\"chart\" data-chart=\"roc\"><svg "))
        XCTAssertTrue(html.contains("<figcaption>ROC &quot;curve&quot;</figcaption>"))
        // The only URL on the page is the SVG namespace, which is a name, not a request.
        let urls = html.components(separatedBy: "://").dropFirst().map { String($0.prefix(22)) }
        XCTAssertEqual(Set(urls), ["www.w3.org/2000/svg\" w"])
    }

    func testMarkdownFromReportsRendersWithoutRawHTML() {
        var markdown = MarkdownReport(title: "ignored")
        markdown.addTable(headers: ["feature", "note"], rows: [["a|b", "line1\nline2"], ["<img src=x onerror=alert(1)>", "x & y"],
                                                             ["back\\slash", "**bold** and `code`"]], alignRight: [1])
        let text = markdown.markdown.components(separatedBy: "\n\n").dropFirst().joined(separator: "\n\n")
            + "\n\nA paragraph with <b>tags</b> &amp; an entity.\n\n- one\n- two"
        let html = MarkdownHTML.render(text)
        XCTAssertTrue(html.contains("<th>feature</th><th class=\"num\">note</th>"), html)
        XCTAssertTrue(html.contains("<td>a|b</td><td class=\"num\">line1<br>line2</td>"), html)
        XCTAssertTrue(html.contains("<td>&lt;img src=x onerror=alert(1)&gt;</td><td class=\"num\">x &amp; y</td>"), html)
        XCTAssertTrue(html.contains("<td>back\\slash</td><td class=\"num\"><strong>bold</strong> and <code>code</code></td>"), html)
        XCTAssertTrue(html.contains("<p>A paragraph with &lt;b&gt;tags&lt;/b&gt; &amp; an entity.</p>"), html)
        XCTAssertTrue(html.contains("<ul><li>one</li><li>two</li></ul>"), html)
        XCTAssertFalse(html.contains("<img") || html.contains("<b>"))
    }

    func testChartsMarkTitleAxisLabelsAndDataMarks() {
        let charts: [(any SVGChart, Int, Int)] = [
            (LineChart(title: "t", xLabel: "x", yLabel: "y", series: [ChartSeries(name: "a", y: [1, 2, 3])]), 2, 1),
            (HistogramChart(title: "t", xLabel: "x", distributions: [.init(name: "d", values: [1, 1, 2])], binCount: 2), 2, 2),
            (BarChart(title: "t", xLabel: "x", yLabel: "y", categories: ["a", "b"], values: [1, .nan]), 2, 1),
            (HorizontalBarChart(title: "t", xLabel: "x", yLabel: "y", categories: ["a", "b", "c"], values: [3, 2, 1]), 2, 3),
            (GroupedBarChart(title: "t", xLabel: "x", yLabel: "y", categories: ["a", "b"],
                             groups: [.init(name: "p", values: [0.5, 0.7]), .init(name: "r", values: [0.6, .nan])]), 2, 3),
            (HeatMapChart(title: "t", xLabel: "x", yLabel: "y", rowLabels: ["a"], columnLabels: ["b", "c"], values: [1, 2]), 2, 2),
            (ScatterChart(title: "t", xLabel: "x", yLabel: "y", x: [1, 2], y: [2, .nan]), 2, 1),
        ]
        for (chart, axisLabels, marks) in charts {
            let parsed = ReportsTestSupport.parse(chart.svg())
            let classes = parsed.attributes.compactMap { $0["class"] }
            XCTAssertEqual(classes.filter { $0 == "chart-title" }.count, 1, "\(type(of: chart))")
            XCTAssertEqual(classes.filter { $0 == "axis-label" }.count, axisLabels, "\(type(of: chart))")
            XCTAssertEqual(classes.filter { $0 == "mark" }.count, marks, "\(type(of: chart))")
        }
    }

    func testSHAPSummaryRanksFeaturesAndDrawsEveryRow() {
        // Feature 1 moves the output most, feature 0 a little, feature 2 not at all.
        let rows = 50
        var contributions: [Double] = [], values: [Double] = []
        for r in 0..<rows {
            let v = Double(r) / Double(rows)
            contributions += [0.1 * (v - 0.5), 2 * (v - 0.5), 0]
            values += [v, r % 7 == 0 ? .nan : v, 1]
        }
        let chart = SHAPSummaryChart(featureNames: ["small", "big", "none"], contributions: contributions, featureValues: values)
        XCTAssertEqual(chart.rankedFeatures, [1, 0, 2])
        let parsed = ReportsTestSupport.parse(chart.svg())
        XCTAssertEqual(parsed.attributes.filter { $0["class"] == "mark" }.count, 3 * rows)
        XCTAssertEqual(Array(parsed.texts.drop { $0 != "big" }.prefix(3)), ["big", "small", "none"], "most influential first")
        XCTAssertTrue(parsed.attributes.contains { $0["fill"] == "#aaaaaa" && $0["class"] == "mark" }, "missing values are grey")
        let few = SHAPSummaryChart(featureNames: ["a"], contributions: Array(repeating: 1, count: 5000),
                                   featureValues: Array(repeating: 1, count: 5000), maximumPoints: 100)
        XCTAssertEqual(ReportsTestSupport.parse(few.svg()).attributes.filter { $0["class"] == "mark" }.count, 100)
    }

    func testImageGridEmbedsImagesAndHasNoAxes() throws {
        let tile = ImageGridChart.Tile(image: GrayImage(width: 2, height: 2, pixels: [0, 255, 128, 64]), caption: "3→8 0.91")
        let svg = ImageGridChart(title: "Wrong", tiles: [tile, tile, tile]).svg()
        let parsed = ReportsTestSupport.parse(svg)
        XCTAssertEqual(parsed.elements.filter { $0 == "image" }.count, 3)
        XCTAssertTrue(parsed.attributes.allSatisfy { ($0["href"] ?? "data:image/png;base64,").hasPrefix("data:image/png;base64,") })
        XCTAssertEqual(parsed.attributes.first?["data-axes"], "none")
        XCTAssertTrue(parsed.texts.contains("3→8 0.91"))
    }

    func testChartDataOverlaysAndRoundTrips() throws {
        let a = ChartData.line(LineChart(title: "ROC", xLabel: "fpr", yLabel: "tpr", series: [ChartSeries(name: "model", y: [0.1, .nan])],
                                         xRange: 0...1))
        let b = ChartData.line(LineChart(title: "ROC", xLabel: "fpr", yLabel: "tpr", series: [ChartSeries(name: "model", y: [0.2])],
                                         xRange: 0...1))
        guard case .line(let both)? = a.overlaid(with: b, names: ("A", "B")) else { return XCTFail("lines overlay") }
        XCTAssertEqual(both.series.map(\.name), ["A: model", "B: model"])
        XCTAssertEqual(both.xRange, 0...1)
        XCTAssertNil(a.overlaid(with: .bars(GroupedBarChart(title: "", xLabel: "", yLabel: "", categories: [], groups: [])), names: ("A", "B")))

        let h = ChartData.histogram(HistogramChart(title: "r", xLabel: "x", distributions: [.init(name: "r", values: [1, 2])]))
        guard case .histogram(let histograms)? = h.overlaid(with: h, names: ("A", "B")) else { return XCTFail("histograms overlay") }
        XCTAssertTrue(histograms.normalized)
        XCTAssertEqual(histograms.distributions.count, 2)

        let x = ChartData.bars(GroupedBarChart(title: "c", xLabel: "", yLabel: "", categories: ["0", "1"], groups: [.init(name: "recall", values: [0.9, 0.8])]))
        let y = ChartData.bars(GroupedBarChart(title: "c", xLabel: "", yLabel: "", categories: ["1", "2"], groups: [.init(name: "recall", values: [0.7, 0.6])]))
        guard case .bars(let bars)? = x.overlaid(with: y, names: ("A", "B")) else { return XCTFail("bars overlay") }
        XCTAssertEqual(bars.categories, ["0", "1", "2"])
        XCTAssertEqual(bars.groups[1].values[1], 0.7)
        XCTAssertTrue(bars.groups[1].values[0].isNaN && bars.groups[0].values[2].isNaN)

        XCTAssertEqual(try ChartData(decoding: try a.encoded()).chart.svg(), a.chart.svg(), "NaN survives the JSON round trip")
    }

    func testTrainingCurveChartsIncludeTheLearningRate() {
        let curves = TrainingCurves(series: [.init(name: "train", values: [3, 2, 1]), .init(name: "validation", values: [3.5, 2.5, 2])],
                                    bestIteration: 3, learningRates: [0.1, 0.05, 0.01])
        let charts = curves.reportCharts(xLabel: "epoch", yLabel: "loss")
        XCTAssertEqual(charts.map(\.name), ["training-curve", "learning-rate"])
        guard case .line(let line)? = charts[0].data else { return XCTFail("the curves keep their data") }
        XCTAssertEqual(line.series.map(\.name), ["train", "validation"])
        XCTAssertTrue(charts[0].svg.contains("kept iteration 3"))
        XCTAssertEqual(TrainingCurves(series: [.init(name: "train", values: [1])]).reportCharts(xLabel: "", yLabel: "").count, 1)
        // history.json written before learning rates were recorded still reads.
        let old = try? JSONDecoder().decode(TrainingCurves.self, from: Data(#"{"series":[{"name":"t","values":[1]}]}"#.utf8))
        XCTAssertEqual(old?.learningRates, [])
    }

    func testDataProfileOfATable() throws {
        let table = try Table(columns: [
            .numeric("x", NumericColumn([1, nil, 3, 3])),
            .categorical("c", CategoricalColumn(["a", "b", nil, "a"])),
        ])
        let profile = DataProfile(table: table, counts: [DataProfile.Counts(title: "class", values: ["y", "n", "y"], order: ["n", "y"])])
        XCTAssertEqual(profile.columns[0].missingShare, 0.25)
        XCTAssertEqual(profile.columns[0].distinctCount, 2)
        XCTAssertEqual(profile.columns[0].minimum, 1)
        XCTAssertEqual(profile.columns[0].mean!, 7.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(profile.columns[1].commonest, [.init("a", 2), .init("b", 1)])
        XCTAssertEqual(profile.counts[0].counts, [.init("n", 1), .init("y", 2)])
    }
}

final class StagedMetricTests: XCTestCase {
    func testTheLastStageIsTheModelsOwnMetric() throws {
        let x = BoostingTestSupport.uniformMatrix(rows: 300, features: 4, seed: 3)
        let y = BoostingTestSupport.friedmanLike(x, seed: 3)
        var parameters = GradientBoostingParameters()
        parameters.numberOfRounds = 25
        var trainer = GradientBoostingTrainer(parameters: parameters)
        trainer.recordsTrainingMetric = true
        let model = try trainer.fit(features: x, labels: y)
        let staged = try model.stagedMetric(features: x, labels: y)
        XCTAssertEqual(staged.count, model.trees.count)
        XCTAssertEqual(staged.last!, BoostingTestSupport.rmse(try model.predictions(for: x), y), accuracy: 1e-9)
        // On the training rows it is the curve the trainer recorded.
        for (a, b) in zip(staged, model.history.compactMap(\.training)) { XCTAssertEqual(a, b, accuracy: 1e-9) }
        XCTAssertThrowsError(try model.stagedMetric(features: x, labels: Array(y.prefix(10))))
    }

    func testExplanationChartsOfATreeModel() throws {
        let x = BoostingTestSupport.uniformMatrix(rows: 200, features: 3, seed: 5)
        let y = (0..<200).map { Double(x.scalars[$0 * 3]) * 10 }   // only feature 0 matters
        var parameters = GradientBoostingParameters()
        parameters.numberOfRounds = 10
        let model = try GradientBoostingTrainer(parameters: parameters).fit(features: x, labels: y, featureNames: ["a", "b", "c"])
        let charts = try model.explanationCharts(for: x, sampleRows: 50)
        XCTAssertEqual(charts.map(\.name), ["feature-importance", "shap-summary"])
        let shap = ReportsTestSupport.parse(charts[1].svg)
        XCTAssertEqual(shap.attributes.filter { $0["class"] == "mark" }.count, 50 * 3)
        XCTAssertEqual(shap.texts.first { ["a", "b", "c"].contains($0) }, "a", "the feature that matters comes first")
    }
}

final class LineChartSizeTests: XCTestCase {
    func testLongCurvesAreDrawnAtScreenResolution() {
        let n = 100_000
        let x = (0..<n).map { Double($0) / Double(n - 1) }
        let chart = LineChart(title: "ROC", xLabel: "fpr", yLabel: "tpr", series: [ChartSeries(name: "model", x: x, y: x.map { $0.squareRoot() })])
        let svg = chart.svg()
        XCTAssertLessThan(svg.utf8.count, 60_000, "a curve of 100,000 points stays small")
        let path = ReportsTestSupport.parse(svg).attributes.first { $0["class"] == "mark" }?["d"] ?? ""
        XCTAssertTrue(path.hasPrefix("M72,364") && path.hasSuffix("L616,44"), "first and last points kept: \(path.suffix(20))")
    }
}
