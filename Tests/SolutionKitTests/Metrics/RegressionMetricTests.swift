import XCTest
@testable import SolutionKit

final class RegressionMetricTests: XCTestCase {
    let targets: [Double] = [10, 20, 30, 40, 0.5]
    let predictions: [Double] = [12, 18, 33, 35, 1.0]

    func testAgainstScikitLearn() throws {
        // Values from scikit-learn 1.9.1: sqrt(mean_squared_error), mean_absolute_error, r2_score,
        // mean_absolute_percentage_error on the same arrays.
        XCTAssertEqual(try RootMeanSquaredError().evaluate(predictions: predictions, targets: targets),
                       2.9068883707497264, accuracy: 1e-12)
        XCTAssertEqual(try MeanAbsoluteError().evaluate(predictions: predictions, targets: targets), 2.5, accuracy: 1e-12)
        XCTAssertEqual(try CoefficientOfDetermination().evaluate(predictions: predictions, targets: targets),
                       0.9568965517241379, accuracy: 1e-12)
        XCTAssertEqual(try MeanAbsolutePercentageError().evaluate(predictions: predictions, targets: targets),
                       0.305, accuracy: 1e-12)
    }

    func testHandComputed() throws {
        // errors 1, -1, 2: MSE = 6/3 = 2
        XCTAssertEqual(try MeanSquaredError().evaluate(predictions: [2, 1, 5], targets: [1, 2, 3]), 2, accuracy: 1e-15)
        // Perfect and constant cases follow r2_score's conventions.
        XCTAssertEqual(try CoefficientOfDetermination().evaluate(predictions: [3, 3], targets: [3, 3]), 1)
        XCTAssertEqual(try CoefficientOfDetermination().evaluate(predictions: [2, 3], targets: [3, 3]), 0)
    }

    func testMAPESkipsZeroTargets() throws {
        // Zero target left out: |11-10|/10 = 0.1 and |1-2|/2 = 0.5 → 0.3
        XCTAssertEqual(try MeanAbsolutePercentageError().evaluate(predictions: [11, 5, 1], targets: [10, 0, 2]),
                       0.3, accuracy: 1e-15)
        XCTAssertThrowsError(try MeanAbsolutePercentageError().evaluate(predictions: [1], targets: [0]))
    }

    func testBadInputNamesTheProblem() {
        XCTAssertThrowsError(try MeanAbsoluteError().evaluate(predictions: [1, 2], targets: [1])) { error in
            XCTAssertEqual(error as? MetricError, .countMismatch(metric: "mae", predictions: 2, targets: 1))
        }
        XCTAssertThrowsError(try RootMeanSquaredError().evaluate(predictions: [], targets: [])) { error in
            XCTAssertEqual(error as? MetricError, .empty(metric: "rmse"))
        }
        XCTAssertThrowsError(try RootMeanSquaredError().evaluate(predictions: [1, .nan], targets: [1, 2])) { error in
            XCTAssertEqual(error as? MetricError, .nonFinite(metric: "rmse", field: "predictions", index: 1))
            XCTAssertTrue("\(error)".contains("predictions[1]"))
        }
    }

    func testDirection() {
        XCTAssertFalse(RootMeanSquaredError().higherIsBetter)
        XCTAssertTrue(CoefficientOfDetermination().higherIsBetter)
        XCTAssertTrue(RootMeanSquaredError().isImprovement(1, over: 2))
        XCTAssertTrue(AreaUnderROC().isImprovement(0.8, over: 0.7))
        let all: [any RegressionMetric] = [RootMeanSquaredError(), MeanAbsoluteError(),
                                           CoefficientOfDetermination(), MeanAbsolutePercentageError()]
        XCTAssertEqual(all.map(\.name), ["rmse", "mae", "r2", "mape"])
    }
}
