import XCTest
@testable import SolutionKit

/// Hyperparameters set from text (recipes, `--set`) and quantile prediction intervals.
final class BoostingSettingsTests: XCTestCase {
    func testSettingsUseLightGBMNamesAndRejectBadInput() throws {
        var p = GradientBoostingParameters()
        try p.set("objective", to: "quantile")
        try p.set("alpha", to: "0.25")
        try p.set("num_leaves", to: "63")
        try p.set("max_depth", to: "-1")
        try p.set("bagging_fraction", to: "0.8")
        try p.set("metric", to: "l1")
        XCTAssertEqual(p.objective, .quantile(alpha: 0.25))
        XCTAssertEqual(p.numberOfLeaves, 63)
        XCTAssertNil(p.maxDepth)
        XCTAssertEqual(p.baggingFraction, 0.8)
        XCTAssertEqual(p.metric, .meanAbsoluteError)
        XCTAssertThrowsError(try p.set("num_leafs", to: "3")) { XCTAssertTrue("\($0)".contains("num_leaves")) }
        XCTAssertThrowsError(try p.set("num_leaves", to: "many")) { XCTAssertTrue("\($0)".contains("integer")) }
        XCTAssertThrowsError(try p.set("learning_rate", to: "-1")) { XCTAssertTrue("\($0)".contains("learningRate")) }
        XCTAssertEqual(p.learningRate, 0.1, "a refused value leaves the parameters unchanged")
        XCTAssertThrowsError(try p.set("objective", to: "poisson")) { XCTAssertTrue("\($0)".contains("regression_l1")) }
        XCTAssertThrowsError(try p.set("scale_pos_weight", to: "2")) { XCTAssertTrue("\($0)".contains("binary")) }
        for key in GradientBoostingParameters.settingKeys {
            XCTAssertThrowsError(try p.set(key, to: "not-a-value"), key)
        }
    }

    func testQuantileIntervalsCoverAndNeverCross() throws {
        let x = BoostingTestSupport.uniformMatrix(rows: 3000, features: 4, seed: 21)
        let y = BoostingTestSupport.friedmanLike(x, seed: 22)
        var p = GradientBoostingParameters()
        p.numberOfRounds = 80
        let model = try QuantileIntervalModel(parameters: p, lowerAlpha: 0.1, upperAlpha: 0.9, features: x, labels: y)
        XCTAssertEqual(model.coverage, 0.8, accuracy: 1e-12)
        let intervals = try model.intervals(for: x)
        XCTAssertTrue(intervals.allSatisfy { $0.lower <= $0.point && $0.point <= $0.upper })
        let inside = zip(intervals, y).filter { $0.lower <= $1 && $1 <= $0.upper }.count
        XCTAssertEqual(Double(inside) / Double(y.count), 0.8, accuracy: 0.05)
        let decoded = try JSONDecoder().decode(QuantileIntervalModel.self, from: try JSONEncoder().encode(model))
        XCTAssertEqual(decoded, model)
        XCTAssertThrowsError(try QuantileIntervalModel(parameters: p, lowerAlpha: 0.9, upperAlpha: 0.1,
                                                       features: x, labels: y))
    }
}
