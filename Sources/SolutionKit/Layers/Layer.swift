/// A trainable tensor and the gradient of the loss with respect to it.
///
/// Parameters are reference types so that an optimizer can update every parameter of any network through one
/// flat list, without knowing which layer owns what: a layer added later (Conv2D, BatchNorm) takes part in
/// training simply by listing its parameters.
public final class Parameter {
    /// The name within its layer ("weight", "bias"); containers prefix it with the layer's position.
    public let name: String
    public var value: Tensor
    /// Written by the owning layer's `backward`: the gradient of the last batch (overwritten, not accumulated).
    public var gradient: Tensor

    public init(name: String, value: Tensor) {
        self.name = name
        self.value = value
        self.gradient = Tensor(zeros: value.shape)
    }
}

/// One differentiable stage of a network.
///
/// Buffers are passed in by the caller (`into:`), so a network that runs batches of the same size allocates
/// nothing after the first batch. `backward` receives the input and output of the matching `forward`
/// rather than relying on a copy cached inside the layer, which keeps the layers free of hidden state.
///
/// Contract: `forward` with `training == false` must not mutate the layer, so several threads may run inference
/// on the same network at once (that is how `Sequential.predict` uses both cores). Stochastic layers (dropout)
/// keep their per-batch state only when `training == true`.
public protocol Layer: AnyObject {
    /// Computes the output of `input`, writing it into `output` (resized as needed).
    func forward(_ input: Tensor, into output: inout Tensor, training: Bool)

    /// Given `input` and `output` of the last training `forward` and the gradient of the loss with respect to
    /// `output`, writes the gradient with respect to `input` into `inputGradient` and sets the gradients of
    /// `parameters`.
    func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor)

    /// The shape `forward` produces for an input of `inputShape`, or an error naming what does not fit.
    /// Lets the trainer and loaders reject a wrong feature count with a message instead of a crash.
    func outputShape(forInputShape inputShape: [Int]) throws -> [Int]

    /// The trainable parameters, in a fixed order (the order used by serialisation).
    var parameters: [Parameter] { get }

    /// The Codable description from which `LayerSpec.makeLayer(seed:)` rebuilds an equivalent layer.
    var spec: LayerSpec { get }
}

extension Layer {
    /// Convenience forward that allocates its output.
    public func forward(_ input: Tensor, training: Bool = false) -> Tensor {
        var output = Tensor(zeros: [0])
        forward(input, into: &output, training: training)
        return output
    }

    /// Convenience backward that allocates the input gradient.
    public func backward(input: Tensor, output: Tensor, outputGradient: Tensor) -> Tensor {
        var inputGradient = Tensor(zeros: [0])
        backward(input: input, output: output, outputGradient: outputGradient, inputGradient: &inputGradient)
        return inputGradient
    }

}
