import Foundation
import XCTest
@testable import SolutionKit

/// Conv2D, MaxPool2D, Flatten and BatchNorm: finite-difference gradients, agreement with a direct
/// convolution, and the inference contract (no state change).
final class ConvolutionLayerTests: XCTestCase {
    /// The convolution written as its definition, for comparison with im2col + GEMM.
    func directConvolution(_ x: Tensor, _ conv: Conv2D) -> Tensor {
        let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3], k = conv.kernelSize, p = conv.padding
        let oh = h + 2 * p - k + 1, ow = w + 2 * p - k + 1, f = conv.filters
        var out = Tensor(zeros: [n, f, oh, ow])
        for b in 0..<n { for o in 0..<f { for y in 0..<oh { for xo in 0..<ow {
            var sum = Double(conv.bias.value.scalars[o])
            for ch in 0..<c { for ki in 0..<k { for kj in 0..<k {
                let iy = y + ki - p, ix = xo + kj - p
                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                sum += Double(x.scalars[((b * c + ch) * h + iy) * w + ix]) * Double(conv.weight.value.scalars[o * c * k * k + (ch * k + ki) * k + kj])
            } } }
            out.scalars[((b * f + o) * oh + y) * ow + xo] = Float(sum)
        } } } }
        return out
    }

    func testConv2DMatchesTheDirectDefinition() {
        for padding in [0, 1] {
            let conv = Conv2D(inputChannels: 3, filters: 4, kernelSize: 3, padding: padding, seed: 1)
            conv.bias.value = NNGradientCheck.randomTensor([4], seed: 2)
            let x = NNGradientCheck.randomTensor([5, 3, 7, 6], seed: 3)
            let fast = conv.forward(x, training: false), slow = directConvolution(x, conv)
            XCTAssertEqual(fast.shape, slow.shape)
            for i in 0..<fast.count { XCTAssertEqual(fast.scalars[i], slow.scalars[i], accuracy: 1e-4, "padding \(padding), value \(i)") }
        }
    }

    func testConv2DGradients() {
        let valid = Conv2D(inputChannels: 2, filters: 3, kernelSize: 3, padding: 0, seed: 4)
        valid.bias.value = NNGradientCheck.randomTensor([3], seed: 5)
        NNGradientCheck.checkLayer(valid, input: NNGradientCheck.randomTensor([3, 2, 6, 5], seed: 6), maxChecksPerTensor: 60)
        let same = Conv2D(inputChannels: 2, filters: 2, kernelSize: 5, padding: 2, seed: 7)
        NNGradientCheck.checkLayer(same, input: NNGradientCheck.randomTensor([2, 2, 5, 5], seed: 8), maxChecksPerTensor: 60)
    }

    func testFirstLayerModeGivesTheSameParameterGradients() {
        let full = Conv2D(inputChannels: 1, filters: 4, kernelSize: 3, seed: 80)
        let first = Conv2D(inputChannels: 1, filters: 4, kernelSize: 3, seed: 80)
        first.computesInputGradient = false
        let x = NNGradientCheck.randomTensor([3, 1, 7, 7], seed: 81)
        let y = full.forward(x, training: true)
        let dy = NNGradientCheck.randomTensor(y.shape, seed: 82)
        _ = full.backward(input: x, output: y, outputGradient: dy)
        _ = first.forward(x, training: true)
        let dx = first.backward(input: x, output: y, outputGradient: dy)
        XCTAssertEqual(first.weight.gradient, full.weight.gradient)
        XCTAssertEqual(first.bias.gradient, full.bias.gradient)
        XCTAssertEqual(dx.shape, x.shape)
        XCTAssertTrue(dx.scalars.allSatisfy { $0 == 0 })
    }

    func testMaxPoolGradients() {
        // Distinct, well-separated values so a small step never changes which value is the maximum.
        var generator = SeededGenerator(seed: 9)
        var values = (0..<(2 * 3 * 6 * 7)).map { Float($0) * 0.05 }
        for i in stride(from: values.count - 1, to: 0, by: -1) { values.swapAt(i, Int(generator.next() % UInt64(i + 1))) }
        let input = Tensor(shape: [2, 3, 6, 7], scalars: values)
        let pool = MaxPool2D(size: 2)
        XCTAssertEqual(pool.forward(input).shape, [2, 3, 3, 3], "the partial column is dropped (floor mode)")
        NNGradientCheck.checkLayer(pool, input: input, epsilon: 1e-3, maxChecksPerTensor: 252)
    }

    func testMaxPoolPicksTheWindowMaximum() {
        let input = Tensor(shape: [1, 1, 2, 4], scalars: [1, 5, -1, -2, 3, 2, -3, -4])
        XCTAssertEqual(MaxPool2D(size: 2).forward(input).scalars, [5, -1])
    }

    func testFlattenRoundTrip() {
        let input = NNGradientCheck.randomTensor([3, 2, 4, 5], seed: 10)
        let flat = Flatten().forward(input)
        XCTAssertEqual(flat.shape, [3, 40])
        XCTAssertEqual(flat.scalars, input.scalars)
        let back = Flatten().backward(input: input, output: flat, outputGradient: flat)
        XCTAssertEqual(back, input)
    }

    /// BatchNorm's training output depends on the batch statistics, so its check differentiates the training
    /// forward pass (the running averages it also updates do not enter that output).
    func checkBatchNorm(_ shape: [Int], seed: UInt64) {
        let layer = BatchNorm(features: shape[1])
        layer.scale.value = NNGradientCheck.randomTensor([shape[1]], seed: seed, scale: 0.5) + 1
        layer.shift.value = NNGradientCheck.randomTensor([shape[1]], seed: seed + 1)
        let input = NNGradientCheck.randomTensor(shape, seed: seed + 2, scale: 2) + 0.5
        let weights = NNGradientCheck.randomTensor(shape, seed: seed + 3)
        func objective(_ x: Tensor) -> Double {
            let y = layer.forward(x, training: true)
            return zip(y.scalars, weights.scalars).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        let output = layer.forward(input, training: true)
        let dx = layer.backward(input: input, output: output, outputGradient: weights)
        let dScale = layer.scale.gradient, dShift = layer.shift.gradient
        let eps: Float = 1e-2
        for index in stride(from: 0, to: input.count, by: max(1, input.count / 50)) {
            var plus = input, minus = input
            plus.scalars[index] += eps
            minus.scalars[index] -= eps
            let numeric = (objective(plus) - objective(minus)) / Double(plus.scalars[index] - minus.scalars[index])
            NNGradientCheck.assertClose(Double(dx.scalars[index]), numeric, rtol: 3e-2, atol: 3e-3, "d/dx[\(index)]",
                                        file: #filePath, line: #line)
        }
        for (parameter, gradient) in [(layer.scale, dScale), (layer.shift, dShift)] {
            for index in 0..<parameter.value.count {
                let original = parameter.value.scalars[index]
                parameter.value.scalars[index] = original + eps
                let up = objective(input)
                parameter.value.scalars[index] = original - eps
                let down = objective(input)
                parameter.value.scalars[index] = original
                NNGradientCheck.assertClose(Double(gradient.scalars[index]), (up - down) / Double(2 * eps), rtol: 2e-2, atol: 2e-3,
                                            "d/d\(parameter.name)[\(index)]", file: #filePath, line: #line)
            }
        }
    }

    func testBatchNormGradients() {
        checkBatchNorm([6, 4], seed: 20)
        checkBatchNorm([3, 2, 4, 3], seed: 30)
    }

    func testBatchNormNormalisesAndKeepsRunningAverages() {
        let layer = BatchNorm(features: 2, momentum: 0.5)
        let input = Tensor(shape: [4, 2], scalars: [1, 10, 2, 20, 3, 30, 4, 40])
        let output = layer.forward(input, training: true)
        // Per column: mean 0, biased variance 1 (up to ε).
        for column in 0..<2 {
            let values = (0..<4).map { Double(output.scalars[$0 * 2 + column]) }
            XCTAssertEqual(values.reduce(0, +) / 4, 0, accuracy: 1e-5)
            XCTAssertEqual(values.map { $0 * $0 }.reduce(0, +) / 4, 1, accuracy: 1e-3)
        }
        // PyTorch's rule: running = 0.5·initial + 0.5·batch, the variance unbiased (1.6667 and 166.67 here).
        XCTAssertEqual(layer.runningMean.value.scalars, [1.25, 12.5])
        XCTAssertEqual(layer.runningVariance.value.scalars[0], 0.5 + 0.5 * 5 / 3, accuracy: 1e-5)
        XCTAssertEqual(layer.runningVariance.value.scalars[1], 0.5 + 0.5 * 500 / 3, accuracy: 1e-3)
        let before = layer.namedBuffersForTest()
        _ = layer.forward(input, training: false)
        XCTAssertEqual(layer.namedBuffersForTest(), before, "inference must not change the running averages")
    }

    func testSoftmaxCrossEntropyGradient() {
        let logits = NNGradientCheck.randomTensor([5, 10], seed: 40, scale: 3)
        let targets = SoftmaxCrossEntropy.targets(classes: [0, 3, 9, 9, 4])
        NNGradientCheck.checkLoss(SoftmaxCrossEntropy(), predictions: logits, targets: targets)
    }

    func testWholeConvolutionalNetworkGradients() throws {
        let network = try Sequential(specs: [
            .conv2D(inputChannels: 1, filters: 3, kernelSize: 3, padding: 1, initializer: .heNormal), .relu,
            .maxPool2D(size: 2), .flatten, .dense(inputs: 3 * 3 * 3, outputs: 4, initializer: .glorotUniform),
        ], seed: 50)
        NNGradientCheck.checkLayer(network, input: NNGradientCheck.randomTensor([2, 1, 6, 6], seed: 51), epsilon: 5e-4,
                                   maxChecksPerTensor: 30)
    }

    func testImageLayerSpecsRoundTripThroughJSON() throws {
        let network = try Sequential(specs: [
            .conv2D(inputChannels: 1, filters: 2, kernelSize: 3, padding: 0, initializer: .heNormal),
            .batchNorm(features: 2, momentum: 0.1, epsilon: 1e-5), .relu, .maxPool2D(size: 2), .flatten,
            .dense(inputs: 8, outputs: 3, initializer: .glorotUniform),
        ], seed: 60)
        let data = try JSONEncoder().encode(network.networkSpec)
        let decoded = try JSONDecoder().decode(NetworkSpec.self, from: data)
        XCTAssertEqual(decoded, network.networkSpec)
        let rebuilt = try Sequential(spec: decoded, seed: 0)
        _ = network.forward(NNGradientCheck.randomTensor([4, 1, 6, 6], seed: 61), training: true)
        try rebuilt.loadState(network.namedState())
        let x = NNGradientCheck.randomTensor([3, 1, 6, 6], seed: 62)
        XCTAssertEqual(rebuilt.forward(x, training: false), network.forward(x, training: false))
        XCTAssertEqual(network.bufferReferences.map(\.name), ["1.running_mean", "1.running_variance"])
        XCTAssertThrowsError(try LayerSpec.conv2D(inputChannels: 1, filters: 0, kernelSize: 3, padding: 0,
                                                  initializer: .heNormal).makeLayer(seed: 1))
    }

    func testConvolutionInferenceLeavesTheLayerUnchangedAndIsThreadSafe() {
        let conv = Conv2D(inputChannels: 1, filters: 8, kernelSize: 3, seed: 70)
        let x = NNGradientCheck.randomTensor([16, 1, 10, 10], seed: 71)
        let reference = conv.forward(x, training: false)
        let weights = conv.weight.value
        var results = [Tensor](repeating: Tensor(zeros: [0]), count: 4)
        results.withUnsafeMutableBufferPointer { slots in
            DispatchQueue.concurrentPerform(iterations: 4) { slots[$0] = conv.forward(x, training: false) }
        }
        for result in results { XCTAssertEqual(result, reference) }
        XCTAssertEqual(conv.weight.value, weights)
    }
}

extension BatchNorm {
    func namedBuffersForTest() -> [[Float]] { buffers.map(\.value.scalars) }
}
