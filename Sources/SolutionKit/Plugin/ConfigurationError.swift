/// Why a recipe configuration was refused. Every case names the key and what is allowed.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case unknownRecipe(String, plugin: String, known: [String])
    case unknownKey(String, recipe: String, source: String, allowed: [String])
    case badValue(key: String, value: String, source: String, allowed: String)
    case malformedOverride(String)
    case malformedFile(path: String, reason: String)
    case missingValue(key: String, recipe: String)

    public var description: String {
        switch self {
        case let .unknownRecipe(name, plugin, known):
            return "plugin \(plugin) has no recipe named \"\(name)\"; known recipes: \(known.joined(separator: ", "))"
        case let .unknownKey(key, recipe, source, allowed):
            return "\(source): unknown hyperparameter \"\(key)\" for recipe \(recipe); allowed: \(allowed.joined(separator: ", "))"
        case let .badValue(key, value, source, allowed):
            return "\(source): bad value \"\(value)\" for hyperparameter \"\(key)\"; allowed: \(allowed)"
        case let .malformedOverride(text):
            return "--set \(text): expected key=value"
        case let .malformedFile(path, reason):
            return "\(path): \(reason)"
        case let .missingValue(key, recipe):
            return "recipe \(recipe) has no value for hyperparameter \"\(key)\""
        }
    }
}
