import Foundation
import SolutionKit

/// Writing a recommendation model into a bundle and reading it back. Index arrays are stored as float32
/// (exact below 2^24, which is checked), ids and titles as JSON.
extension RecommendationModel {
    struct Vocabulary: Codable {
        var users: [String]
        var items: [String]
        var titles: [String]
        var scale: RatingScale
    }

    static let exactLimit = 1 << 24

    func bundleContents() throws -> BundleContents {
        guard seen.count < Self.exactLimit, users.count < Self.exactLimit, items.count < Self.exactLimit else {
            throw InternalError("the model's indices exceed 2^24 and cannot be stored exactly as float32")
        }
        var contents = BundleContents(
            inputSchema: .object(["user": .string("user id (text)"), "item": .string("item id (text), pairs mode only")]),
            manifestFields: ["users": .number(Double(users.count)), "items": .number(Double(items.count)),
                             "scale": .string(scale.text)])
        try contents.addJSONFile("vocabulary.json", Vocabulary(users: users, items: items, titles: titles, scale: scale))
        var arrays: [NamedArray] = [
            NamedArray(name: "rated_starts", shape: [users.count + 1], values: seen.userStarts.map(Float.init)),
            NamedArray(name: "rated_items", shape: [seen.count], values: seen.userItems.map(Float.init)),
            NamedArray(name: "rated_values", shape: [seen.count], values: seen.userValues),
        ]
        try Self.addArrays(of: learner, prefix: "", to: &arrays)
        contents.arrays = arrays
        return contents
    }

    convenience init(bundle: ModelBundle, plugin: RecommendationPlugin) throws {
        let configuration = try bundle.configuration(for: plugin)
        let vocabulary = try bundle.decodeJSONFile("vocabulary.json", as: Vocabulary.self)
        try vocabulary.check(bundle.check("vocabulary.json"))
        let U = vocabulary.users.count, I = vocabulary.items.count
        let reader = LearnerArrays(bundle: bundle, users: U, items: I)
        let ratedItems = try reader.indices("rated_items", below: I)
        let starts = try reader.starts("rated_starts", rows: U, total: ratedItems.count)
        let ratedValues = try reader.values("rated_values", count: ratedItems.count)
        var rowUsers = [Int32](repeating: 0, count: ratedItems.count)
        for u in 0..<U { for p in starts[u]..<starts[u + 1] { rowUsers[p] = Int32(u) } }
        let seen: RatingMatrix
        do {
            seen = try RatingMatrix(userCount: U, itemCount: I, users: rowUsers, items: ratedItems, values: ratedValues)
        } catch {
            throw reader.malformed("rated_items / rated_values: \(error)")
        }
        let learner: Recommender
        do {
            learner = try reader.learner(recipe: configuration.recipe, configuration: configuration, prefix: "", plugin: plugin)
        } catch let error as ConfigurationError {
            // A blend's component lists are read from its recorded hyperparameters.
            throw bundle.check("manifest.json").at("hyperparameters").failure("\(error)")
        }
        self.init(configuration: configuration, users: vocabulary.users, items: vocabulary.items, titles: vocabulary.titles,
                  scale: vocabulary.scale, seen: seen, learner: learner, history: nil)
    }
}

extension RecommendationModel.Vocabulary {
    /// Ids become lookups (a duplicate would trap building them) and each item needs its title (a missing one was read
    /// past the end of the list when scoring); the scale clamps every prediction.
    func check(_ check: BundleCheck) throws {
        try check.at("users").size(users.count, atMost: RecommendationModel.exactLimit - 1)
        try check.at("items").size(items.count, atMost: RecommendationModel.exactLimit - 1)
        try check.at("users").unique(users)
        try check.at("items").unique(items)
        try check.at("titles").count(titles.count, expected: items.count, of: "titles for the items")
        try check.at("scale").at("minimum").finite(scale.minimum)
        try check.at("scale").at("maximum").finite(scale.maximum)
        try check.at("scale").require(scale.minimum < scale.maximum, "minimum \(scale.minimum) is not below maximum \(scale.maximum)")
    }
}
