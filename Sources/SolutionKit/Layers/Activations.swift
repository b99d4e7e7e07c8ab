import Foundation

/// Element-wise activations. Their derivatives are written in terms of the output, which `backward` receives,
/// so no extra buffer is kept between the passes.
enum ElementwiseKernel {
    @inline(__always)
    static func map(_ input: Tensor, into output: inout Tensor, _ op: (Float) -> Float) {
        output.resize(to: input.shape)
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                for index in x.indices { y[index] = op(x[index]) }
            }
        }
    }

    /// inputGradient[i] = outputGradient[i] * derivative(output[i]).
    @inline(__always)
    static func chain(output: Tensor, outputGradient: Tensor, into inputGradient: inout Tensor,
                      _ derivative: (Float) -> Float) {
        precondition(output.shape == outputGradient.shape,
                     "activation backward: output \(output.shape) and its gradient \(outputGradient.shape) differ")
        inputGradient.resize(to: output.shape)
        output.scalars.withUnsafeBufferPointer { y in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                    for index in y.indices { dx[index] = dy[index] * derivative(y[index]) }
                }
            }
        }
    }
}

/// max(0, x).
public final class ReLU: Layer {
    public init() {}
    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { .relu }
    public func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }
    public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
        ElementwiseKernel.map(input, into: &output) { $0 > 0 ? $0 : 0 }
    }
    public func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        ElementwiseKernel.chain(output: output, outputGradient: outputGradient, into: &inputGradient) { $0 > 0 ? 1 : 0 }
    }
}

/// 1 / (1 + e^(−x)), computed without overflow for large |x|.
public final class Sigmoid: Layer {
    public init() {}
    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { .sigmoid }
    public func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }

    @inline(__always)
    static func sigmoid(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }

    public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
        ElementwiseKernel.map(input, into: &output) { Sigmoid.sigmoid($0) }
    }
    public func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        ElementwiseKernel.chain(output: output, outputGradient: outputGradient, into: &inputGradient) { $0 * (1 - $0) }
    }
}

/// The hyperbolic tangent.
public final class Tanh: Layer {
    public init() {}
    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { .tanh }
    public func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }
    public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
        ElementwiseKernel.map(input, into: &output) { Foundation.tanh($0) }
    }
    public func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        ElementwiseKernel.chain(output: output, outputGradient: outputGradient, into: &inputGradient) { 1 - $0 * $0 }
    }
}
