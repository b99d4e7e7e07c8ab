import XCTest
@testable import SolutionKit

final class LossTests: XCTestCase {
    func testMeanSquaredErrorValueAndGradient() {
        let predictions = Tensor(shape: [4, 1], scalars: [1, 2, 3, 4])
        let targets = Tensor(shape: [4], scalars: [1.5, 1.5, 3, 5])
        let (value, gradient) = SquaredErrorLoss().valueAndGradient(predictions: predictions, targets: targets)
        XCTAssertEqual(value, 0.375, accuracy: 1e-12) // numpy: np.mean((p - y) ** 2)
        XCTAssertEqual(gradient.scalars, [-0.25, 0.25, 0, -0.5])
        NNGradientCheck.checkLoss(SquaredErrorLoss(), predictions: NNGradientCheck.randomTensor([5, 3], seed: 1),
                                  targets: NNGradientCheck.randomTensor([5, 3], seed: 2))
    }

    func testBinaryCrossEntropyIsStableAndMatchesTheFormula() {
        // Reference: Python math, mean of max(z,0) − z·y + log1p(exp(−|z|)) (the form PyTorch's
        // binary_cross_entropy_with_logits uses) over these five pairs.
        let logits = Tensor(shape: [5, 1], scalars: [0.5, -1, 2, 100, -100])
        let targets = Tensor(shape: [5, 1], scalars: [1, 0, 1, 0, 0])
        let (value, gradient) = BinaryCrossEntropy().valueAndGradient(predictions: logits, targets: targets)
        XCTAssertEqual(value, 20.18285333654826, accuracy: 1e-9)
        XCTAssertTrue(gradient.isFinite)
        XCTAssertEqual(gradient.scalars[3], 0.2, accuracy: 1e-7) // (σ(100) − 0) / 5
        XCTAssertEqual(gradient.scalars[4], 0, accuracy: 1e-7)
        NNGradientCheck.checkLoss(BinaryCrossEntropy(), predictions: NNGradientCheck.randomTensor([6, 2], seed: 3, scale: 2),
                                  targets: Tensor(shape: [6, 2], scalars: [1, 0, 0, 1, 1, 1, 0, 0, 0.3, 0.7, 1, 0]))
    }

    func testSoftmaxCrossEntropyIsStableAndMatchesTheFormula() {
        // Reference: Python math, mean over rows of logsumexp(z) − z[target] with the max shift.
        let logits = Tensor(shape: [2, 3], scalars: [1, 2, 3, 1000, 0, -1000])
        let targets = SoftmaxCrossEntropy.targets(classes: [0, 2])
        let (value, gradient) = SoftmaxCrossEntropy().valueAndGradient(predictions: logits, targets: targets)
        XCTAssertEqual(value, 1001.2038029822222, accuracy: 1e-6)
        XCTAssertTrue(gradient.isFinite)
        for row in gradient.rowSums().scalars { XCTAssertEqual(row, 0, accuracy: 1e-6, "softmax − one-hot sums to 0") }
        XCTAssertEqual(gradient.scalars[3], 0.5, accuracy: 1e-6)
        XCTAssertEqual(gradient.scalars[5], -0.5, accuracy: 1e-6)
        NNGradientCheck.checkLoss(SoftmaxCrossEntropy(), predictions: NNGradientCheck.randomTensor([4, 5], seed: 4),
                                  targets: SoftmaxCrossEntropy.targets(classes: [0, 4, 2, 2]))
    }

    func testTargetValidationNamesTheRow() {
        XCTAssertThrowsError(try SoftmaxCrossEntropy().validate(targets: SoftmaxCrossEntropy.targets(classes: [0, 3]),
                                                               predictionShape: [2, 3])) { error in
            XCTAssertEqual("\(error)", "softmax_cross_entropy: target 3.0 in row 1 is not allowed (expected a class index in 0..<3)")
        }
        XCTAssertThrowsError(try BinaryCrossEntropy().validate(targets: Tensor(shape: [2, 1], scalars: [0, 2]),
                                                              predictionShape: [2, 1])) { error in
            XCTAssertEqual(error as? LossTargetError, .invalidTarget(loss: "binary_cross_entropy", row: 1, value: 2,
                                                                     allowed: "a value in [0, 1]"))
        }
        XCTAssertThrowsError(try SquaredErrorLoss().validate(targets: Tensor(shape: [3], scalars: [0, .nan, 1]),
                                                            predictionShape: [3, 1]))
        XCTAssertThrowsError(try SquaredErrorLoss().validate(targets: Tensor(zeros: [4]), predictionShape: [3, 1]))
    }
}
