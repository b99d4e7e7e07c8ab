import XCTest
@testable import SolutionKit

/// Gradients and hessians of every objective against central finite differences of the loss.
final class BoostingObjectiveTests: XCTestCase {
    let objectives: [BoostingObjective] = [
        .squaredError, .absoluteError, .huber(delta: 1.5), .quantile(alpha: 0.9), .quantile(alpha: 0.2),
        .binaryLogLoss(scalePositiveWeight: 1), .binaryLogLoss(scalePositiveWeight: 3.5),
    ]

    func testGradientsMatchFiniteDifferences() {
        let eps = 1e-5
        for objective in objectives {
            let labels: [Double]
            if case .binaryLogLoss = objective { labels = [0, 1] } else { labels = [-2.0, 0.3, 4.0] }
            for label in labels {
                // Scores chosen away from the kinks of L1, Huber and quantile (at label and label ± delta).
                for score in [-3.1, -0.77, 0.41, 2.9, 5.3] where abs(abs(score - label) - 1.5) > 0.01 {
                    let numeric = (objective.loss(score: score + eps, label: label)
                                   - objective.loss(score: score - eps, label: label)) / (2 * eps)
                    let (g, h) = objective.derivatives(score: score, label: label)
                    XCTAssertEqual(g, numeric, accuracy: 1e-6, "\(objective) gradient at s=\(score) y=\(label)")
                    let huberTail: Bool
                    if case .huber(let delta) = objective { huberTail = abs(score - label) > delta } else { huberTail = false }
                    let piecewiseLinear: Bool
                    switch objective {
                    case .absoluteError, .quantile: piecewiseLinear = true
                    default: piecewiseLinear = huberTail
                    }
                    if piecewiseLinear {
                        // Piecewise-linear losses (and Huber's linear tails): LightGBM's unit surrogate hessian.
                        XCTAssertEqual(h, 1)
                    } else {
                        let dg = (objective.derivatives(score: score + eps, label: label).gradient
                                  - objective.derivatives(score: score - eps, label: label).gradient) / (2 * eps)
                        XCTAssertEqual(h, dg, accuracy: 1e-6, "\(objective) hessian at s=\(score) y=\(label)")
                    }
                }
            }
        }
    }

    func testInitialScoresMinimiseTheLoss() {
        let labels: [Double] = [1, 2, 2, 3, 10]
        XCTAssertEqual(BoostingObjective.squaredError.initialScore(labels: labels), 3.6, accuracy: 1e-12)
        XCTAssertEqual(BoostingObjective.absoluteError.initialScore(labels: labels), 2, accuracy: 1e-12)
        // numpy.percentile([1, 2, 2, 3, 10], 75) = 3.0
        XCTAssertEqual(BoostingObjective.quantile(alpha: 0.75).initialScore(labels: labels), 3, accuracy: 1e-12)
        // log-odds of 2 positives in 5 rows, positives weighted 2: p = 4/7.
        XCTAssertEqual(BoostingObjective.binaryLogLoss(scalePositiveWeight: 2).initialScore(labels: [1, 1, 0, 0, 0]),
                       log(4.0 / 3.0), accuracy: 1e-12)
    }

    func testAUCMatchesHandComputedValue() {
        // sklearn.metrics.roc_auc_score([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.4, 0.4]) = 0.6666666666666666
        let auc = areaUnderROC(scores: [0.1, 0.4, 0.35, 0.8, 0.4, 0.4], labels: [0, 0, 1, 1, 0, 1])
        XCTAssertEqual(auc, 2.0 / 3.0, accuracy: 1e-12)
    }
}
