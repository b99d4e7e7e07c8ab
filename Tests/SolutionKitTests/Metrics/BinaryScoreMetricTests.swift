import XCTest
@testable import SolutionKit

final class BinaryScoreMetricTests: XCTestCase {
    // Ties on purpose: 0.4 (one positive, one negative) and 0.6 (one of each).
    let labels: [Int] = [1, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1]
    let scores: [Double] = [0.9, 0.1, 0.8, 0.4, 0.4, 0.3, 0.6, 0.6, 0.35, 0.05, 0.7, 0.99]

    func testAgainstScikitLearnAndSciPy() throws {
        // roc_auc_score, log_loss, brier_score_loss from scikit-learn 1.9.1; KS from scipy.stats.ks_2samp 1.17.1.
        XCTAssertEqual(try AreaUnderROC().evaluate(scores: scores, labels: labels), 0.8055555555555556, accuracy: 1e-12)
        XCTAssertEqual(try GiniCoefficient().evaluate(scores: scores, labels: labels),
                       2 * 0.8055555555555556 - 1, accuracy: 1e-12)
        XCTAssertEqual(try LogLoss().evaluate(scores: scores, labels: labels), 0.49665923307621257, accuracy: 1e-12)
        XCTAssertEqual(try BrierScore().evaluate(scores: scores, labels: labels), 0.17542500000000003, accuracy: 1e-12)
        XCTAssertEqual(try KolmogorovSmirnovStatistic().evaluate(scores: scores, labels: labels), 0.5, accuracy: 1e-12)
        // accuracy, precision, recall, f1 of scores ≥ 0.5, from scikit-learn: all 2/3.
        for kind in ThresholdMetric.Kind.allCases {
            XCTAssertEqual(try ThresholdMetric(kind).evaluate(scores: scores, labels: labels), 2.0 / 3, accuracy: 1e-12)
        }
    }

    func testLogLossClipsCertainMistakes() throws {
        // scikit-learn log_loss([1, 0], [1.0, 1.0]) = 18.021826694558577 (eps = float64 machine epsilon)
        XCTAssertEqual(try LogLoss().evaluate(scores: [1, 1], labels: [true, false]), 18.021826694558577, accuracy: 1e-9)
        XCTAssertThrowsError(try LogLoss().evaluate(scores: [1.2], labels: [true]))
    }

    func testROCCurveMatchesScikitLearn() throws {
        // roc_curve(drop_intermediate=False) from scikit-learn 1.9.1
        let curve = try ROCCurve(scores: scores, labels: BinaryLabels.fromIntegers(labels, metric: "t"))
        let fpr = [0.0, 0, 0, 0, 1.0 / 6, 1.0 / 3, 0.5, 0.5, 2.0 / 3, 5.0 / 6, 1]
        let tpr = [0.0, 1.0 / 6, 1.0 / 3, 0.5, 0.5, 2.0 / 3, 5.0 / 6, 1, 1, 1, 1]
        let thresholds = [Double.infinity, 0.99, 0.9, 0.8, 0.7, 0.6, 0.4, 0.35, 0.3, 0.1, 0.05]
        XCTAssertEqual(curve.thresholds, thresholds)
        for i in fpr.indices {
            XCTAssertEqual(curve.falsePositiveRates[i], fpr[i], accuracy: 1e-12)
            XCTAssertEqual(curve.truePositiveRates[i], tpr[i], accuracy: 1e-12)
        }
        XCTAssertEqual(curve.area, 0.8055555555555556, accuracy: 1e-12)
    }

    func testMidrankAUCEqualsTrapezoidOnHeavyTies() throws {
        var generator = SeededGenerator(seed: 11)
        var s: [Double] = [], y: [Bool] = []
        for _ in 0..<2_000 {
            let label = generator.nextUnitDouble() < 0.3
            // Scores rounded to one decimal: many ties within and across classes.
            let raw = generator.nextUnitDouble() * 0.7 + (label ? 0.3 : 0)
            s.append((raw * 10).rounded() / 10)
            y.append(label)
        }
        let auc = try AreaUnderROC().evaluate(scores: s, labels: y)
        XCTAssertEqual(auc, try ROCCurve(scores: s, labels: y).area, accuracy: 1e-12)
        // Brute force over all pairs, ties counting one half.
        var wins = 0.0, pairs = 0.0
        for i in s.indices where y[i] {
            for j in s.indices where !y[j] {
                pairs += 1
                wins += s[i] > s[j] ? 1 : (s[i] == s[j] ? 0.5 : 0)
            }
        }
        XCTAssertEqual(auc, wins / pairs, accuracy: 1e-12)
    }

    func testKSCurve() throws {
        // Hand-computed: negatives {0.1, 0.2, 0.3}, positives {0.25, 0.8}. After 0.2 all but one negative
        // (2/3) and no positive are below: gap 2/3; after 0.3 gap 1 − 1/2 = 1/2.
        let curve = try KSCurve(scores: [0.1, 0.2, 0.3, 0.25, 0.8], labels: [false, false, false, true, true])
        XCTAssertEqual(curve.thresholds, [0.1, 0.2, 0.25, 0.3, 0.8])
        XCTAssertEqual(curve.negativeCumulative, [1.0 / 3, 2.0 / 3, 2.0 / 3, 1, 1])
        XCTAssertEqual(curve.positiveCumulative, [0, 0, 0.5, 0.5, 1])
        XCTAssertEqual(curve.statistic, 2.0 / 3, accuracy: 1e-15)
        XCTAssertEqual(curve.thresholdAtStatistic, 0.2)
    }

    func testErrors() {
        XCTAssertThrowsError(try AreaUnderROC().evaluate(scores: [0.1, 0.2], labels: [true, true])) { error in
            XCTAssertTrue("\(error)".contains("no negative labels"), "\(error)")
        }
        XCTAssertThrowsError(try AreaUnderROC().evaluate(scores: [0.1, 0.2], labels: [0, 2])) { error in
            XCTAssertEqual(error as? MetricError, .invalidLabel(metric: "roc_auc", index: 1, value: 2))
        }
        XCTAssertThrowsError(try AreaUnderROC().evaluate(scores: [.nan, 0.2], labels: [true, false])) { error in
            XCTAssertEqual(error as? MetricError, .nonFinite(metric: "roc_auc", field: "scores", index: 0))
        }
    }

    func testBinaryConfusionZeroDivision() throws {
        let counts = try BinaryConfusion(scores: [0.1, 0.2], labels: [true, false])
        XCTAssertEqual(counts, BinaryConfusion(truePositives: 0, falsePositives: 0, trueNegatives: 1, falseNegatives: 1))
        XCTAssertEqual(counts.precision, 0)
        XCTAssertEqual(counts.f1, 0)
        XCTAssertEqual(counts.specificity, 1)
    }
}
