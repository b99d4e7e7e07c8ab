/// A fully connected layer: `output = input · weight + bias`, with `weight` of shape `[inputs, outputs]`.
///
/// All three products (forward, input gradient, weight gradient) are single `cblas_sgemm` calls.
public final class Dense: Layer {
    public let inputCount: Int
    public let outputCount: Int
    public let initializer: WeightInitializer
    public let weight: Parameter
    public let bias: Parameter

    /// A layer with weights drawn by `initializer` from a generator seeded with `seed`, and zero biases.
    public init(inputs: Int, outputs: Int, initializer: WeightInitializer = .heNormal, seed: UInt64) {
        precondition(inputs > 0 && outputs > 0, "Dense needs positive sizes, got \(inputs) → \(outputs)")
        inputCount = inputs
        outputCount = outputs
        self.initializer = initializer
        var generator = SeededGenerator(seed: seed)
        let weights = initializer.sample(count: inputs * outputs, fanIn: inputs, fanOut: outputs, using: &generator)
        weight = Parameter(name: "weight", value: Tensor(shape: [inputs, outputs], scalars: weights))
        bias = Parameter(name: "bias", value: Tensor(zeros: [outputs]))
    }

    public var parameters: [Parameter] { [weight, bias] }
    public var spec: LayerSpec { .dense(inputs: inputCount, outputs: outputCount, initializer: initializer) }

    public func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 2, inputShape[1] == inputCount else {
            throw LayerShapeError(layer: "Dense(\(inputCount) → \(outputCount))", expected: "[batch, \(inputCount)]",
                                  found: inputShape)
        }
        return [inputShape[0], outputCount]
    }

    private func checkInput(_ input: Tensor) {
        precondition(input.rank == 2 && input.shape[1] == inputCount,
                     "Dense(\(inputCount) → \(outputCount)) expects input [batch, \(inputCount)], got \(input.shape)")
    }

    /// Inference batches are padded to a multiple of this many rows (see `forward`).
    static let inferenceRowBlock = 16

    public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
        checkInput(input)
        let rows = input.shape[0]
        let block = Self.inferenceRowBlock
        let padded = (rows + block - 1) / block * block
        if training || padded == rows {
            Tensor.matmul(input, weight.value, into: &output)
        } else {
            // OpenBLAS takes other kernels for a few rows (its small-matrix and edge-tile paths) than for whole
            // tiles, so one image alone and the same image in a batch differed in the last digits. Padding with
            // zero rows gives every row the same kernel: a shard, a single request and the whole file agree.
            var paddedInput = Tensor(zeros: [padded, inputCount])
            paddedInput.setRows(startingAt: 0, from: input)
            var paddedOutput = Tensor(zeros: [0])
            Tensor.matmul(paddedInput, weight.value, into: &paddedOutput)
            output.assignRows(of: paddedOutput, in: 0..<rows)
        }
        output.addRowVector(bias.value)
    }

    public func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        checkInput(input)
        precondition(outputGradient.shape == [input.shape[0], outputCount],
                     "Dense backward: output gradient \(outputGradient.shape), expected [\(input.shape[0]), \(outputCount)]")
        Tensor.matmul(input, outputGradient, transposeA: true, into: &weight.gradient)
        outputGradient.columnSums(into: &bias.gradient)
        Tensor.matmul(outputGradient, weight.value, transposeB: true, into: &inputGradient)
    }
}
