import Foundation

/// The hyperparameters `tune` searches for one recipe, declared beside the recipe's hyperparameters.
///
/// A dimension is a range (linear or log scale) or a list of choices, optionally active only when another key has
/// one of some values (e.g. `alpha` only with `objective=quantile`). Keys not named keep the run's value (defaults,
/// `--config`, `--set`). `stagesKey` names the iteration count (boosting rounds, epochs) that cross-validation early
/// stopping chooses inside each trial, as `lgb.cv` does, when the plugin reports a staged metric.
public struct SearchSpace: Equatable, Sendable {
    public var dimensions: [SearchDimension]
    public var stagesKey: String?
    /// Settings every trial uses, e.g. ridge's `alpha_selection=loo`: an exact inner selection that makes searching
    /// the key itself pointless.
    public var pinned: [String: HyperparameterValue]
    /// The step-size key (a learning rate) the stage cap scales against: a trial at a third of the base rate needs about
    /// three times the rounds, so its cap is `base stages × base rate / trial rate` (never below the base cap), and
    /// CV early stopping ends the trial when its curve stalls. Without it a slow-learning trial hits the cap.
    public var stagesScaleWith: String?

    public init(_ dimensions: [SearchDimension] = [], stagesKey: String? = nil, pinned: [String: HyperparameterValue] = [:],
                stagesScaleWith: String? = nil) {
        self.dimensions = dimensions
        self.stagesKey = stagesKey
        self.pinned = pinned
        self.stagesScaleWith = stagesScaleWith
    }

    public var isEmpty: Bool { dimensions.isEmpty }

    /// Checks every key against the recipe and every range against the key's constraint; errors name the key.
    public func validated(for recipe: Recipe, source: String) throws -> SearchSpace {
        var seen = Set<String>()
        for dimension in dimensions {
            guard let spec = recipe.specification(named: dimension.key) else {
                throw SearchSpaceError("\(source): search space key '\(dimension.key)' is not a hyperparameter of recipe "
                                       + "\(recipe.name); known: \(recipe.hyperparameters.map(\.name).joined(separator: ", "))")
            }
            guard seen.insert(dimension.key).inserted else {
                throw SearchSpaceError("\(source): search space key '\(dimension.key)' is given twice")
            }
            try dimension.domain.check(against: spec.constraint, key: dimension.key, source: source)
            if let condition = dimension.condition {
                guard let other = recipe.specification(named: condition.key) else {
                    throw SearchSpaceError("\(source): '\(dimension.key)' is conditioned on '\(condition.key)', which is not a "
                                           + "hyperparameter of recipe \(recipe.name)")
                }
                for value in condition.values where other.constraint.validate(value) == nil {
                    throw SearchSpaceError("\(source): '\(dimension.key)' is conditioned on \(condition.key)=\(value), which "
                                           + "\(condition.key) cannot take (\(other.constraint.allowedDescription))")
                }
            }
        }
        for (key, value) in pinned.sorted(by: { $0.key < $1.key }) {
            guard let spec = recipe.specification(named: key), spec.constraint.validate(value) != nil else {
                throw SearchSpaceError("\(source): pinned setting \(key)=\(value) is not a valid hyperparameter of recipe \(recipe.name)")
            }
        }
        if let stagesKey {
            guard case .integer? = recipe.specification(named: stagesKey)?.constraint else {
                throw SearchSpaceError("\(source): stages key '\(stagesKey)' is not an integer hyperparameter of recipe \(recipe.name)")
            }
        }
        return self
    }

    /// The values of one point of the unit cube (one coordinate per dimension, each in [0, 1)) over `base`.
    /// Dimensions whose condition `base`-plus-earlier-values do not meet keep the base value.
    public func configuration(at unit: [Double], over base: RecipeConfiguration) -> RecipeConfiguration {
        var configuration = base
        for (key, value) in pinned { configuration.values[key] = value }
        for (dimension, u) in zip(dimensions, unit) {
            if let condition = dimension.condition,
               !(configuration.values[condition.key].map(condition.values.contains) ?? false) { continue }
            configuration.values[dimension.key] = dimension.domain.value(at: u)
        }
        return scalingStages(of: configuration, from: base)
    }

    /// The stage cap of `configuration` scaled by the base step size over its own (see `stagesScaleWith`).
    public func scalingStages(of configuration: RecipeConfiguration, from base: RecipeConfiguration) -> RecipeConfiguration {
        guard let stagesKey, let rateKey = stagesScaleWith,
              case .integer(let baseStages)? = base.values[stagesKey],
              let baseRate = Self.number(base.values[rateKey]), let rate = Self.number(configuration.values[rateKey]),
              baseRate > 0, rate > 0, rate < baseRate else { return configuration }
        var scaled = configuration
        // The tolerance keeps a rate of exactly a third from rounding 300.00000000000006 rounds up to 301.
        let stages = (Double(baseStages) * baseRate / rate - 1e-6).rounded(.up)
        // The recipes' own bound on stages (100,000) keeps a tiny rate from asking for an unbounded loop.
        scaled.values[stagesKey] = .integer(Int(min(stages, 100_000)))
        return scaled
    }

    private static func number(_ value: HyperparameterValue?) -> Double? {
        switch value {
        case .real(let v)?: return v
        case .integer(let v)?: return Double(v)
        default: return nil
        }
    }

    /// One line per dimension, for `describe` and reports: "learning_rate: 0.01...0.2 (log)".
    public var lines: [String] {
        dimensions.map(\.description) + (stagesKey.map { ["\($0): chosen by cross-validation early stopping"] } ?? [])
            + pinned.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value) in every trial" }
    }
}

/// One searched hyperparameter.
public struct SearchDimension: Equatable, Sendable, CustomStringConvertible {
    public enum Domain: Equatable, Sendable {
        case real(ClosedRange<Double>, log: Bool)
        case integer(ClosedRange<Int>, log: Bool)
        case choice([HyperparameterValue])

        /// The value at `u` in [0, 1): a quantile of the uniform (or log-uniform) distribution over the domain.
        func value(at u: Double) -> HyperparameterValue {
            let u = min(max(u, 0), 1.0.nextDown)
            switch self {
            case .real(let range, let log):
                guard range.upperBound > range.lowerBound else { return .real(range.lowerBound) }
                let raw: Double
                if log {
                    let (a, b) = (Foundation.log(range.lowerBound), Foundation.log(range.upperBound))
                    raw = exp(a + u * (b - a))
                } else {
                    raw = range.lowerBound + u * (range.upperBound - range.lowerBound)
                }
                // Four significant digits: finer steps change no model, and leaderboards and YAML stay readable.
                return .real(min(max(Self.rounded(raw), range.lowerBound), range.upperBound))
            case .integer(let range, let log):
                if log {
                    let (a, b) = (Foundation.log(Double(range.lowerBound)), Foundation.log(Double(range.upperBound) + 1))
                    return .integer(min(max(Int(exp(a + u * (b - a))), range.lowerBound), range.upperBound))
                }
                return .integer(range.lowerBound + min(Int(u * Double(range.count)), range.count - 1))
            case .choice(let values):
                return values[min(Int(u * Double(values.count)), values.count - 1)]
            }
        }

        static func rounded(_ value: Double) -> Double {
            guard value != 0, value.isFinite else { return value }
            let scale = pow(10, 3 - floor(log10(abs(value))))
            return (value * scale).rounded() / scale
        }

        func check(against constraint: HyperparameterConstraint, key: String, source: String) throws {
            func refuse(_ why: String) -> SearchSpaceError { SearchSpaceError("\(source): search space of '\(key)': \(why)") }
            switch self {
            case .real(let range, let log):
                guard range.lowerBound.isFinite, range.upperBound.isFinite, range.upperBound > range.lowerBound else {
                    throw refuse("the range \(range.lowerBound)...\(range.upperBound) is empty; give low < high")
                }
                if log && range.lowerBound <= 0 { throw refuse("a log scale needs a positive lower bound") }
                for end in [range.lowerBound, range.upperBound] where constraint.validate(.real(end)) == nil {
                    throw refuse("\(end) is outside what '\(key)' takes (\(constraint.allowedDescription))")
                }
            case .integer(let range, let log):
                guard range.upperBound > range.lowerBound else {
                    throw refuse("the range \(range.lowerBound)...\(range.upperBound) is empty; give low < high")
                }
                if log && range.lowerBound <= 0 { throw refuse("a log scale needs a positive lower bound") }
                for end in [range.lowerBound, range.upperBound] where constraint.validate(.integer(end)) == nil {
                    throw refuse("\(end) is outside what '\(key)' takes (\(constraint.allowedDescription))")
                }
            case .choice(let values):
                guard !values.isEmpty else { throw refuse("the list of choices is empty") }
                for value in values where constraint.validate(value) == nil {
                    throw refuse("\(value) is not allowed (\(constraint.allowedDescription))")
                }
            }
        }
    }

    /// The dimension is searched only when `key` has one of `values`.
    public struct Condition: Equatable, Sendable {
        public var key: String
        public var values: [HyperparameterValue]
        public init(key: String, values: [HyperparameterValue]) {
            self.key = key
            self.values = values
        }
    }

    public var key: String
    public var domain: Domain
    public var condition: Condition?

    public init(key: String, domain: Domain, condition: Condition? = nil) {
        self.key = key
        self.domain = domain
        self.condition = condition
    }

    public static func real(_ key: String, _ range: ClosedRange<Double>, log: Bool = false,
                            when condition: Condition? = nil) -> Self {
        Self(key: key, domain: .real(range, log: log), condition: condition)
    }

    public static func integer(_ key: String, _ range: ClosedRange<Int>, log: Bool = false,
                               when condition: Condition? = nil) -> Self {
        Self(key: key, domain: .integer(range, log: log), condition: condition)
    }

    public static func choice(_ key: String, _ values: [HyperparameterValue], when condition: Condition? = nil) -> Self {
        Self(key: key, domain: .choice(values), condition: condition)
    }

    public var description: String {
        let domain: String
        switch self.domain {
        case .real(let range, let log): domain = "\(range.lowerBound)...\(range.upperBound)" + (log ? " (log)" : "")
        case .integer(let range, let log): domain = "\(range.lowerBound)...\(range.upperBound)" + (log ? " (log)" : "")
        case .choice(let values): domain = "one of " + values.map(\.description).joined(separator: ", ")
        }
        let when = condition.map { " when \($0.key) is \($0.values.map(\.description).joined(separator: " or "))" } ?? ""
        return "\(key): \(domain)\(when)"
    }
}

/// A search space that cannot be used, naming the file and key.
public struct SearchSpaceError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
