extension LayerSpec {
    /// Builds the convolutional-network layers (kept beside them rather than in `makeLayer`'s main switch).
    func makeImageLayer(seed: UInt64) throws -> any Layer {
        switch self {
        case let .conv2D(inputChannels, filters, kernelSize, padding, initializer):
            guard inputChannels > 0, filters > 0, kernelSize > 0, padding >= 0, padding < kernelSize else {
                throw NetworkSpecError.invalidLayer(spec: self, reason: "conv2D needs positive channels, filters and "
                    + "kernel size and 0 ≤ padding < kernel size")
            }
            return Conv2D(inputChannels: inputChannels, filters: filters, kernelSize: kernelSize, padding: padding,
                          initializer: initializer, seed: seed)
        case let .maxPool2D(size):
            guard size > 0 else { throw NetworkSpecError.invalidLayer(spec: self, reason: "pool size must be positive") }
            return MaxPool2D(size: size)
        case .flatten:
            return Flatten()
        case let .batchNorm(features, momentum, epsilon):
            guard features > 0, momentum > 0, momentum <= 1, epsilon > 0, epsilon.isFinite else {
                throw NetworkSpecError.invalidLayer(spec: self, reason: "batchNorm needs features > 0, momentum in (0, 1], epsilon > 0")
            }
            return BatchNorm(features: features, momentum: momentum, epsilon: epsilon)
        default:
            throw NetworkSpecError.invalidLayer(spec: self, reason: "not an image layer")
        }
    }
}
