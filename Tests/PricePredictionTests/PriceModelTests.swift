import PricePrediction
import SolutionKit
import XCTest

/// Training, saving and reloading price models: determinism and identical scores.
final class PriceModelTests: XCTestCase {
    let plugin = PricePredictionPlugin()

    private func trainAndSave(_ recipe: String, overrides: [String], seed: UInt64, to path: String) throws -> ModelBundle {
        let data = try plugin.load(.dataset("sample"))
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: recipe, configurationText: nil,
                                                            configurationPath: "config", overrides: overrides)
        let model = try plugin.train(configuration, on: data, context: RunContext(seed: seed))
        return try ModelBundle.save(model, plugin: plugin, trainingData: data, metrics: nil, seed: seed, to: path)
    }

    func testTheSameSeedWritesByteIdenticalWeightFiles() throws {
        let folder = try PriceTestSupport.temporaryFolder(self)
        let overrides = ["epochs=4"]
        _ = try trainAndSave("mlp", overrides: overrides, seed: 11, to: folder.appendingPathComponent("a").path)
        _ = try trainAndSave("mlp", overrides: overrides, seed: 11, to: folder.appendingPathComponent("b").path)
        _ = try trainAndSave("mlp", overrides: overrides, seed: 12, to: folder.appendingPathComponent("c").path)
        let a = try Data(contentsOf: folder.appendingPathComponent("a/weights.bin"))
        let b = try Data(contentsOf: folder.appendingPathComponent("b/weights.bin"))
        let c = try Data(contentsOf: folder.appendingPathComponent("c/weights.bin"))
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
    }

    func testAReloadedModelEvaluatesIdentically() throws {
        let folder = try PriceTestSupport.temporaryFolder(self)
        let data = try plugin.load(.dataset("sample"))
        for recipe in ["ridge", "mlp"] {
            let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: recipe, configurationText: nil,
                                                                configurationPath: "config", overrides: recipe == "mlp" ? ["epochs=5"] : [])
            let model = try plugin.train(configuration, on: data, context: RunContext(seed: 3))
            let bundle = try ModelBundle.save(model, plugin: plugin, trainingData: data, metrics: nil, seed: 3,
                                              to: folder.appendingPathComponent(recipe).path)
            let before = try plugin.evaluate(model, on: data, context: RunContext())
            let after = try plugin.evaluate(try plugin.model(from: bundle), on: data, context: RunContext())
            XCTAssertEqual(before.values, after.values, recipe)
        }
    }

    func testSampleMetricsAreSensible() throws {
        let data = try plugin.load(.dataset("sample"))
        XCTAssertEqual(data.trainingCount, 1651)
        XCTAssertEqual(data.evaluationCount, 413)
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: "ridge", configurationText: nil,
                                                            configurationPath: "config", overrides: [])
        let report = try plugin.evaluate(try plugin.train(configuration, on: data, context: RunContext()), on: data,
                                         context: RunContext())
        XCTAssertEqual(report.primary, "rmse")
        // A linear model explains most of the variance of house values even on 1,651 rows.
        XCTAssertGreaterThan(try XCTUnwrap(report["r2"]), 0.6)
        XCTAssertLessThan(try XCTUnwrap(report["rmse"]), 70_000)
        XCTAssertEqual(Set(report.charts.map(\.name)), ["predicted-vs-actual", "residuals", "residuals-vs-predicted"])
    }
}

/// The gbdt recipe's quantile option: scoring writes an ordered prediction interval.
final class PriceIntervalTests: XCTestCase {
    func testScoringWritesOrderedIntervals() throws {
        let plugin = PricePredictionPlugin()
        let folder = try PriceTestSupport.temporaryFolder(self)
        let data = try plugin.load(.dataset("sample"))
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: "gbdt", configurationText: nil,
                                                            configurationPath: "config",
                                                            overrides: ["interval=0.8", "num_iterations=40"])
        let model = try plugin.train(configuration, on: data, context: RunContext(seed: 5))
        let bundle = try ModelBundle.save(model, plugin: plugin, trainingData: data, metrics: nil, seed: 5,
                                          to: folder.appendingPathComponent("bundle").path)
        let input = String(try PriceTestSupport.sampleSlice(rows: 50))
        let output = try OutputSink.file(atomicallyAt: folder.appendingPathComponent("out.csv").path)
        let summary = try plugin.scorer(for: bundle).score(MemoryByteSource(input), into: output, rejects: nil,
                                                            options: ScoringOptions())
        try output.commit()
        XCTAssertEqual(summary.rowsScored, 50)
        let lines = try String(contentsOf: folder.appendingPathComponent("out.csv"), encoding: .utf8)
            .split(separator: "\n")
        XCTAssertEqual(lines.first, "prediction,lower,upper")
        for line in lines.dropFirst() {
            let v = line.split(separator: ",").map { Double($0)! }
            XCTAssertLessThanOrEqual(v[1], v[0], String(line))
            XCTAssertLessThanOrEqual(v[0], v[2], String(line))
        }
        let report = try plugin.evaluate(model, on: data, context: RunContext())
        XCTAssertTrue(report.sections.contains { $0.title == "Prediction interval" })
    }
}
