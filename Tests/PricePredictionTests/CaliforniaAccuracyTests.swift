import PricePrediction
import SolutionKit
import XCTest

/// PROTOCOL split of California housing (test = row_index % 5 == 0), against scikit-learn's figures.
final class CaliforniaAccuracyTests: XCTestCase {
    let plugin = PricePredictionPlugin()

    private func rmse(_ recipe: String, _ overrides: [String]) throws -> Double {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #else
        let path = try PriceTestSupport.californiaPath()
        let data = try plugin.load(.file(path, options: ["target": "median_house_value", "split": "row"]))
        XCTAssertEqual(data.trainingCount, 16_512)
        XCTAssertEqual(data.evaluationCount, 4_128)
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: recipe, configurationText: nil,
                                                            configurationPath: "config", overrides: overrides)
        let model = try plugin.train(configuration, on: data, context: RunContext(seed: 42))
        return try XCTUnwrap(try plugin.evaluate(model, on: data, context: RunContext())["rmse"])
        #endif
    }

    /// scikit-learn 1.9.1 `Ridge(alpha=1)` after SimpleImputer(median) + StandardScaler, MissingIndicator and
    /// OneHotEncoder (bench/price/bench_price.py) measured RMSE 70,769 on this split; the issue quotes 70,775.
    func testRidgeMatchesScikitLearnWithTheSamePreprocessing() throws {
        let value = try rmse("ridge", ["log_skewed_features=false"])
        XCTAssertEqual(value, 70_769, accuracy: 70_769 * 0.005)
    }

    /// scikit-learn's MLPRegressor(64, 64), adam, early stopping: 51,678 (issue 3); the recipe must reach 50,000.
    func testMLPReachesFiftyThousand() throws {
        let value = try rmse("mlp", [])
        XCTAssertLessThanOrEqual(value, 50_000)
    }

    /// Issue 4: the gbdt recipe's defaults reach 44,000 (tuned LightGBM 43,893, XGBoost 44,026,
    /// HistGradientBoosting 44,199 on this split).
    func testGradientBoostingDefaultsReachFortyFourThousand() throws {
        let value = try rmse("gbdt", [])
        XCTAssertLessThanOrEqual(value, 44_000)
    }
}
