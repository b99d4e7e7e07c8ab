import Foundation
import XCTest
@testable import SolutionKit

/// Accuracy on the shared datasets with the PROTOCOL splits, against LightGBM 4.7.0 figures measured by
/// `bench/gbdt/lightgbm_bench.py` on this machine (same settings: 100 rounds, 31 leaves, 255 bins,
/// learning rate 0.1, min_data_in_leaf 20). Release test run only.
final class BoostingRealDataTests: XCTestCase {
    /// LightGBM 4.7.0, defaults as above, ocean_proximity categorical: RMSE 45,991.660231899354
    /// (bench/gbdt/lightgbm_bench.py).
    static let lightGBMCaliforniaRMSE = 45_991.660231899354
    /// LightGBM 4.7.0, defaults as above, binary objective: AUC 0.8603047058036865 (bench/gbdt/lightgbm_bench.py).
    static let lightGBMCreditAUC = 0.8603047058036865

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
        // The 100 trees are LightGBM's, split for split (bench/gbdt/compare_trees.py); we measure
        // 45,991.66023189928. What is left is the order in which the initial score is added at prediction
        // (LightGBM folds it into the first tree), worth about 1e-15 relative either way.
        XCTAssertLessThanOrEqual(rmse, Self.lightGBMCaliforniaRMSE * (1 + 1e-12))
    }

    /// Proposed recipe defaults, with early stopping on every tenth training row (the test rows are never
    /// looked at): lr 0.05, up to 5,000 rounds, patience 100, feature and bagging fractions 0.8. Measured
    /// 43,484 at 868 rounds. Tuned LightGBM / XGBoost / HistGradientBoosting reached 43,893 / 44,026 / 44,199
    /// on this split (issue 4).
    func testCaliforniaWithEarlyStoppingReachesTheTargetRMSE() throws {
        let data = try BoostingTestSupport.california()
        let width = data.train.0.columns
        var fitX: [Float] = [], fitY: [Double] = [], heldX: [Float] = [], heldY: [Double] = []
        for r in 0..<data.train.0.rows {
            let row = data.train.0.scalars[(r * width)..<((r + 1) * width)]
            if r % 10 == 0 { heldX += row; heldY.append(data.train.1[r]) } else { fitX += row; fitY.append(data.train.1[r]) }
        }
        var p = GradientBoostingParameters()
        p.learningRate = 0.05
        p.numberOfRounds = 5000
        p.earlyStoppingRounds = 100
        p.featureFraction = 0.8
        p.baggingFraction = 0.8
        p.baggingFrequency = 1
        let model = try GradientBoostingTrainer(parameters: p).fit(
            features: Tensor(shape: [fitY.count, width], scalars: fitX), labels: fitY,
            categoricalFeatures: data.categorical,
            validation: BoostingValidationSet(features: Tensor(shape: [heldY.count, width], scalars: heldX), labels: heldY))
        let rmse = BoostingTestSupport.rmse(try model.predictions(for: data.test.0), data.test.1)
        print("california early-stopped RMSE \(rmse) at \(model.bestIteration ?? 0) rounds")
        XCTAssertNotNil(model.bestIteration)
        XCTAssertLessThanOrEqual(rmse, 44_000)
    }

    /// Tuned LightGBM measured AUC 0.8632 on this split (issue 4).
    func testCreditTunedReachesTheTargetAUC() throws {
        let data = try BoostingTestSupport.giveMeSomeCredit()
        var p = GradientBoostingParameters()
        p.objective = .binary
        p.learningRate = 0.02
        p.numberOfRounds = 800
        p.numberOfLeaves = 15
        p.minDataInLeaf = 300
        p.featureFraction = 0.5
        p.baggingFraction = 0.7
        p.baggingFrequency = 1
        p.lambdaL2 = 10
        let model = try GradientBoostingTrainer(parameters: p).fit(features: data.train.0, labels: data.train.1)
        let auc = areaUnderROC(scores: try model.rawPredictions(for: data.test.0), labels: data.test.1)
        print("credit tuned AUC \(auc)")
        XCTAssertGreaterThanOrEqual(auc, 0.863)
    }

    func testCreditMatchesLightGBMWithTheSameSettings() throws {
        let data = try BoostingTestSupport.giveMeSomeCredit()
        var p = GradientBoostingParameters()
        p.objective = .binary
        let model = try GradientBoostingTrainer(parameters: p).fit(features: data.train.0, labels: data.train.1)
        let auc = areaUnderROC(scores: try model.rawPredictions(for: data.test.0), labels: data.test.1)
        print("credit same-settings AUC \(auc)")
        // Same 100 trees as LightGBM (bench/gbdt/compare_trees.py --dataset credit): equal up to rounding.
        XCTAssertEqual(auc, Self.lightGBMCreditAUC, accuracy: 1e-9)
    }
}
