/// A layer with state that is learnt from data but not by gradient descent (BatchNorm's running mean and
/// variance). Optimizers never see these; bundles store them beside the parameters.
public protocol LayerWithBuffers: Layer {
    /// Non-trainable tensors, in a fixed order (the order used by serialisation).
    var buffers: [Parameter] { get }
}

extension Sequential {
    /// Every buffer with its qualified name ("3.running_mean"), named like `parameterReferences`.
    public var bufferReferences: [(name: String, parameter: Parameter)] {
        var result: [(name: String, parameter: Parameter)] = []
        for (index, layer) in layers.enumerated() {
            if let inner = layer as? Sequential {
                for (name, buffer) in inner.bufferReferences { result.append(("\(index).\(name)", buffer)) }
            } else if let stateful = layer as? LayerWithBuffers {
                for buffer in stateful.buffers { result.append(("\(index).\(buffer.name)", buffer)) }
            }
        }
        return result
    }

    /// Parameters followed by buffers: everything a bundle must store to rebuild the network exactly.
    public func namedState() -> [(name: String, tensor: Tensor)] {
        (parameterReferences + bufferReferences).map { (name: $0.name, tensor: $0.parameter.value) }
    }

    /// Replaces parameters and buffers with `stored` (same names, shapes and order as `namedState()`),
    /// checking everything before assigning anything.
    public func loadState(_ stored: [(name: String, tensor: Tensor)]) throws {
        try Self.assign(stored, to: parameterReferences + bufferReferences)
    }
}
