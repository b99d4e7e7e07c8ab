/// Rebuilding a network from a bundle's `network.json` and weights, checked before anything is built.
///
/// The layer sizes in `network.json` are only believed once the weight arrays they imply are found in the bundle
/// with exactly those shapes: a network can then never allocate more than the bundle itself holds, so an edited
/// size (a dense layer of 2^63 − 1 inputs, or 10^9 outputs) is an error naming the layer, not a crash in `Dense.init`.
extension ModelBundle {
    /// The network of `file`, with its parameters (and, with `includingBuffers`, its BatchNorm statistics) loaded,
    /// checked to turn one input of `inputShape` into `outputShape`.
    public func network(_ file: String = "network.json", inputShape: [Int], outputShape: [Int],
                        includingBuffers: Bool) throws -> Sequential {
        let spec = try decodeJSONFile(file, as: NetworkSpec.self)
        let check = BundleCheck(bundle: path, file: file)
        try check.at("formatVersion").require(spec.formatVersion >= 1 && spec.formatVersion <= NetworkSpec.currentFormatVersion,
                                              "format version \(spec.formatVersion); this build reads 1...\(NetworkSpec.currentFormatVersion)")
        var parameters: [StoredShape] = [], buffers: [StoredShape] = []
        try Self.collectShapes(spec.layers, prefix: "", check: check.at("layers"), parameters: &parameters, buffers: &buffers)
        let stored = parameters + (includingBuffers ? buffers : [])
        let weights = BundleCheck(bundle: path, file: WeightFile.indexName).at("arrays")
        var values: [(name: String, tensor: Tensor)] = []
        for expected in stored {
            guard let array = arrays[expected.name] else {
                throw expected.check.failure("needs the weight array \"\(expected.name)\" of shape \(expected.shape), "
                                             + "which \(WeightFile.indexName) does not list")
            }
            try weights.at(expected.name).require(array.shape == expected.shape,
                "has shape \(array.shape), but \(file) (\(expected.check.keyPath)) needs \(expected.shape)")
            let data = BundleCheck(bundle: path, file: WeightFile.dataName).at(expected.name)
            try data.allFinite(array.values)
            if expected.nonNegative, let bad = array.values.firstIndex(where: { $0 < 0 }) {
                throw data.at(bad).failure("a variance of \(array.values[bad]) is negative")
            }
            values.append((name: expected.name, tensor: Tensor(shape: array.shape, scalars: array.values)))
        }
        // Every size is now backed by stored values, so building allocates no more than the bundle holds.
        let network = try Sequential(spec: spec, seed: 0)
        var shape = inputShape
        for (index, layer) in network.layers.enumerated() {
            do {
                shape = try layer.outputShape(forInputShape: shape)
            } catch let error as LayerShapeError {
                throw check.at("layers").at(index).failure("\(error) for one input of shape \(inputShape)")
            }
            _ = try check.at("layers").at(index).elementCount(shape)
        }
        try check.require(shape == outputShape,
                          "the network turns one input of shape \(inputShape) into \(shape); the model needs \(outputShape)")
        if includingBuffers { try network.loadState(values) } else { try network.loadParameters(values) }
        return network
    }

    struct StoredShape {
        var name: String
        var shape: [Int]
        var check: BundleCheck
        /// BatchNorm's running variance: negative would give NaN scores.
        var nonNegative = false
    }

    /// The names and shapes `Sequential.namedParameters()` and `bufferReferences` would list for `specs`, in the same
    /// order, after checking every size against `BundleLimits`; nothing is allocated.
    static func collectShapes(_ specs: [LayerSpec], prefix: String, check: BundleCheck,
                              parameters: inout [StoredShape], buffers: inout [StoredShape]) throws {
        let limit = BundleLimits.maximumElements
        for (index, spec) in specs.enumerated() {
            let name = "\(prefix)\(index)."
            let layer = check.at(index)
            switch spec {
            case let .dense(inputs, outputs, _):
                let at = layer.at("dense")
                try at.at("inputs").within(inputs, 1...limit)
                try at.at("outputs").within(outputs, 1...limit)
                _ = try at.elementCount([inputs, outputs], atMost: limit)
                parameters.append(StoredShape(name: name + "weight", shape: [inputs, outputs], check: at))
                parameters.append(StoredShape(name: name + "bias", shape: [outputs], check: at))
            case let .conv2D(channels, filters, kernel, padding, _):
                let at = layer.at("conv2D")
                try at.at("inputChannels").within(channels, 1...limit)
                try at.at("filters").within(filters, 1...limit)
                try at.at("kernelSize").within(kernel, 1...BundleLimits.maximumImageSide)
                try at.at("padding").within(padding, 0...(kernel - 1))
                let fanIn = try at.elementCount([channels, kernel, kernel], atMost: limit)
                _ = try at.elementCount([filters, fanIn], atMost: limit)
                parameters.append(StoredShape(name: name + "weight", shape: [filters, fanIn], check: at))
                parameters.append(StoredShape(name: name + "bias", shape: [filters], check: at))
            case let .batchNorm(features, momentum, epsilon):
                let at = layer.at("batchNorm")
                try at.at("features").within(features, 1...limit)
                try at.at("momentum").require(momentum > 0 && momentum <= 1, "\(momentum) must lie in (0, 1]")
                try at.at("epsilon").require(epsilon.isFinite && epsilon > 0, "\(epsilon) must be a finite number above 0")
                parameters.append(StoredShape(name: name + "scale", shape: [features], check: at))
                parameters.append(StoredShape(name: name + "shift", shape: [features], check: at))
                buffers.append(StoredShape(name: name + "running_mean", shape: [features], check: at))
                buffers.append(StoredShape(name: name + "running_variance", shape: [features], check: at, nonNegative: true))
            case let .dropout(rate):
                try layer.at("dropout").at("rate").require(rate >= 0 && rate < 1, "\(rate) must lie in [0, 1)")
            case let .maxPool2D(size):
                try layer.at("maxPool2D").at("size").within(size, 1...BundleLimits.maximumImageSide)
            case let .sequential(inner):
                try collectShapes(inner, prefix: name, check: layer.at("sequential"), parameters: &parameters, buffers: &buffers)
            case .relu, .sigmoid, .tanh, .flatten:
                break
            }
        }
    }
}
