@testable import CreditRisk
import SolutionKit
import XCTest

/// PROTOCOL figures on Give Me Some Credit (test = id % 5 == 0), read from the shared datasets folder.
///
/// Reference values measured on the same split (issue 5): tuned LightGBM 0.8632, tuned XGBoost 0.8626,
/// an OptBinning scorecard 0.8525.
final class GiveMeSomeCreditTests: XCTestCase {
    func request() throws -> DataRequest {
        let folder = try CreditTestSupport.sharedDataset("give-me-some-credit")
        return .file(folder + "/cs-training.csv", options: ["target": "SeriousDlqin2yrs", "split": "id"])
    }

    func testLoaderCountsAndSplit() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
        let data = try CreditDataset.cast(try CreditRiskPlugin().load(try request()))
        // SOURCE.md: 150,000 rows; label 1 = 10,026; MonthlyIncome missing in 29,731 rows.
        XCTAssertEqual(data.features.rowCount, 150_000)
        XCTAssertEqual(data.bad.filter { $0 }.count, 10_026)
        XCTAssertEqual(data.features["MonthlyIncome"]?.missingCount, 29_731)
        XCTAssertEqual(data.features.columnCount, 10, "the unnamed id column is not a feature")
        XCTAssertEqual(data.split.test.count, 30_000)
    }

    func testScorecardAndTreesReachTheirTargets() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
        let request = try self.request()
        let scorecard = try CreditTestSupport.run("scorecard", request)["roc_auc"]!
        print("give-me-some-credit scorecard AUC \(scorecard)")
        XCTAssertGreaterThanOrEqual(scorecard, 0.853)
        let trees = try CreditTestSupport.run("gbdt", request)["roc_auc"]!
        print("give-me-some-credit gbdt AUC \(trees)")
        // Measured 0.86409 with the recipe's defaults (seeds 1-5: 0.86399-0.86423); LightGBM with the same settings
        // and columns gives 0.86389. The defaults were chosen on inner folds of the training rows (TUNING.md).
        XCTAssertGreaterThanOrEqual(trees, 0.864)
    }
}
