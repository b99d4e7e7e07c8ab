import XCTest
@testable import SolutionKit

final class LayerGradientTests: XCTestCase {
    func testDenseGradients() {
        let dense = Dense(inputs: 5, outputs: 4, initializer: .glorotUniform, seed: 3)
        dense.bias.value = NNGradientCheck.randomTensor([4], seed: 4, scale: 0.5)
        NNGradientCheck.checkLayer(dense, input: NNGradientCheck.randomTensor([6, 5], seed: 5))
    }

    func testReLUGradients() {
        // Inputs kept away from the kink at 0, where the derivative is undefined.
        NNGradientCheck.checkLayer(ReLU(), input: NNGradientCheck.randomTensor([4, 6], seed: 6, awayFromZero: 0.05))
    }

    func testSigmoidGradients() {
        NNGradientCheck.checkLayer(Sigmoid(), input: NNGradientCheck.randomTensor([4, 6], seed: 7, scale: 2))
    }

    func testTanhGradients() {
        NNGradientCheck.checkLayer(Tanh(), input: NNGradientCheck.randomTensor([4, 6], seed: 8, scale: 1.5))
    }

    func testSequentialGradientsThroughAllLayerKinds() throws {
        let network = try Sequential(specs: [
            .dense(inputs: 4, outputs: 6, initializer: .heNormal), .tanh,
            .dense(inputs: 6, outputs: 5, initializer: .glorotNormal), .sigmoid,
            .sequential([.dense(inputs: 5, outputs: 3, initializer: .heUniform)]),
        ], seed: 11)
        NNGradientCheck.checkLayer(network, input: NNGradientCheck.randomTensor([7, 4], seed: 12))
    }

    func testReLUNetworkGradients() throws {
        let network = try Sequential(spec: .multilayerPerceptron(inputs: 3, hidden: [8, 8], outputs: 2), seed: 21)
        NNGradientCheck.checkLayer(network, input: NNGradientCheck.randomTensor([5, 3], seed: 22), epsilon: 5e-4)
    }

    /// Given its mask, dropout is the linear map y = m ⊙ x, so its exact input gradient is m ⊙ dy.
    func testDropoutGradientIsTheMaskOfTheForwardPass() {
        let dropout = Dropout(rate: 0.3, seed: 5)
        let input = NNGradientCheck.randomTensor([50, 40], seed: 9, awayFromZero: 0.01)
        var output = Tensor(zeros: [0])
        dropout.forward(input, into: &output, training: true)
        let upstream = NNGradientCheck.randomTensor(input.shape, seed: 10)
        let gradient = dropout.backward(input: input, output: output, outputGradient: upstream)
        var dropped = 0
        for index in 0..<input.count {
            let mask = output.scalars[index] / input.scalars[index]
            if output.scalars[index] == 0 { dropped += 1 } else { XCTAssertEqual(mask, 1 / 0.7, accuracy: 1e-5) }
            XCTAssertEqual(gradient.scalars[index], upstream.scalars[index] * mask, accuracy: 1e-5)
        }
        XCTAssertEqual(Double(dropped) / Double(input.count), 0.3, accuracy: 0.03, "fraction dropped")
        XCTAssertEqual(dropout.forward(input, training: false), input, "inference is the identity")
    }

    func testDropoutIsSeeded() {
        let input = Tensor(shape: [10, 10], repeating: 1)
        let first = Dropout(rate: 0.5, seed: 42).forward(input, training: true)
        let second = Dropout(rate: 0.5, seed: 42).forward(input, training: true)
        let other = Dropout(rate: 0.5, seed: 43).forward(input, training: true)
        XCTAssertEqual(first, second)
        XCTAssertNotEqual(first, other)
    }

    func testInitializersHaveTheDocumentedSpread() {
        var generator = SeededGenerator(seed: 1)
        let fanIn = 200, fanOut = 100, count = 40_000
        func deviation(_ values: [Float]) -> Double {
            let mean = values.reduce(0.0) { $0 + Double($1) } / Double(values.count)
            return (values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(values.count)).squareRoot()
        }
        let he = WeightInitializer.heNormal.sample(count: count, fanIn: fanIn, fanOut: fanOut, using: &generator)
        XCTAssertEqual(deviation(he), (2.0 / 200).squareRoot(), accuracy: 0.003)
        let glorot = WeightInitializer.glorotUniform.sample(count: count, fanIn: fanIn, fanOut: fanOut, using: &generator)
        let limit = (6.0 / 300).squareRoot()
        XCTAssertLessThanOrEqual(glorot.map { abs(Double($0)) }.max()!, limit)
        XCTAssertEqual(deviation(glorot), limit / 3.0.squareRoot(), accuracy: 0.003)
    }
}
