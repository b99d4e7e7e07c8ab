import XCTest
@testable import SolutionKit

/// The linear models on the shared datasets with the PROTOCOL splits, against scikit-learn on the same columns.
final class LinearRealDataTests: XCTestCase {
    func testRidgeOnCaliforniaHousingMatchesScikitLearn() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
        let (x, y) = try LinearTestSupport.californiaNumeric()
        XCTAssertEqual(x.rows, 20_640)
        let train = LinearTestSupport.rows(of: x, where: { $0 % 5 != 0 })
        let test = LinearTestSupport.rows(of: x, where: { $0 % 5 == 0 })
        let yTrain = y.indices.filter { $0 % 5 != 0 }.map { y[$0] }
        let yTest = y.indices.filter { $0 % 5 == 0 }.map { y[$0] }
        let model = try RidgeRegression(alpha: 1).fit(train, targets: yTrain)
        // scikit-learn 1.9.1 Ridge(alpha=1.0) on the same seven columns (float32 values cast to float64),
        // train = row_index % 5 != 0.
        let expected = [-41928.594350488005, -42440.02699198566, 1111.7280371718393, -1.1900889618709023,
                        -49.9001566284601, 163.02660188096607, 38115.61286034781]
        for j in 0..<7 { XCTAssertEqual(model.coefficients[j], expected[j], accuracy: 1e-6 * abs(expected[j])) }
        XCTAssertEqual(model.intercept, -3481140.8532928955, accuracy: 1e-6 * 3481140.85)
        let rmse = try RootMeanSquaredError().evaluate(predictions: model.predict(test), targets: yTest)
        XCTAssertEqual(rmse, 72215.0329720053, accuracy: 0.01)   // scikit-learn's test RMSE
    }

    func testLogisticOnGermanCreditMatchesScikitLearn() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
        let (x, labels) = try LinearTestSupport.germanNumeric()
        XCTAssertEqual(x.rows, 1_000)
        let train = LinearTestSupport.rows(of: x, where: { $0 % 5 != 0 })
        let test = LinearTestSupport.rows(of: x, where: { $0 % 5 == 0 })
        let model = try LogisticRegression().fit(train, labels: labels.indices.filter { $0 % 5 != 0 }.map { labels[$0] })
        // scikit-learn 1.9.1 LogisticRegression(solver="newton-cholesky", tol=1e-12), fold 0 held out.
        let expected = [0.02978532918302096, 8.413729160991549e-05, 0.21861225190744588, 0.06615718715888552,
                        -0.01972737703073478, -0.09914017786147382, 0.24590895357847325]
        for j in 0..<7 { XCTAssertEqual(model.coefficients[j], expected[j], accuracy: 1e-6 * abs(expected[j])) }
        XCTAssertEqual(model.intercept, -2.0884538734100553, accuracy: 1e-6)
        let testLabels = labels.indices.filter { $0 % 5 == 0 }.map { labels[$0] }
        let probabilities = try model.predictProbabilities(test)
        // roc_auc_score, log_loss and brier_score_loss of scikit-learn's probabilities on fold 0.
        XCTAssertEqual(try AreaUnderROC().evaluate(scores: probabilities, labels: testLabels), 0.5854068998677725, accuracy: 1e-6)
        XCTAssertEqual(try LogLoss().evaluate(scores: probabilities, labels: testLabels), 0.6066740238483194, accuracy: 1e-7)
        XCTAssertEqual(try BrierScore().evaluate(scores: probabilities, labels: testLabels), 0.20878657046544322, accuracy: 1e-7)
    }
}
