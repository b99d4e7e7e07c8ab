import XCTest
@testable import SolutionKit

/// Finite-difference gradient checks shared by the layer, network and loss tests.
enum NNGradientCheck {
    static func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1, awayFromZero: Float = 0) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        let values = (0..<shape.reduce(1, *)).map { _ -> Float in
            var value = Float(generator.nextGaussian()) * scale
            if abs(value) < awayFromZero { value = value < 0 ? value - awayFromZero : value + awayFromZero }
            return value
        }
        return Tensor(shape: shape, scalars: values)
    }

    /// f(x) = Σ weights · layer(x), accumulated in Double; its gradient w.r.t. the output is `weights`.
    static func objective(_ layer: any Layer, _ input: Tensor, _ weights: Tensor) -> Double {
        let output = layer.forward(input, training: false)
        var total = 0.0
        for index in 0..<output.count { total += Double(output.scalars[index]) * Double(weights.scalars[index]) }
        return total
    }

    static func assertClose(_ analytic: Double, _ numeric: Double, rtol: Double, atol: Double, _ what: String,
                            file: StaticString, line: UInt) {
        let tolerance = atol + rtol * max(abs(analytic), abs(numeric))
        XCTAssertLessThanOrEqual(abs(analytic - numeric), tolerance,
                                 "\(what): analytic \(analytic) vs finite difference \(numeric)", file: file, line: line)
    }

    /// Checks the input gradient and every parameter gradient of `layer` at `input` by central differences.
    static func checkLayer(_ layer: any Layer, input: Tensor, seed: UInt64 = 99, epsilon: Float = 1e-3,
                           rtol: Double = 2e-2, atol: Double = 2e-3, maxChecksPerTensor: Int = 40,
                           file: StaticString = #filePath, line: UInt = #line) {
        var output = Tensor(zeros: [0])
        layer.forward(input, into: &output, training: true)
        let weights = randomTensor(output.shape, seed: seed)
        var inputGradient = Tensor(zeros: [0])
        layer.backward(input: input, output: output, outputGradient: weights, inputGradient: &inputGradient)
        XCTAssertEqual(inputGradient.shape, input.shape, "input gradient shape", file: file, line: line)
        let parameterGradients = layer.parameters.map { $0.gradient }

        let inputStride = max(1, input.count / maxChecksPerTensor)
        for index in stride(from: 0, to: input.count, by: inputStride) {
            var plus = input, minus = input
            plus.scalars[index] += epsilon
            minus.scalars[index] -= epsilon
            let numeric = (objective(layer, plus, weights) - objective(layer, minus, weights))
                / Double(plus.scalars[index] - minus.scalars[index])
            assertClose(Double(inputGradient.scalars[index]), numeric, rtol: rtol, atol: atol,
                        "d/dinput[\(index)]", file: file, line: line)
        }
        for (parameter, gradient) in zip(layer.parameters, parameterGradients) {
            XCTAssertEqual(gradient.shape, parameter.value.shape, "gradient shape of \(parameter.name)", file: file, line: line)
            let stride = max(1, parameter.value.count / maxChecksPerTensor)
            for index in Swift.stride(from: 0, to: parameter.value.count, by: stride) {
                let original = parameter.value.scalars[index]
                parameter.value.scalars[index] = original + epsilon
                let up = objective(layer, input, weights)
                let actualPlus = parameter.value.scalars[index]
                parameter.value.scalars[index] = original - epsilon
                let down = objective(layer, input, weights)
                let actualMinus = parameter.value.scalars[index]
                parameter.value.scalars[index] = original
                let numeric = (up - down) / Double(actualPlus - actualMinus)
                assertClose(Double(gradient.scalars[index]), numeric, rtol: rtol, atol: atol,
                            "d/d\(parameter.name)[\(index)]", file: file, line: line)
            }
        }
    }

    /// Checks a loss's gradient w.r.t. its predictions by central differences on the Double-valued loss.
    static func checkLoss(_ loss: any Loss, predictions: Tensor, targets: Tensor, epsilon: Float = 1e-3,
                          rtol: Double = 1e-2, atol: Double = 1e-4,
                          file: StaticString = #filePath, line: UInt = #line) {
        let (_, gradient) = loss.valueAndGradient(predictions: predictions, targets: targets)
        XCTAssertEqual(gradient.shape, predictions.shape, file: file, line: line)
        for index in 0..<predictions.count {
            var plus = predictions, minus = predictions
            plus.scalars[index] += epsilon
            minus.scalars[index] -= epsilon
            let numeric = (loss.value(predictions: plus, targets: targets) - loss.value(predictions: minus, targets: targets))
                / Double(plus.scalars[index] - minus.scalars[index])
            assertClose(Double(gradient.scalars[index]), numeric, rtol: rtol, atol: atol,
                        "\(loss.name) d/dprediction[\(index)]", file: file, line: line)
        }
    }
}
