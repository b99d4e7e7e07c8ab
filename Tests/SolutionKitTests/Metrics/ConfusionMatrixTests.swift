import XCTest
@testable import SolutionKit

final class ConfusionMatrixTests: XCTestCase {
    func testAgainstScikitLearn() throws {
        let actual = [0, 1, 2, 2, 1, 0, 2, 1, 1, 0, 2, 2]
        let predicted = [0, 2, 2, 2, 1, 0, 1, 1, 0, 0, 2, 1]
        let matrix = try ConfusionMatrix(predicted: predicted, actual: actual)
        // confusion_matrix(actual, predicted) from scikit-learn 1.9.1
        XCTAssertEqual(matrix.counts, [3, 0, 0, 1, 2, 1, 0, 2, 3])
        // precision/recall/f1_score(average="macro") and accuracy_score from scikit-learn 1.9.1
        XCTAssertEqual(matrix.macroPrecision, 0.6666666666666666, accuracy: 1e-12)
        XCTAssertEqual(matrix.macroRecall, 0.7000000000000001, accuracy: 1e-12)
        XCTAssertEqual(matrix.macroF1, 0.6746031746031745, accuracy: 1e-12)
        XCTAssertEqual(matrix.accuracy, 0.6666666666666666, accuracy: 1e-12)
        XCTAssertEqual(try ClassificationMetric(.macroF1).evaluate(predicted: predicted, actual: actual),
                       0.6746031746031745, accuracy: 1e-12)
        XCTAssertEqual(matrix.support(of: 2), 5)
        XCTAssertEqual(matrix.predictedCount(of: 1), 4)
    }

    func testAbsentClassesAreLeftOutOfMacroAverages() throws {
        // Class 3 declared but never seen; class 1 only predicted (precision 0, recall 0 and not in support).
        let matrix = try ConfusionMatrix(predicted: [0, 1, 2], actual: [0, 2, 2], classCount: 4)
        XCTAssertEqual(matrix.presentClasses, [0, 1, 2])
        // f1: class 0 = 1, class 1 = 0, class 2 = 2/3 → mean 5/9
        XCTAssertEqual(matrix.macroF1, 5.0 / 9, accuracy: 1e-15)
    }

    func testOutOfRangeClass() {
        XCTAssertThrowsError(try ConfusionMatrix(predicted: [0, 5], actual: [0, 1], classCount: 3)) { error in
            XCTAssertTrue("\(error)".contains("predicted[1] = 5"), "\(error)")
        }
    }

    func testCalibrationDeciles() throws {
        // 20 scores 0.025, 0.075, ..., 0.975; the label is positive for every other sample in the top half.
        let scores = (0..<20).map { (Double($0) + 0.5) / 20 }
        let labels = (0..<20).map { $0 >= 10 && $0 % 2 == 0 }
        let table = try CalibrationTable(scores: scores, labels: labels)
        XCTAssertEqual(table.bins.count, 10)
        XCTAssertEqual(table.bins.map(\.count), Array(repeating: 2, count: 10))
        XCTAssertEqual(table.bins[0].meanPredicted, 0.05, accuracy: 1e-15)
        XCTAssertEqual(table.bins[0].lowestScore, 0.025)
        XCTAssertEqual(table.bins[9].highestScore, 0.975)
        XCTAssertEqual(table.bins[9].observedRate, 0.5)
        XCTAssertEqual(table.bins[2].observedRate, 0)
        // ECE by hand: bins 0–4 contribute their mean score (0.05, 0.15, …, 0.45), bins 5–9 |mean − 0.5|.
        let expected = ([0.05, 0.15, 0.25, 0.35, 0.45, 0.05, 0.15, 0.25, 0.35, 0.45].reduce(0, +)) / 10
        XCTAssertEqual(table.expectedCalibrationError, expected, accuracy: 1e-12)
        XCTAssertEqual(try CalibrationTable(scores: [0.3, 0.6], labels: [true, false]).bins.count, 2)
    }
}
