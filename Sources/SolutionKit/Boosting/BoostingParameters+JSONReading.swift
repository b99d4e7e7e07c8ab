/// Reads `GradientBoostingParameters` and `BoostingObjective` in the JSON layout their synthesised `Codable`
/// conformances write (see `GradientBoostedModel+JSONReading`).
extension GradientBoostingParameters {
    /// Every key the synthesised decoder requires (the non-optional stored properties), in declaration order
    /// so the first missing one reported does not depend on hashing.
    private static let requiredKeys = [
        "objective", "numberOfRounds", "learningRate", "numberOfLeaves", "minDataInLeaf", "minSumHessianInLeaf",
        "lambdaL1", "lambdaL2", "minGainToSplit", "featureFraction", "baggingFraction", "baggingFrequency",
        "maxBin", "minDataInBin", "binSampleCount", "maxCategoriesForOneHot", "maxCategoryThreshold",
        "categorySmoothing", "categoryL2", "minDataPerCategoryGroup", "seed",
    ]

    init(reading reader: inout JSONByteReader) throws {
        let objectStart = reader.valueStart()
        var parameters = GradientBoostingParameters()
        // Optional settings are nil unless present, exactly as `decodeIfPresent` leaves them.
        parameters.maxDepth = nil
        parameters.earlyStoppingRounds = nil
        parameters.metric = nil
        var seen: Set<String> = []
        try reader.readObject { reader, key in
            switch key {
            case "objective": parameters.objective = try BoostingObjective(reading: &reader)
            case "numberOfRounds": parameters.numberOfRounds = try reader.readInt()
            case "learningRate": parameters.learningRate = try reader.readDouble()
            case "numberOfLeaves": parameters.numberOfLeaves = try reader.readInt()
            case "maxDepth": parameters.maxDepth = try reader.readOptional { try $0.readInt() }
            case "minDataInLeaf": parameters.minDataInLeaf = try reader.readInt()
            case "minSumHessianInLeaf": parameters.minSumHessianInLeaf = try reader.readDouble()
            case "lambdaL1": parameters.lambdaL1 = try reader.readDouble()
            case "lambdaL2": parameters.lambdaL2 = try reader.readDouble()
            case "minGainToSplit": parameters.minGainToSplit = try reader.readDouble()
            case "featureFraction": parameters.featureFraction = try reader.readDouble()
            case "baggingFraction": parameters.baggingFraction = try reader.readDouble()
            case "baggingFrequency": parameters.baggingFrequency = try reader.readInt()
            case "maxBin": parameters.maxBin = try reader.readInt()
            case "minDataInBin": parameters.minDataInBin = try reader.readInt()
            case "binSampleCount": parameters.binSampleCount = try reader.readInt()
            case "maxCategoriesForOneHot": parameters.maxCategoriesForOneHot = try reader.readInt()
            case "maxCategoryThreshold": parameters.maxCategoryThreshold = try reader.readInt()
            case "categorySmoothing": parameters.categorySmoothing = try reader.readDouble()
            case "categoryL2": parameters.categoryL2 = try reader.readDouble()
            case "minDataPerCategoryGroup": parameters.minDataPerCategoryGroup = try reader.readInt()
            case "earlyStoppingRounds": parameters.earlyStoppingRounds = try reader.readOptional { try $0.readInt() }
            case "metric": parameters.metric = try reader.readOptional { try BoostingMetric(reading: &$0) }
            case "seed": parameters.seed = try reader.readUInt64()
            default: try reader.skipValue(); return
            }
            seen.insert(key)
        }
        if let missing = Self.requiredKeys.first(where: { !seen.contains($0) }) {
            throw reader.error("missing key \(missing)", at: objectStart)
        }
        self = parameters
    }
}

extension BoostingMetric {
    init(reading reader: inout JSONByteReader) throws {
        let start = reader.valueStart()
        let name = try reader.readString()
        guard let metric = BoostingMetric(rawValue: name) else {
            throw reader.error("unknown metric \"\(name)\"; expected one of "
                               + BoostingMetric.allCases.map(\.rawValue).joined(separator: ", "), at: start)
        }
        self = metric
    }
}

extension BoostingObjective {
    /// A one-key object naming the case, whose value holds the associated values by label.
    init(reading reader: inout JSONByteReader) throws {
        let start = reader.valueStart()
        var objective: BoostingObjective?
        var keyCount = 0
        try reader.readObject { reader, key in
            keyCount += 1
            guard keyCount == 1 else {
                throw reader.error("an objective object must have exactly one key", at: start)
            }
            objective = try Self.readCase(key, &reader)
        }
        guard let objective else { throw reader.error("an objective object must have exactly one key", at: start) }
        self = objective
    }

    private static func readCase(_ name: String, _ reader: inout JSONByteReader) throws -> BoostingObjective {
        let start = reader.valueStart()
        var value: Double?
        let label: String?
        switch name {
        case "squaredError", "absoluteError": label = nil
        case "huber": label = "delta"
        case "quantile": label = "alpha"
        case "binaryLogLoss": label = "scalePositiveWeight"
        default:
            throw reader.error("unknown objective \"\(name)\"; expected squaredError, absoluteError, huber, "
                               + "quantile or binaryLogLoss", at: start)
        }
        try reader.readObject { reader, key in
            if key == label { value = try reader.readDouble() } else { try reader.skipValue() }
        }
        guard let label else { return name == "squaredError" ? .squaredError : .absoluteError }
        guard let value else { throw reader.error("missing key \(label)", at: start) }
        switch name {
        case "huber": return .huber(delta: value)
        case "quantile": return .quantile(alpha: value)
        default: return .binaryLogLoss(scalePositiveWeight: value)
        }
    }
}
