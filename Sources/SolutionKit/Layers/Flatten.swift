/// Reshapes `[batch, d1, d2, ...]` to `[batch, d1·d2·…]`: the bridge from convolutional maps to `Dense`.
///
/// The values are already laid out row-major per sample, so both passes are plain copies.
public final class Flatten: Layer {
    public init() {}

    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { .flatten }

    public func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        guard inputShape.count >= 2 else {
            throw LayerShapeError(layer: "Flatten", expected: "[batch, ...] of rank ≥ 2", found: inputShape)
        }
        return [inputShape[0], inputShape.dropFirst().reduce(1, *)]
    }

    public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
        precondition(input.rank >= 2, "Flatten expects input of rank ≥ 2, got \(input.shape)")
        output.assign(input)
        output.resize(to: [input.shape[0], input.columns])
    }

    public func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        precondition(outputGradient.count == input.count,
                     "Flatten backward: gradient \(outputGradient.shape) does not match input \(input.shape)")
        inputGradient.assign(outputGradient)
        inputGradient.resize(to: input.shape)
    }
}
