import Foundation

/// Boosted trees read from a bundle, with the file named in every error.
extension ModelBundle {
    /// The check of one of the bundle's files, for a plugin's own validation pass.
    public func check(_ file: String) -> BundleCheck { BundleCheck(bundle: path, file: file) }

    /// The bytes of a JSON file the bundle must have.
    public func requiredJSONData(_ name: String) throws -> Data {
        guard let data = jsonFiles[name] else {
            throw BundleError.missingJSONFile(path: path, name: name, available: jsonFiles.keys.sorted())
        }
        return data
    }

    /// A boosted model stored with `GradientBoostedModel.jsonData()`, structure and numbers checked.
    public func boostedModel(_ file: String) throws -> GradientBoostedModel {
        let data = try requiredJSONData(file)
        do {
            return try GradientBoostedModel(jsonData: data)
        } catch BoostingError.corruptModel(let reason) {
            throw BundleError.malformed(path: path, file: file, reason: reason)
        }
    }

    /// A prediction-interval model: three boosted models, each checked as `boostedModel` checks one, reading the
    /// same number of features.
    public func intervalModel(_ file: String) throws -> QuantileIntervalModel {
        var model = try decodeJSONFile(file, as: QuantileIntervalModel.self)
        func checked(_ part: GradientBoostedModel, _ key: String) throws -> GradientBoostedModel {
            do {
                return try part.validated()
            } catch BoostingError.corruptModel(let reason) {
                throw BundleError.malformed(path: path, file: file, reason: "\(key): \(reason)")
            }
        }
        model.lower = try checked(model.lower, "lower")
        model.point = try checked(model.point, "point")
        model.upper = try checked(model.upper, "upper")
        let check = self.check(file)
        try check.at("lower").at("featureCount").require(model.lower.featureCount == model.point.featureCount
                                                          && model.upper.featureCount == model.point.featureCount,
                                                          "the three models read different feature counts")
        return model
    }
}
