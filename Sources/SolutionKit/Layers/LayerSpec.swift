/// A Codable description of a layer: what a model bundle stores instead of code.
///
/// Rebuilding a network from its spec and then loading its parameters never runs anything but the kit's own
/// layer constructors. Later layer kinds (Conv2D, MaxPool2D, BatchNorm, Flatten) add a case here and a line
/// in `makeLayer`; the trainer and the optimizers do not change.
public enum LayerSpec: Codable, Equatable, Sendable {
    case dense(inputs: Int, outputs: Int, initializer: WeightInitializer)
    case relu
    case sigmoid
    case tanh
    case dropout(rate: Float)
    case sequential([LayerSpec])
    case conv2D(inputChannels: Int, filters: Int, kernelSize: Int, padding: Int, initializer: WeightInitializer)
    case maxPool2D(size: Int)
    case flatten
    case batchNorm(features: Int, momentum: Float, epsilon: Float)

    /// A freshly initialised layer for this spec, its random draws derived from `seed`.
    public func makeLayer(seed: UInt64) throws -> any Layer {
        switch self {
        case let .dense(inputs, outputs, initializer):
            guard inputs > 0, outputs > 0 else {
                throw NetworkSpecError.invalidLayer(spec: self, reason: "dense sizes must be positive, got \(inputs) → \(outputs)")
            }
            return Dense(inputs: inputs, outputs: outputs, initializer: initializer, seed: seed)
        case .relu: return ReLU()
        case .sigmoid: return Sigmoid()
        case .tanh: return Tanh()
        case let .dropout(rate):
            guard rate >= 0, rate < 1 else {
                throw NetworkSpecError.invalidLayer(spec: self, reason: "dropout rate must be in [0, 1), got \(rate)")
            }
            return Dropout(rate: rate, seed: seed)
        case let .sequential(specs):
            return try Sequential(specs: specs, seed: seed)
        case .conv2D, .maxPool2D, .flatten, .batchNorm:
            return try makeImageLayer(seed: seed)
        }
    }
}

/// The architecture of a whole network, as stored in a model bundle.
public struct NetworkSpec: Codable, Equatable, Sendable {
    /// Raised when the stored form changes incompatibly; loaders refuse versions newer than they know.
    public static let currentFormatVersion = 1

    public var formatVersion: Int
    public var layers: [LayerSpec]

    public init(layers: [LayerSpec]) {
        formatVersion = NetworkSpec.currentFormatVersion
        self.layers = layers
    }

    /// The classic multilayer perceptron: Dense+activation for each hidden width, then a linear Dense output.
    public static func multilayerPerceptron(inputs: Int, hidden: [Int], outputs: Int,
                                            activation: LayerSpec = .relu, dropout: Float = 0) -> NetworkSpec {
        let initializer: WeightInitializer = activation == .relu ? .heNormal : .glorotUniform
        var layers: [LayerSpec] = []
        var width = inputs
        for size in hidden {
            layers.append(.dense(inputs: width, outputs: size, initializer: initializer))
            layers.append(activation)
            if dropout > 0 { layers.append(.dropout(rate: dropout)) }
            width = size
        }
        layers.append(.dense(inputs: width, outputs: outputs, initializer: .glorotUniform))
        return NetworkSpec(layers: layers)
    }
}

/// A network description that cannot be built.
public enum NetworkSpecError: Error, CustomStringConvertible, Equatable {
    case invalidLayer(spec: LayerSpec, reason: String)
    case unsupportedFormatVersion(found: Int, supported: Int)

    public var description: String {
        switch self {
        case let .invalidLayer(spec, reason):
            return "invalid layer \(spec): \(reason)"
        case let .unsupportedFormatVersion(found, supported):
            return "network spec format version \(found) is newer than the supported version \(supported)"
        }
    }
}
