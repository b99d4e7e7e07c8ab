import Foundation

/// Batch normalisation (Ioffe & Szegedy) over the batch and spatial positions of each feature or channel.
///
/// Input `[batch, features]` normalises per feature; `[batch, channels, height, width]` per channel, as
/// PyTorch's BatchNorm1d / BatchNorm2d. Training uses the batch's mean and biased variance and updates the
/// running estimates (`running ← (1 − momentum)·running + momentum·batch`, the variance unbiased, as PyTorch);
/// inference uses the running estimates and changes nothing. The running estimates are not trained: they are
/// `buffers`, stored in a bundle beside the parameters.
public final class BatchNorm: Layer, LayerWithBuffers {
    public let features: Int
    public let momentum: Float
    public let epsilon: Float
    public let scale: Parameter
    public let shift: Parameter
    public let runningMean: Parameter
    public let runningVariance: Parameter
    /// Mean and 1/σ of the last training batch, for `backward`.
    private var batchMean: [Float]
    private var batchInverseStd: [Float]

    public init(features: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        precondition(features > 0 && momentum > 0 && momentum <= 1 && epsilon > 0,
                     "BatchNorm needs features > 0, momentum in (0, 1], epsilon > 0")
        self.features = features
        self.momentum = momentum
        self.epsilon = epsilon
        scale = Parameter(name: "scale", value: Tensor(shape: [features], repeating: 1))
        shift = Parameter(name: "shift", value: Tensor(zeros: [features]))
        runningMean = Parameter(name: "running_mean", value: Tensor(zeros: [features]))
        runningVariance = Parameter(name: "running_variance", value: Tensor(shape: [features], repeating: 1))
        batchMean = [Float](repeating: 0, count: features)
        batchInverseStd = [Float](repeating: 1, count: features)
    }

    public var parameters: [Parameter] { [scale, shift] }
    public var buffers: [Parameter] { [runningMean, runningVariance] }
    public var spec: LayerSpec { .batchNorm(features: features, momentum: momentum, epsilon: epsilon) }

    public func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        guard (inputShape.count == 2 || inputShape.count == 4), inputShape[1] == features else {
            throw LayerShapeError(layer: "BatchNorm(\(features))",
                                  expected: "[batch, \(features)] or [batch, \(features), height, width]", found: inputShape)
        }
        return inputShape
    }

    /// (batch, spatial) sizes of a checked input.
    private func layout(_ input: Tensor) -> (batch: Int, spatial: Int) {
        do { _ = try outputShape(forInputShape: input.shape) } catch { preconditionFailure("\(error)") }
        return (input.shape[0], input.rank == 4 ? input.shape[2] * input.shape[3] : 1)
    }

    public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
        let (batch, spatial) = layout(input)
        output.resize(to: input.shape)
        let c = features, count = batch * spatial
        if training {
            precondition(count > 1, "BatchNorm needs more than one value per channel in training, got input \(input.shape)")
            input.scalars.withUnsafeBufferPointer { x in
                for channel in 0..<c {
                    var sum = 0.0, squares = 0.0
                    for n in 0..<batch {
                        let base = (n * c + channel) * spatial
                        for i in 0..<spatial { let v = Double(x[base + i]); sum += v; squares += v * v }
                    }
                    let mean = sum / Double(count)
                    let variance = max(squares / Double(count) - mean * mean, 0)
                    batchMean[channel] = Float(mean)
                    batchInverseStd[channel] = Float(1 / (variance + Double(epsilon)).squareRoot())
                    let unbiased = variance * Double(count) / Double(count - 1)
                    runningMean.value.scalars[channel] = (1 - momentum) * runningMean.value.scalars[channel] + momentum * Float(mean)
                    runningVariance.value.scalars[channel] = (1 - momentum) * runningVariance.value.scalars[channel]
                        + momentum * Float(unbiased)
                }
            }
            normalise(input, into: &output, batch: batch, spatial: spatial, mean: batchMean, inverseStd: batchInverseStd)
        } else {
            let mean = runningMean.value.scalars
            let inverseStd = runningVariance.value.scalars.map { 1 / ($0 + epsilon).squareRoot() }
            normalise(input, into: &output, batch: batch, spatial: spatial, mean: mean, inverseStd: inverseStd)
        }
    }

    private func normalise(_ input: Tensor, into output: inout Tensor, batch: Int, spatial: Int,
                           mean: [Float], inverseStd: [Float]) {
        let c = features
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                scale.value.scalars.withUnsafeBufferPointer { gamma in
                    shift.value.scalars.withUnsafeBufferPointer { beta in
                        for n in 0..<batch {
                            for channel in 0..<c {
                                let base = (n * c + channel) * spatial
                                let a = gamma[channel] * inverseStd[channel]
                                let b = beta[channel] - a * mean[channel]
                                for i in 0..<spatial { y[base + i] = a * x[base + i] + b }
                            }
                        }
                    }
                }
            }
        }
    }

    /// dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)), with the means over the batch and spatial positions.
    public func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        let (batch, spatial) = layout(input)
        precondition(outputGradient.shape == input.shape,
                     "BatchNorm backward: gradient \(outputGradient.shape) does not match input \(input.shape)")
        inputGradient.resize(to: input.shape)
        scale.gradient.resize(to: [features])
        shift.gradient.resize(to: [features])
        let c = features, count = Float(batch * spatial)
        input.scalars.withUnsafeBufferPointer { x in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                    for channel in 0..<c {
                        let mean = batchMean[channel], inverseStd = batchInverseStd[channel]
                        var sumDy: Float = 0, sumDyXhat: Float = 0
                        for n in 0..<batch {
                            let base = (n * c + channel) * spatial
                            for i in 0..<spatial {
                                let xhat = (x[base + i] - mean) * inverseStd
                                sumDy += dy[base + i]
                                sumDyXhat += dy[base + i] * xhat
                            }
                        }
                        scale.gradient.scalars[channel] = sumDyXhat
                        shift.gradient.scalars[channel] = sumDy
                        let factor = scale.value.scalars[channel] * inverseStd
                        let meanDy = sumDy / count, meanDyXhat = sumDyXhat / count
                        for n in 0..<batch {
                            let base = (n * c + channel) * spatial
                            for i in 0..<spatial {
                                let xhat = (x[base + i] - mean) * inverseStd
                                dx[base + i] = factor * (dy[base + i] - meanDy - xhat * meanDyXhat)
                            }
                        }
                    }
                }
            }
        }
    }
}
