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
        let U = vocabulary.users.count, I = vocabulary.items.count
        func values(_ name: String, count: Int? = nil) throws -> [Float] {
            let array = try bundle.array(name)
            if let count, array.values.count != count {
                throw BundleError.malformed(path: bundle.path, file: "weights.bin", reason: "\(name) holds \(array.values.count) values, expected \(count)")
            }
            return array.values
        }
        func indices(_ name: String, count: Int? = nil, below limit: Int) throws -> [Int32] {
            try values(name, count: count).map { v in
                guard v >= 0, v < Float(limit), v == v.rounded() else {
                    throw BundleError.malformed(path: bundle.path, file: "weights.bin", reason: "\(name) holds an index \(v) outside 0..<\(limit)")
                }
                return Int32(v)
            }
        }
        let starts = try indices("rated_starts", count: U + 1, below: Self.exactLimit).map(Int.init)
        let ratedItems = try indices("rated_items", below: I)
        let ratedValues = try values("rated_values", count: ratedItems.count)
        guard starts.first == 0, starts.last == ratedItems.count, zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
            throw BundleError.malformed(path: bundle.path, file: "weights.bin", reason: "rated_starts is not a valid row index")
        }
        var rowUsers = [Int32](repeating: 0, count: ratedItems.count)
        for u in 0..<U { for p in starts[u]..<starts[u + 1] { rowUsers[p] = Int32(u) } }
        let seen = try RatingMatrix(userCount: U, itemCount: I, users: rowUsers, items: ratedItems, values: ratedValues)
        let reader = LearnerArrays(bundle: bundle, users: U, items: I)
        let learner = try reader.learner(recipe: configuration.recipe, configuration: configuration, prefix: "", plugin: plugin)
        self.init(configuration: configuration, users: vocabulary.users, items: vocabulary.items, titles: vocabulary.titles,
                  scale: vocabulary.scale, seen: seen, learner: learner, history: nil)
    }
}
