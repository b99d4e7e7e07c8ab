import Foundation
import XCTest
@testable import SolutionKit

/// Accuracy on the shared datasets with the PROTOCOL splits, against LightGBM 4.7.0 figures measured by
/// `bench/gbdt/lightgbm_bench.py` on this machine (same settings: 100 rounds, 31 leaves, 255 bins,
/// learning rate 0.1, min_data_in_leaf 20). Release test run only.
final class BoostingRealDataTests: XCTestCase {
    /// LightGBM 4.7.0, defaults as above, ocean_proximity categorical: RMSE 45,991.66 (bench/gbdt/lightgbm_bench.py).
    static let lightGBMCaliforniaRMSE = 45_991.66
    /// LightGBM 4.7.0, defaults as above, binary objective: AUC 0.860305 (bench/gbdt/lightgbm_bench.py).
    static let lightGBMCreditAUC = 0.860305

    override func setUpWithError() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
    }

    func testCaliforniaMatchesLightGBMWithTheSameSettings() throws {
        let data = try BoostingTestSupport.california()
        let model = try GradientBoostingTrainer(parameters: GradientBoostingParameters())
            .fit(features: data.train.0, labels: data.train.1, categoricalFeatures: data.categorical)
        let rmse = BoostingTestSupport.rmse(try model.predictions(for: data.test.0), data.test.1)
        print("california same-settings RMSE \(rmse)")
        XCTAssertLessThanOrEqual(rmse, Self.lightGBMCaliforniaRMSE)
    }

    func testCreditMatchesLightGBMWithTheSameSettings() throws {
        let data = try BoostingTestSupport.giveMeSomeCredit()
        var p = GradientBoostingParameters()
        p.objective = .binary
        let model = try GradientBoostingTrainer(parameters: p).fit(features: data.train.0, labels: data.train.1)
        let auc = areaUnderROC(scores: try model.rawPredictions(for: data.test.0), labels: data.test.1)
        print("credit same-settings AUC \(auc)")
        XCTAssertEqual(auc, Self.lightGBMCreditAUC, accuracy: 0.001)
    }
}
