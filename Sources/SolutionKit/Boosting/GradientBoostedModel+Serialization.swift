import Foundation

/// JSON form of a boosted model, as stored in model bundles.
///
/// Loading checks the format version and every tree's structure, so a damaged or hand-edited file is
/// refused with a message instead of crashing or predicting garbage later.
extension GradientBoostedModel {
    /// The model as JSON (sorted keys, so the same model always gives the same bytes).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// Reads and validates a model written by `jsonData()`.
    ///
    /// Decoding reads the bytes directly (`GradientBoostedModel+JSONReading`): `JSONDecoder` took ~35 ms for a
    /// 400-tree model, a large share of a scoring run. `decodedWithJSONDecoder(_:)` keeps the reference path.
    public init(jsonData data: Data) throws {
        try self.init(validating: try Self.readingBytes(data))
    }

    /// The byte reader's result before validation (what its fidelity tests compare with `JSONDecoder`).
    static func readingBytes(_ data: Data) throws -> GradientBoostedModel {
        do {
            return try data.withUnsafeBytes { raw in
                var reader = JSONByteReader(bytes: raw.bindMemory(to: UInt8.self))
                let model = try GradientBoostedModel(reading: &reader)
                try reader.expectEnd()
                return model
            }
        } catch let error as JSONReadError {
            throw BoostingError.corruptModel(error.description)
        }
    }

    /// The model decoded by Foundation's `JSONDecoder` (the reference the byte reader is tested against),
    /// without validation.
    static func decodedWithJSONDecoder(_ data: Data) throws -> GradientBoostedModel {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            return try decoder.decode(GradientBoostedModel.self, from: data)
        } catch let error as DecodingError {
            throw BoostingError.corruptModel(Self.describe(error))
        }
    }

    /// Checks what the JSON layout cannot express: format version, feature names and each tree's structure.
    private init(validating model: GradientBoostedModel) throws {
        guard model.formatVersion == Self.currentFormatVersion else {
            throw BoostingError.corruptModel("format version \(model.formatVersion), this build reads "
                                             + "\(Self.currentFormatVersion)")
        }
        guard model.featureCount > 0, model.featureNames.count == model.featureCount else {
            throw BoostingError.corruptModel("featureCount \(model.featureCount) with \(model.featureNames.count) names")
        }
        guard model.initialScore.isFinite else { throw BoostingError.corruptModel("initialScore is not finite") }
        guard Set(model.categoricalFeatures).count == model.categoricalFeatures.count,
              model.categoricalFeatures.allSatisfy({ (0..<model.featureCount).contains($0) }) else {
            throw BoostingError.corruptModel("categoricalFeatures \(model.categoricalFeatures) repeats a feature or lies outside 0..<\(model.featureCount)")
        }
        try Self.validate(model.objective)
        for (index, tree) in model.trees.enumerated() {
            do { try tree.validate(featureCount: model.featureCount) } catch let BoostingError.corruptModel(reason) {
                throw BoostingError.corruptModel("tree \(index): \(reason)")
            }
        }
        self = model
    }

    /// A model decoded some other way (e.g. inside a larger Codable value) passed through the same checks as
    /// `init(jsonData:)`.
    public func validated() throws -> GradientBoostedModel { try GradientBoostedModel(validating: self) }

    private static func validate(_ objective: BoostingObjective) throws {
        switch objective {
        case .squaredError, .absoluteError: return
        case .huber(let delta):
            guard delta.isFinite, delta > 0 else { throw BoostingError.corruptModel("objective huber: delta \(delta) must be above 0") }
        case .quantile(let alpha):
            guard alpha > 0, alpha < 1 else { throw BoostingError.corruptModel("objective quantile: alpha \(alpha) must lie in (0, 1)") }
        case .binaryLogLoss(let weight):
            guard weight.isFinite, weight > 0 else {
                throw BoostingError.corruptModel("objective binary: scalePositiveWeight \(weight) must be above 0")
            }
        }
    }

    private static func describe(_ error: DecodingError) -> String { error.keyPathDescription }
}
