import XCTest
@testable import SolutionKit

final class OptimizerTests: XCTestCase {
    /// One scalar parameter whose gradient the test sets before each step.
    private func scalarParameter(_ value: Float) -> Parameter {
        Parameter(name: "p", value: Tensor(shape: [1], scalars: [value]))
    }

    private func step(_ optimizer: any Optimizer, _ parameter: Parameter, gradient: Float) -> Float {
        parameter.gradient = Tensor(shape: [1], scalars: [gradient])
        optimizer.update([parameter])
        return parameter.value.scalars[0]
    }

    func testPlainSGD() {
        let p = scalarParameter(1)
        XCTAssertEqual(step(SGD(learningRate: 0.1), p, gradient: 0.5), 0.95, accuracy: 1e-7)
    }

    func testSGDWithMomentumByHand() {
        // v1 = 0.5, p1 = 1 − 0.1·0.5 = 0.95; v2 = 0.9·0.5 + 0.5 = 0.95, p2 = 0.95 − 0.095 = 0.855.
        let optimizer = SGD(learningRate: 0.1, momentum: 0.9), p = scalarParameter(1)
        XCTAssertEqual(step(optimizer, p, gradient: 0.5), 0.95, accuracy: 1e-7)
        XCTAssertEqual(step(optimizer, p, gradient: 0.5), 0.855, accuracy: 1e-7)
    }

    func testSGDWithNesterovByHand() {
        // p1 = 1 − 0.1·(0.5 + 0.9·0.5) = 0.905; v2 = 0.95, p2 = 0.905 − 0.1·(0.5 + 0.9·0.95) = 0.7695.
        let optimizer = SGD(learningRate: 0.1, momentum: 0.9, nesterov: true), p = scalarParameter(1)
        XCTAssertEqual(step(optimizer, p, gradient: 0.5), 0.905, accuracy: 1e-7)
        XCTAssertEqual(step(optimizer, p, gradient: 0.5), 0.7695, accuracy: 1e-6)
    }

    func testAdamFirstTwoStepsByHand() {
        // Worked in Python (float64) from the Adam update with lr 0.1, β 0.9/0.999, ε 1e-8, gradients 0.5 then −0.2:
        // step 1: m̂ = 0.5, v̂ = 0.25, p = 1 − 0.1·0.5/0.5 = 0.9; step 2: p = 0.8654394181165108.
        let optimizer = Adam(learningRate: 0.1), p = scalarParameter(1)
        XCTAssertEqual(step(optimizer, p, gradient: 0.5), 0.9, accuracy: 1e-6)
        XCTAssertEqual(step(optimizer, p, gradient: -0.2), 0.8654394181165108, accuracy: 1e-6)
        XCTAssertEqual(optimizer.step, 2)
    }

    func testAdamWDecaysTheWeightsOutsideTheAdaptiveStep() {
        // As above with p ← p − 0.1·0.1·p before each step: 0.89, then 0.8465394180965108 (Python float64).
        let optimizer = Adam.adamW(learningRate: 0.1, weightDecay: 0.1), p = scalarParameter(1)
        XCTAssertEqual(step(optimizer, p, gradient: 0.5), 0.89, accuracy: 1e-6)
        XCTAssertEqual(step(optimizer, p, gradient: -0.2), 0.8465394180965108, accuracy: 1e-6)
    }

    func testResetForgetsState() {
        let optimizer = Adam(learningRate: 0.1), p = scalarParameter(1)
        _ = step(optimizer, p, gradient: 0.5)
        optimizer.reset()
        p.value = Tensor(shape: [1], scalars: [1])
        XCTAssertEqual(step(optimizer, p, gradient: 0.5), 0.9, accuracy: 1e-6)
    }

    func testSchedules() {
        XCTAssertEqual(LearningRateSchedule.constant.rate(base: 0.1, epoch: 7), 0.1)
        XCTAssertEqual(LearningRateSchedule.stepDecay(every: 3, factor: 0.5).rate(base: 0.1, epoch: 2), 0.1, accuracy: 1e-9)
        XCTAssertEqual(LearningRateSchedule.stepDecay(every: 3, factor: 0.5).rate(base: 0.1, epoch: 6), 0.025, accuracy: 1e-9)
        XCTAssertEqual(LearningRateSchedule.exponential(factor: 0.9).rate(base: 0.1, epoch: 2), 0.081, accuracy: 1e-8)
        let cosine = LearningRateSchedule.cosine(epochs: 10, minimum: 0)
        XCTAssertEqual(cosine.rate(base: 0.1, epoch: 0), 0.1, accuracy: 1e-8)
        XCTAssertEqual(cosine.rate(base: 0.1, epoch: 3), 0.07938926261462366, accuracy: 1e-7) // 0.05·(1 + cos(0.3π))
        XCTAssertEqual(cosine.rate(base: 0.1, epoch: 5), 0.05, accuracy: 1e-8)
        XCTAssertEqual(cosine.rate(base: 0.1, epoch: 12), 0)
        let json = try! JSONEncoder().encode(LearningRateSchedule.stepDecay(every: 3, factor: 0.5))
        XCTAssertEqual(try! JSONDecoder().decode(LearningRateSchedule.self, from: json), .stepDecay(every: 3, factor: 0.5))
    }

    func testClippingByGlobalNorm() {
        let a = Parameter(name: "a", value: Tensor(zeros: [1])), b = Parameter(name: "b", value: Tensor(zeros: [1]))
        a.gradient = Tensor(shape: [1], scalars: [3])
        b.gradient = Tensor(shape: [1], scalars: [4])
        XCTAssertEqual(clipGradients([a, b], maxGlobalNorm: 1), 5)
        XCTAssertEqual(a.gradient.scalars[0], 0.6, accuracy: 1e-5)
        XCTAssertEqual(b.gradient.scalars[0], 0.8, accuracy: 1e-5)
        XCTAssertEqual(clipGradients([a, b], maxGlobalNorm: 10), 1, accuracy: 1e-5)
        XCTAssertEqual(a.gradient.scalars[0], 0.6, accuracy: 1e-5, "below the limit nothing changes")
    }

    func testOptimizerSpecBuildsTheNamedOptimizer() throws {
        let spec = OptimizerSpec.adamW(learningRate: 0.01, weightDecay: 0.1)
        let decoded = try JSONDecoder().decode(OptimizerSpec.self, from: JSONEncoder().encode(spec))
        XCTAssertEqual(decoded, spec)
        let optimizer = try XCTUnwrap(decoded.makeOptimizer() as? Adam)
        XCTAssertEqual(optimizer.weightDecay, .decoupled(0.1))
        XCTAssertEqual(optimizer.learningRate, 0.01)
    }
}
