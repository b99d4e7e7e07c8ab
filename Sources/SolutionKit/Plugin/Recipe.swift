/// A named way to build a model, with its documented hyperparameters.
public struct Recipe: Equatable, Sendable {
    public var name: String
    public var summary: String
    public var hyperparameters: [HyperparameterSpec]
    /// What `tune` searches (and `--recipe auto` samples) by default; a config file's `search_space:` overrides it.
    public var searchSpace: SearchSpace

    public init(name: String, summary: String, hyperparameters: [HyperparameterSpec] = [],
                searchSpace: SearchSpace = SearchSpace()) {
        self.name = name
        self.summary = summary
        self.hyperparameters = hyperparameters
        self.searchSpace = searchSpace
    }

    public func specification(named key: String) -> HyperparameterSpec? {
        hyperparameters.first(where: { $0.name == key })
    }

    /// The configuration with every hyperparameter at its default.
    public var defaultConfiguration: RecipeConfiguration {
        RecipeConfiguration(recipe: name,
                            values: Dictionary(uniqueKeysWithValues: hyperparameters.map { ($0.name, $0.defaultValue) }))
    }
}

/// A hyperparameter value. Hyperparameters are data, not code: they are parsed, checked and recorded.
public enum HyperparameterValue: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
    case integer(Int)
    case real(Double)
    case boolean(Bool)
    case text(String)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) { self = .boolean(value); return }
        if let value = try? container.decode(Int.self) { self = .integer(value); return }
        if let value = try? container.decode(Double.self) { self = .real(value); return }
        self = .text(try container.decode(String.self))
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let value): try container.encode(value)
        case .real(let value): try container.encode(value)
        case .boolean(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }

    public var description: String {
        switch self {
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .boolean(let value): return value ? "true" : "false"
        case .text(let value): return value
        }
    }
}

/// What values a hyperparameter accepts.
public enum HyperparameterConstraint: Equatable, Sendable {
    case integer(ClosedRange<Int>)
    case real(ClosedRange<Double>)
    case boolean
    case choice([String])
    case text

    /// For error messages and `describe`: "an integer in 1...500", "one of: relu, tanh".
    public var allowedDescription: String {
        switch self {
        case .integer(let range): return "an integer in \(range.lowerBound)...\(range.upperBound)"
        case .real(let range): return "a number in \(range.lowerBound)...\(range.upperBound)"
        case .boolean: return "true or false"
        case .choice(let options): return "one of: \(options.joined(separator: ", "))"
        case .text: return "any text"
        }
    }

    /// The value in canonical form, or nil when it is not allowed. Integers are accepted for reals.
    public func validate(_ value: HyperparameterValue) -> HyperparameterValue? {
        switch (self, value) {
        case (.integer(let range), .integer(let v)):
            return range.contains(v) ? value : nil
        case (.integer(let range), .real(let v)):
            guard v.isFinite, v.rounded() == v, let i = Int(exactly: v), range.contains(i) else { return nil }
            return .integer(i)
        case (.real(let range), .real(let v)):
            return v.isFinite && range.contains(v) ? value : nil
        case (.real(let range), .integer(let v)):
            return range.contains(Double(v)) ? .real(Double(v)) : nil
        case (.boolean, .boolean):
            return value
        case (.choice(let options), .text(let v)):
            return options.contains(v) ? value : nil
        case (.text, .text):
            return value
        case (.text, _):
            return .text(value.description)
        default:
            return nil
        }
    }

    /// Parses command-line text (`--set key=text`) into a value, or nil when it is not allowed.
    public func parse(_ text: String) -> HyperparameterValue? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch self {
        case .integer:
            guard let v = Int(trimmed) else { return nil }
            return validate(.integer(v))
        case .real:
            guard let v = Double(trimmed) else { return nil }
            return validate(.real(v))
        case .boolean:
            switch trimmed.lowercased() {
            case "true", "yes", "on", "1": return .boolean(true)
            case "false", "no", "off", "0": return .boolean(false)
            default: return nil
            }
        case .choice, .text:
            return validate(.text(trimmed))
        }
    }
}

/// One documented hyperparameter of a recipe.
public struct HyperparameterSpec: Equatable, Sendable {
    public var name: String
    public var summary: String
    public var defaultValue: HyperparameterValue
    public var constraint: HyperparameterConstraint

    /// A default that breaks its own constraint is reported by the conformance suite (`isDefaultValid`).
    public init(name: String, summary: String, defaultValue: HyperparameterValue, constraint: HyperparameterConstraint) {
        self.name = name
        self.summary = summary
        self.defaultValue = defaultValue
        self.constraint = constraint
    }

    /// True when the default is allowed by the constraint, in canonical form.
    public var isDefaultValid: Bool { constraint.validate(defaultValue) == defaultValue }

    public static func integer(_ name: String, default value: Int, in range: ClosedRange<Int>, _ summary: String) -> Self {
        Self(name: name, summary: summary, defaultValue: .integer(value), constraint: .integer(range))
    }

    public static func real(_ name: String, default value: Double, in range: ClosedRange<Double>, _ summary: String) -> Self {
        Self(name: name, summary: summary, defaultValue: .real(value), constraint: .real(range))
    }

    public static func boolean(_ name: String, default value: Bool, _ summary: String) -> Self {
        Self(name: name, summary: summary, defaultValue: .boolean(value), constraint: .boolean)
    }

    public static func choice(_ name: String, default value: String, from options: [String], _ summary: String) -> Self {
        Self(name: name, summary: summary, defaultValue: .text(value), constraint: .choice(options))
    }

    public static func text(_ name: String, default value: String, _ summary: String) -> Self {
        Self(name: name, summary: summary, defaultValue: .text(value), constraint: .text)
    }
}
