import COpenBLAS

/// Layers applied one after another; itself a `Layer`, so networks nest.
///
/// For training it owns one activation and one gradient buffer per boundary between layers, reused from
/// batch to batch. Inference (`training == false`, `predict`) uses local buffers and leaves the network
/// untouched, so it may run on several threads at once.
public final class Sequential: Layer {
    public let layers: [any Layer]
    private var activations: [Tensor]
    private var gradients: [Tensor]

    public init(_ layers: [any Layer]) {
        self.layers = layers
        let boundaries = max(layers.count - 1, 0)
        activations = Array(repeating: Tensor(zeros: [0]), count: boundaries)
        gradients = Array(repeating: Tensor(zeros: [0]), count: boundaries)
    }

    /// Builds the layers of `specs`, each seeded from its own stream derived from `seed`.
    public convenience init(specs: [LayerSpec], seed: UInt64) throws {
        var built: [any Layer] = []
        for (index, spec) in specs.enumerated() {
            var stream = SeededGenerator.derived(from: seed, stream: UInt64(index))
            built.append(try spec.makeLayer(seed: stream.next()))
        }
        self.init(built)
    }

    /// Builds the network described by `spec`; the same spec and seed give identical initial weights.
    public convenience init(spec: NetworkSpec, seed: UInt64) throws {
        guard spec.formatVersion <= NetworkSpec.currentFormatVersion else {
            throw NetworkSpecError.unsupportedFormatVersion(found: spec.formatVersion,
                                                            supported: NetworkSpec.currentFormatVersion)
        }
        try self.init(specs: spec.layers, seed: seed)
    }

    public var parameters: [Parameter] { layers.flatMap { $0.parameters } }
    public var spec: LayerSpec { .sequential(layers.map { $0.spec }) }
    /// The architecture, for storing beside the parameters.
    public var networkSpec: NetworkSpec { NetworkSpec(layers: layers.map { $0.spec }) }

    public func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        var shape = inputShape
        for (index, layer) in layers.enumerated() {
            do {
                shape = try layer.outputShape(forInputShape: shape)
            } catch var error as LayerShapeError {
                error.layer = "layer \(index): " + error.layer
                throw error
            }
        }
        return shape
    }

    // MARK: Forward and backward

    public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
        if !training {
            var scratch = [Tensor](repeating: Tensor(zeros: [0]), count: activations.count)
            infer(input, into: &output, scratch: &scratch)
            return
        }
        guard !layers.isEmpty else { output.assign(input); return }
        let last = layers.count - 1
        for index in 0..<last {
            let layerInput = index == 0 ? input : activations[index - 1]
            layers[index].forward(layerInput, into: &activations[index], training: true)
        }
        layers[last].forward(last == 0 ? input : activations[last - 1], into: &output, training: true)
    }

    /// Inference into caller-owned scratch buffers (one per boundary), so repeated calls allocate nothing.
    func infer(_ input: Tensor, into output: inout Tensor, scratch: inout [Tensor]) {
        guard !layers.isEmpty else { output.assign(input); return }
        let last = layers.count - 1
        for index in 0..<last {
            let layerInput = index == 0 ? input : scratch[index - 1]
            layers[index].forward(layerInput, into: &scratch[index], training: false)
        }
        layers[last].forward(last == 0 ? input : scratch[last - 1], into: &output, training: false)
    }

    public func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        guard !layers.isEmpty else { inputGradient.assign(outputGradient); return }
        let last = layers.count - 1
        for index in stride(from: last, through: 0, by: -1) {
            let layerInput = index == 0 ? input : activations[index - 1]
            let layerOutput = index == last ? output : activations[index]
            let layerOutputGradient = index == last ? outputGradient : gradients[index]
            if index == 0 {
                layers[0].backward(input: layerInput, output: layerOutput, outputGradient: layerOutputGradient,
                                   inputGradient: &inputGradient)
            } else {
                layers[index].backward(input: layerInput, output: layerOutput, outputGradient: layerOutputGradient,
                                       inputGradient: &gradients[index - 1])
            }
        }
    }

    // MARK: Inference over many rows

    /// The network's outputs for every row of `inputs`, computed in batches of `batchSize` rows on all of
    /// `Parallelism.threadCount` workers. Dropout is off. OpenBLAS runs single-threaded inside (the parallelism
    /// is over batches), so for a given `batchSize` the result does not depend on the thread count.
    public func predict(_ inputs: Tensor, batchSize: Int = 1024) -> Tensor {
        precondition(batchSize > 0, "predict: batchSize must be positive, got \(batchSize)")
        let rowCount = inputs.rows
        let batchCount = (rowCount + batchSize - 1) / batchSize
        if batchCount == 0 {
            return forward(inputs, training: false)
        }
        let workers = min(Parallelism.threadCount, batchCount)
        var pieces = [Tensor](repeating: Tensor(zeros: [0]), count: batchCount)
        let boundaries = activations.count
        let previousBLASThreads = openblas_get_num_threads()
        openblas_set_num_threads(1)
        pieces.withUnsafeMutableBufferPointer { slots in
            parallelFor(batchCount, chunks: workers) { _, batches in
                var scratch = [Tensor](repeating: Tensor(zeros: [0]), count: boundaries)
                var batch = Tensor(zeros: [0])
                for batchIndex in batches {
                    let lower = batchIndex * batchSize, upper = min(lower + batchSize, rowCount)
                    batch.assignRows(of: inputs, in: lower..<upper)
                    var output = Tensor(zeros: [0])
                    infer(batch, into: &output, scratch: &scratch)
                    slots[batchIndex] = output
                }
            }
        }
        openblas_set_num_threads(previousBLASThreads)
        var result = Tensor(zeros: pieces[0].shapeWithRows(rowCount))
        var row = 0
        for piece in pieces {
            result.setRows(startingAt: row, from: piece)
            row += piece.rows
        }
        return result
    }

    // MARK: Named parameters

    /// Every parameter with its qualified name: the layer's position, then the parameter's own name
    /// ("0.weight", "0.bias", "2.weight", and "3.1.weight" inside a nested Sequential).
    public var parameterReferences: [(name: String, parameter: Parameter)] {
        var result: [(name: String, parameter: Parameter)] = []
        for (index, layer) in layers.enumerated() {
            if let inner = layer as? Sequential {
                for (name, parameter) in inner.parameterReferences { result.append(("\(index).\(name)", parameter)) }
            } else {
                for parameter in layer.parameters { result.append(("\(index).\(parameter.name)", parameter)) }
            }
        }
        return result
    }

    /// The parameters as an ordered list of named tensors: what a model bundle stores.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        parameterReferences.map { (name: $0.name, tensor: $0.parameter.value) }
    }

    /// Replaces the parameters with `stored`, which must list the same names and shapes in the same order
    /// as `namedParameters()`. Everything is checked before anything is assigned.
    public func loadParameters(_ stored: [(name: String, tensor: Tensor)]) throws {
        try Self.assign(stored, to: parameterReferences)
    }

    /// Assigns `stored` to `references` (same names, shapes and order), checking everything before assigning
    /// anything, so a bad file leaves the network as it was.
    static func assign(_ stored: [(name: String, tensor: Tensor)],
                       to references: [(name: String, parameter: Parameter)]) throws {
        guard references.count == stored.count else {
            throw ParameterLoadingError.countMismatch(expected: references.count, found: stored.count)
        }
        for (position, (reference, entry)) in zip(references, stored).enumerated() {
            guard reference.name == entry.name else {
                throw ParameterLoadingError.nameMismatch(position: position, expected: reference.name, found: entry.name)
            }
            guard reference.parameter.value.shape == entry.tensor.shape else {
                throw ParameterLoadingError.shapeMismatch(name: entry.name, expected: reference.parameter.value.shape,
                                                          found: entry.tensor.shape)
            }
            guard entry.tensor.isFinite else { throw ParameterLoadingError.nonFiniteValue(name: entry.name) }
        }
        for (reference, entry) in zip(references, stored) { reference.parameter.value = entry.tensor }
    }
}
