import SolutionKit
import SolutionKitConformance
import XCTest

/// The test plugin honours the whole contract, checked by the same suite real plugins use.
final class LineFitConformanceTests: XCTestCase {
    func fixture(format: ScoringFormat = .csv) throws -> ConformanceFixture {
        let folder = try LauncherTestSupport.temporaryFolder(self)
        let data = folder.appendingPathComponent("points.csv")
        try LauncherTestSupport.write(LauncherTestSupport.pointsCSV(), to: data)
        switch format {
        case .csv:
            return ConformanceFixture(trainingData: .file(data.path), scoringInput: "id,x\na,1.5\nb,-2\nc,0.25\nd,4\n",
                                      invalidRow: "e,not-a-number", overrides: ["sgd": ["epochs=5"]])
        case .jsonl:
            return ConformanceFixture(trainingData: .file(data.path),
                                      scoringInput: "{\"id\":\"a\",\"x\":1.5}\n{\"x\":-2}\n{\"id\":7,\"x\":0.25}\n",
                                      invalidRow: "{\"x\":\"oops\"}", format: .jsonl, hasHeader: false,
                                      overrides: ["sgd": ["epochs=5"]])
        }
    }

    func testLineFitPassesTheConformanceSuite() throws {
        let report = ConformanceSuite.run(LineFitPlugin(), fixture: try fixture())
        XCTAssertTrue(report.isPassing, "\(report)")
        XCTAssertTrue(report.passed.contains("bundle round trip [sgd]"), "\(report)")
        XCTAssertTrue(report.passed.contains("same seed gives identical weight files [sgd]"), "\(report)")
        XCTAssertTrue(report.passed.contains("scorer rejects a bad row with a reason"), "\(report)")
        XCTAssertTrue(report.passed.contains("dataset sample loads"), "\(report)")
        // The shared folder does not exist for this test plugin: skipped, not failed.
        XCTAssertTrue(report.skipped.contains { $0.hasPrefix("dataset shared-points loads: files absent") }, "\(report)")
    }

    func testLineFitPassesTheSuiteOnJSONLines() throws {
        let report = ConformanceSuite.run(LineFitPlugin(), fixture: try fixture(format: .jsonl))
        XCTAssertTrue(report.isPassing, "\(report)")
    }

    /// The suite must catch broken plugins, not only pass good ones.
    func testSuiteCatchesAScorerThatMiscounts() throws {
        var plugin = LineFitPlugin()
        plugin.breaksRowCount = true
        let report = ConformanceSuite.run(plugin, fixture: try fixture())
        XCTAssertFalse(report.isPassing)
        XCTAssertTrue(report.failures.contains { $0.check == "scorer keeps row order and counts rows" && $0.message.contains("rows read") },
                      "\(report)")
    }

    func testSuiteCatchesAPluginWithoutPrimaryMetric() throws {
        let report = ConformanceSuite.run(NoPrimaryPlugin(), fixture: try fixture())
        XCTAssertTrue(report.failures.contains { $0.check == "declarations" && $0.message.contains("exactly one primary metric") },
                      "\(report)")
    }

    func testSuiteCatchesAScorerThatDoesNotKeepOrder() throws {
        let report = ConformanceSuite.run(SortingPlugin(), fixture: try fixture())
        XCTAssertTrue(report.failures.contains { $0.message.contains("reverse order") }, "\(report)")
    }
}

/// The line-fit plugin with no primary metric declared.
struct NoPrimaryPlugin: DomainPlugin {
    let base = LineFitPlugin()
    var id: String { "no-primary" }
    var version: String { base.version }
    var summary: String { base.summary }
    var datasets: [DatasetDescriptor] { base.datasets }
    var recipes: [Recipe] { base.recipes }
    var metrics: [MetricDescriptor] { base.metrics.map { var m = $0; m.isPrimary = false; return m } }
    func load(_ request: DataRequest) throws -> any DomainDataset { try base.load(request) }
    func train(_ c: RecipeConfiguration, on d: any DomainDataset, context: RunContext) throws -> any TrainedModel {
        try base.train(c, on: d, context: context)
    }
    func evaluate(_ m: any TrainedModel, on d: any DomainDataset, context: RunContext) throws -> MetricReport {
        try base.evaluate(m, on: d, context: context)
    }
    func model(from bundle: ModelBundle) throws -> any TrainedModel { try base.model(from: bundle) }
    func scorer(for bundle: ModelBundle) throws -> any BatchScorer { try base.scorer(for: bundle) }
}

/// The line-fit plugin whose scorer sorts its output: it loses the input order.
struct SortingPlugin: DomainPlugin {
    let base = LineFitPlugin()
    var id: String { "sorting" }
    var version: String { base.version }
    var summary: String { base.summary }
    var datasets: [DatasetDescriptor] { base.datasets }
    var recipes: [Recipe] { base.recipes }
    var metrics: [MetricDescriptor] { base.metrics }
    func load(_ request: DataRequest) throws -> any DomainDataset { try base.load(request) }
    func train(_ c: RecipeConfiguration, on d: any DomainDataset, context: RunContext) throws -> any TrainedModel {
        try base.train(c, on: d, context: context)
    }
    func evaluate(_ m: any TrainedModel, on d: any DomainDataset, context: RunContext) throws -> MetricReport {
        try base.evaluate(m, on: d, context: context)
    }
    func model(from bundle: ModelBundle) throws -> any TrainedModel { try base.model(from: bundle) }
    func scorer(for bundle: ModelBundle) throws -> any BatchScorer { SortingScorer(inner: try base.scorer(for: bundle)) }

    struct SortingScorer: BatchScorer {
        let inner: any BatchScorer
        func score(_ input: any ByteSource, into output: OutputSink, rejects: OutputSink?, options: ScoringOptions) throws -> ScoringSummary {
            var lines: [String] = []
            let reader = LineReader(input)
            while let line = try reader.next() { lines.append(line) }
            let sorted = [lines[0]] + lines.dropFirst().filter { !$0.isEmpty }.sorted()
            return try inner.score(MemoryByteSource(sorted.joined(separator: "\n") + "\n"), into: output, rejects: rejects, options: options)
        }
    }
}

/// The suite reports a recipe whose default breaks its own constraint instead of crashing.
final class ConformanceDeclarationTests: XCTestCase {
    func testBadDefaultIsReported() throws {
        var plugin = BadDefaultPlugin()
        plugin.base.breaksRowCount = false
        let folder = try LauncherTestSupport.temporaryFolder(self)
        let data = folder.appendingPathComponent("points.csv")
        try LauncherTestSupport.write(LauncherTestSupport.pointsCSV(), to: data)
        let report = ConformanceSuite.run(plugin, fixture: ConformanceFixture(trainingData: .file(data.path),
                                                                             scoringInput: "x\n1\n2\n", invalidRow: "a"))
        XCTAssertTrue(report.failures.contains {
            $0.check == "declarations" && $0.message == "recipe exact: default 5000.0 of l2 is not a number in 0.0...1000.0"
        }, "\(report)")
    }
}

struct BadDefaultPlugin: DomainPlugin {
    var base = LineFitPlugin()
    var id: String { "bad-default" }
    var version: String { base.version }
    var summary: String { base.summary }
    var datasets: [DatasetDescriptor] { [] }
    var recipes: [Recipe] {
        var recipes = base.recipes
        recipes[0].hyperparameters[0] = .real("l2", default: 5000, in: 0...1000, "out of its own range")
        return recipes
    }
    var metrics: [MetricDescriptor] { base.metrics }
    func load(_ request: DataRequest) throws -> any DomainDataset { try base.load(request) }
    func train(_ c: RecipeConfiguration, on d: any DomainDataset, context: RunContext) throws -> any TrainedModel {
        try base.train(c, on: d, context: context)
    }
    func evaluate(_ m: any TrainedModel, on d: any DomainDataset, context: RunContext) throws -> MetricReport {
        try base.evaluate(m, on: d, context: context)
    }
    func model(from bundle: ModelBundle) throws -> any TrainedModel { try base.model(from: bundle) }
    func scorer(for bundle: ModelBundle) throws -> any BatchScorer { try base.scorer(for: bundle) }
}
