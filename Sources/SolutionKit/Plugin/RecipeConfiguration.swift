import Foundation
import Yams

/// The resolved hyperparameters of one run: every key of the recipe with a checked value.
///
/// Built from the recipe's defaults, then a config file, then `--set key=value` overrides, in that order,
/// so the command line always wins; the run records the result.
public struct RecipeConfiguration: Codable, Equatable, Sendable {
    public var recipe: String
    public var values: [String: HyperparameterValue]

    public init(recipe: String, values: [String: HyperparameterValue]) {
        self.recipe = recipe
        self.values = values
    }

    // MARK: Reading values

    public func integer(_ key: String) throws -> Int {
        guard case .integer(let v)? = values[key] else { throw mismatch(key, "an integer") }
        return v
    }

    /// A real value; an integer value is accepted.
    public func real(_ key: String) throws -> Double {
        switch values[key] {
        case .real(let v)?: return v
        case .integer(let v)?: return Double(v)
        default: throw mismatch(key, "a number")
        }
    }

    public func boolean(_ key: String) throws -> Bool {
        guard case .boolean(let v)? = values[key] else { throw mismatch(key, "true or false") }
        return v
    }

    /// A choice or text value.
    public func text(_ key: String) throws -> String {
        guard case .text(let v)? = values[key] else { throw mismatch(key, "text") }
        return v
    }

    private func mismatch(_ key: String, _ expected: String) -> ConfigurationError {
        guard let value = values[key] else { return .missingValue(key: key, recipe: recipe) }
        return .badValue(key: key, value: value.description, source: "configuration", allowed: expected)
    }

    /// The values as `key=value` lines in the recipe's order, for reports.
    public func orderedValues(for recipe: Recipe) -> [(String, HyperparameterValue)] {
        recipe.hyperparameters.compactMap { spec in values[spec.name].map { (spec.name, $0) } }
    }

    // MARK: Resolving

    /// Resolves a run's configuration for a plugin.
    ///
    /// - Parameters:
    ///   - recipeName: `--recipe`; when nil, the config file's `recipe:` key, else the plugin's first recipe.
    ///   - configurationText: the YAML config file's text: `recipe: mlp` + `hyperparameters: {epochs: 50}`,
    ///     or the hyperparameters as flat top-level keys.
    ///   - configurationPath: the file's path, named in errors.
    ///   - overrides: `--set key=value` texts, applied last.
    public static func resolve(for plugin: any DomainPlugin, recipe recipeName: String? = nil,
                               configurationText: String? = nil, configurationPath: String = "config",
                               overrides: [String] = []) throws -> RecipeConfiguration {
        var fileValues: [(String, Any)] = []
        var fileRecipe: String?
        if let text = configurationText {
            (fileRecipe, fileValues) = try parseConfiguration(text, path: configurationPath)
        }
        guard let name = recipeName ?? fileRecipe ?? plugin.defaultRecipe?.name else {
            throw ConfigurationError.unknownRecipe("(none)", plugin: plugin.id, known: [])
        }
        let recipe = try plugin.recipe(named: name)
        var configuration = recipe.defaultConfiguration
        for (key, raw) in fileValues {
            try configuration.set(key, yamlValue: raw, recipe: recipe, source: configurationPath)
        }
        for text in overrides {
            guard let equals = text.firstIndex(of: "=") else { throw ConfigurationError.malformedOverride(text) }
            let key = text[..<equals].trimmingCharacters(in: .whitespaces)
            let value = String(text[text.index(after: equals)...])
            guard !key.isEmpty else { throw ConfigurationError.malformedOverride(text) }
            let spec = try specification(key, in: recipe, source: "--set")
            guard let parsed = spec.constraint.parse(value) else {
                throw ConfigurationError.badValue(key: key, value: value, source: "--set",
                                                  allowed: spec.constraint.allowedDescription)
            }
            configuration.values[key] = parsed
        }
        return configuration
    }

    /// Checks recorded values (e.g. from a bundle manifest) against a recipe, filling absent keys with defaults.
    public static func validated(_ values: [String: HyperparameterValue], for recipe: Recipe,
                                 source: String) throws -> RecipeConfiguration {
        var configuration = recipe.defaultConfiguration
        for key in values.keys.sorted() {
            let spec = try specification(key, in: recipe, source: source)
            guard let value = spec.constraint.validate(values[key]!) else {
                throw ConfigurationError.badValue(key: key, value: values[key]!.description, source: source,
                                                  allowed: spec.constraint.allowedDescription)
            }
            configuration.values[key] = value
        }
        return configuration
    }

    private static func specification(_ key: String, in recipe: Recipe, source: String) throws -> HyperparameterSpec {
        guard let spec = recipe.specification(named: key) else {
            throw ConfigurationError.unknownKey(key, recipe: recipe.name, source: source,
                                                allowed: recipe.hyperparameters.map(\.name))
        }
        return spec
    }

    private mutating func set(_ key: String, yamlValue raw: Any, recipe: Recipe, source: String) throws {
        let spec = try Self.specification(key, in: recipe, source: source)
        let value: HyperparameterValue?
        switch raw {
        case let v as Bool: value = .boolean(v)
        case let v as Int: value = .integer(v)
        case let v as Double: value = .real(v)
        case let v as String: value = spec.constraint.parse(v)
        default: value = nil
        }
        guard let candidate = value, let checked = spec.constraint.validate(candidate) else {
            throw ConfigurationError.badValue(key: key, value: MessageText.excerpt("\(raw)"), source: source,
                                              allowed: spec.constraint.allowedDescription)
        }
        values[key] = checked
    }

    /// Reads `recipe:` and the hyperparameters (nested under `hyperparameters:` or flat) in file order.
    private static func parseConfiguration(_ text: String, path: String) throws -> (String?, [(String, Any)]) {
        let node: Node?
        do {
            node = try BoundedYAML.compose(text)
        } catch let error as BoundedYAML.LimitError {
            throw ConfigurationError.malformedFile(path: path, reason: "refused: \(error)")
        } catch {
            throw ConfigurationError.malformedFile(path: path, reason: "not valid YAML: \(error)")
        }
        guard let root = node else { return (nil, []) }
        guard let mapping = root.mapping else {
            throw ConfigurationError.malformedFile(path: path, reason: "expected a mapping of keys to values at the top level")
        }
        var recipe: String?
        var pairs: [(String, Any)] = []
        for (keyNode, valueNode) in mapping {
            guard let key = keyNode.string else {
                throw ConfigurationError.malformedFile(path: path, reason: "line \(keyNode.mark?.line ?? 0): keys must be text")
            }
            switch key {
            case "recipe":
                guard let name = valueNode.string else {
                    throw ConfigurationError.malformedFile(path: path, reason: "\"recipe\" must be a recipe name")
                }
                recipe = name
            case SearchSpace.configurationKey:
                // Read by `SearchSpace.parse(configurationText:for:path:)`; not a hyperparameter.
                continue
            case "hyperparameters":
                guard let nested = valueNode.mapping else {
                    throw ConfigurationError.malformedFile(path: path, reason: "\"hyperparameters\" must be a mapping")
                }
                for (k, v) in nested {
                    guard let name = k.string else {
                        throw ConfigurationError.malformedFile(path: path, reason: "line \(k.mark?.line ?? 0): keys must be text")
                    }
                    pairs.append((name, scalarValue(v)))
                }
            default:
                pairs.append((key, scalarValue(valueNode)))
            }
        }
        return (recipe, pairs)
    }

    /// A YAML scalar as Bool, Int, Double or String, following YAML 1.1's resolution as Yams does.
    private static func scalarValue(_ node: Node) -> Any {
        guard let scalar = node.scalar else { return node }
        if scalar.style == .plain {
            if let v = Bool.construct(from: scalar) { return v }
            if let v = Int.construct(from: scalar) { return v }
            if let v = Double.construct(from: scalar) { return v }
        }
        return scalar.string
    }
}
