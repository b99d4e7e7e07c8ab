import PricePrediction
import SolutionKit
import XCTest

/// Hostile input: every case gives an error naming the file, line, column or key, or a reject row with a reason.
final class PriceBadInputTests: XCTestCase {
    let plugin = PricePredictionPlugin()
    let header = "longitude,latitude,housing_median_age,total_rooms,total_bedrooms,population,households,median_income,median_house_value,ocean_proximity"

    private func load(_ text: String, target: String = "median_house_value") throws -> any DomainDataset {
        let url = try PriceTestSupport.temporaryFolder(self).appendingPathComponent("data.csv")
        try PriceTestSupport.write(text, to: url)
        return try plugin.load(.file(url.path, options: ["target": target]))
    }

    private func message(_ body: () throws -> Void) -> String {
        do {
            try body()
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testRaggedRowNamesTheLine() {
        let text = header + "\n-122.2,37.8,41,880,129,322,126,8.3,452600,NEAR BAY\n-122.2,37.8,41,880\n"
        let text2 = message { _ = try self.load(text) }
        XCTAssertTrue(text2.contains("data.csv") && text2.contains("line 3") && text2.contains("expected 10 fields, found 4"), text2)
    }

    func testEmptyFileIsAnError() {
        let error = message { _ = try self.load("") }
        XCTAssertTrue(error.contains("data.csv") && error.lowercased().contains("empty"), error)
    }

    func testMissingTargetColumnNamesIt() throws {
        let error = message { _ = try self.load(try PriceTestSupport.sampleSlice(rows: 20), target: "price") }
        XCTAssertTrue(error.contains("no target column 'price'") && error.contains("median_house_value"), error)
    }

    func testTextTargetIsAnError() {
        let text = "a,b\n1,x\n2,y\n3,z\n4,w\n5,v\n"
        let error = message { _ = try self.load(text, target: "b") }
        XCTAssertTrue(error.contains("target column 'b' is not numeric"), error)
    }

    func testInfiniteTrainingValueNamesLineAndColumn() {
        let text = header + "\n-122.2,37.8,41,880,129,322,126,8.3,452600,NEAR BAY\n-122.2,37.8,41,inf,129,322,126,8.3,452600,NEAR BAY\n"
        let error = message { _ = try self.load(text) }
        XCTAssertTrue(error.contains("line 3") && error.contains("total_rooms"), error)
    }

    func testMissingTargetValueNamesTheLine() {
        let text = header + "\n-122.2,37.8,41,880,129,322,126,8.3,452600,NEAR BAY\n-122.2,37.8,41,880,129,322,126,8.3,,NEAR BAY\n"
        let error = message { _ = try self.load(text) }
        XCTAssertTrue(error.contains("line 3") && error.contains("target 'median_house_value' is missing"), error)
    }

    func testUnknownAndBadHyperparametersNameTheKey() {
        let unknown = message {
            _ = try RecipeConfiguration.resolve(for: self.plugin, recipe: "ridge", configurationText: nil,
                                                configurationPath: "config", overrides: ["alpah=2"])
        }
        XCTAssertTrue(unknown.contains("\"alpah\"") && unknown.contains("alpha"), unknown)
        let bad = message {
            _ = try RecipeConfiguration.resolve(for: self.plugin, recipe: "mlp", configurationText: nil,
                                                configurationPath: "config", overrides: ["epochs=-3"])
        }
        XCTAssertTrue(bad.contains("\"epochs\"") && bad.contains("1...10000"), bad)
        let layers = message {
            let configuration = try RecipeConfiguration.resolve(for: self.plugin, recipe: "mlp", configurationText: nil,
                                                                configurationPath: "config", overrides: ["hidden_layers=64,x"])
            _ = try self.plugin.train(configuration, on: try self.load(try PriceTestSupport.sampleSlice(rows: 40)),
                                      context: RunContext())
        }
        XCTAssertTrue(layers.contains("hidden_layers") && layers.contains("64,x"), layers)
    }

    /// Scoring: text in a numeric column, an unseen category, NaN/inf and a short row are rejected with reasons,
    /// missing values are imputed, and no row is lost.
    func testScoringRejectsBadRowsWithReasons() throws {
        let folder = try PriceTestSupport.temporaryFolder(self)
        let data = try plugin.load(.file(PriceTestSupport.samplePath, options: ["target": "median_house_value"]))
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: "ridge", configurationText: nil,
                                                            configurationPath: "config", overrides: [])
        let model = try plugin.train(configuration, on: data, context: RunContext())
        let bundle = try ModelBundle.save(model, plugin: plugin, trainingData: data, metrics: nil, seed: 1,
                                          to: folder.appendingPathComponent("bundle").path)
        let input = """
            id,longitude,latitude,housing_median_age,total_rooms,total_bedrooms,population,households,median_income,ocean_proximity,extra
            ok,-122.23,37.88,41,880,129,322,126,8.3252,NEAR BAY,x
            text,-122.23,37.88,41,lots,129,322,126,8.3252,NEAR BAY,x
            moon,-122.23,37.88,41,880,129,322,126,8.3252,MOON,x
            inf,-122.23,37.88,41,880,129,322,126,inf,NEAR BAY,x
            nan,-122.23,37.88,41,880,NA,322,126,8.3252,,x
            short,-122.23,37.88

            """
        let output = try OutputSink.file(atomicallyAt: folder.appendingPathComponent("out.csv").path)
        let rejects = try OutputSink.file(atomicallyAt: folder.appendingPathComponent("rejects.csv").path)
        let summary = try plugin.scorer(for: bundle).score(MemoryByteSource(input, name: "in.csv"), into: output,
                                                            rejects: rejects, options: ScoringOptions())
        try output.commit()
        try rejects.commit()
        XCTAssertEqual(summary.rowsRead, 6)
        XCTAssertEqual(summary.rowsScored, 2)
        XCTAssertEqual(summary.rowsRejected, 4)
        XCTAssertTrue(summary.isBalanced)
        XCTAssertEqual(summary.notes, ["ignored extra column: extra"])
        let scored = try String(contentsOf: folder.appendingPathComponent("out.csv"), encoding: .utf8)
        XCTAssertEqual(scored.split(separator: "\n").map { $0.split(separator: ",").first.map(String.init) ?? "" },
                       ["id", "ok", "nan"])
        let reasons = try String(contentsOf: folder.appendingPathComponent("rejects.csv"), encoding: .utf8)
        XCTAssertEqual(reasons, """
            line,reason
            3,column 'total_rooms': 'lots' is not a number
            4,column 'ocean_proximity': unseen category 'MOON'
            5,column 'median_income': infinite value
            7,"expected 11 fields, found 3"

            """)
    }

    func testBundleOfAnotherPluginIsRefused() throws {
        let folder = try PriceTestSupport.temporaryFolder(self)
        let data = try plugin.load(.file(PriceTestSupport.samplePath, options: ["target": "median_house_value"]))
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: "ridge", configurationText: nil,
                                                            configurationPath: "config", overrides: [])
        let model = try plugin.train(configuration, on: data, context: RunContext())
        let path = folder.appendingPathComponent("bundle").path
        try ModelBundle.save(model, plugin: plugin, trainingData: data, metrics: nil, seed: 1, to: path)
        let error = message { _ = try ModelBundle.load(from: path, expectingPlugin: "credit-risk") }
        XCTAssertTrue(error.contains("price-prediction") && error.contains("credit-risk"), error)
    }
}
