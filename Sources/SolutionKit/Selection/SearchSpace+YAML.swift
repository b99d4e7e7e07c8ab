import Yams

extension SearchSpace {
    /// The config file key whose mapping replaces a recipe's declared search space:
    ///
    /// ```yaml
    /// recipe: gbdt
    /// search_space:
    ///   learning_rate: {low: 0.01, high: 0.2, log: true}
    ///   num_leaves: {low: 8, high: 128, log: true}
    ///   objective: {choices: [regression, huber]}
    ///   huber_delta: {low: 0.5, high: 5, when: {objective: [huber]}}
    /// stages: num_iterations       # optional: the key CV early stopping chooses
    /// ```
    public static let configurationKey = "search_space"
    public static let stagesConfigurationKey = "stages"

    /// The search space a config file declares for `recipe`, or nil when it declares none. Errors name the file, line
    /// and key.
    public static func parse(configurationText text: String, for recipe: Recipe, path: String) throws -> SearchSpace? {
        guard let root = try? Yams.compose(yaml: text), let mapping = root.mapping else { return nil }
        guard let node = mapping[Node(configurationKey)] else { return nil }
        guard let entries = node.mapping else {
            throw SearchSpaceError("\(path): '\(configurationKey)' must be a mapping of hyperparameter names to ranges or choices")
        }
        var dimensions: [SearchDimension] = []
        for (keyNode, valueNode) in entries {
            let line = (keyNode.mark?.line).map { ", line \($0)" } ?? ""
            guard let key = keyNode.string else { throw SearchSpaceError("\(path)\(line): keys must be text") }
            guard let spec = recipe.specification(named: key) else {
                throw SearchSpaceError("\(path)\(line): search space key '\(key)' is not a hyperparameter of recipe "
                                       + "\(recipe.name); known: \(recipe.hyperparameters.map(\.name).joined(separator: ", "))")
            }
            dimensions.append(try dimension(key: key, spec: spec, node: valueNode, recipe: recipe, at: "\(path)\(line)"))
        }
        var stagesKey = recipe.searchSpace.stagesKey
        if let stages = mapping[Node(stagesConfigurationKey)] {
            stagesKey = stages.string.flatMap { $0 == "none" ? nil : $0 }
        }
        return try SearchSpace(dimensions, stagesKey: stagesKey, pinned: recipe.searchSpace.pinned).validated(for: recipe, source: path)
    }

    private static func dimension(key: String, spec: HyperparameterSpec, node: Node, recipe: Recipe,
                                  at location: String) throws -> SearchDimension {
        guard let fields = node.mapping else {
            throw SearchSpaceError("\(location): '\(key)' needs {low: A, high: B[, log: true]} or {choices: [...]}")
        }
        let allowed: Set<String> = ["low", "high", "log", "choices", "when"]
        for (fieldNode, _) in fields {
            guard let field = fieldNode.string, allowed.contains(field) else {
                throw SearchSpaceError("\(location): '\(key)' has an unknown field '\(fieldNode.string ?? "?")'; allowed: "
                                       + allowed.sorted().joined(separator: ", "))
            }
        }
        var condition: SearchDimension.Condition?
        if let when = fields[Node("when")] {
            guard let pairs = when.mapping, pairs.count == 1, let (otherNode, valuesNode) = pairs.first.map({ ($0.key, $0.value) }),
                  let other = otherNode.string, let otherSpec = recipe.specification(named: other) else {
                throw SearchSpaceError("\(location): '\(key)': 'when' needs one other hyperparameter and its values, e.g. "
                                       + "{when: {objective: [huber]}}")
            }
            let texts = valuesNode.sequence?.compactMap(\.string) ?? valuesNode.string.map { [$0] } ?? []
            let values = try texts.map { text -> HyperparameterValue in
                guard let value = otherSpec.constraint.parse(text) else {
                    throw SearchSpaceError("\(location): '\(key)': 'when' value \(text) is not allowed for \(other) "
                                           + "(\(otherSpec.constraint.allowedDescription))")
                }
                return value
            }
            condition = .init(key: other, values: values)
        }
        if let choices = fields[Node("choices")] {
            guard let items = choices.sequence else { throw SearchSpaceError("\(location): '\(key)': choices must be a list") }
            let values = try items.map { item -> HyperparameterValue in
                guard let text = item.string, let value = spec.constraint.parse(text) else {
                    throw SearchSpaceError("\(location): '\(key)': choice \(item.string ?? "?") is not allowed "
                                           + "(\(spec.constraint.allowedDescription))")
                }
                return value
            }
            return SearchDimension(key: key, domain: .choice(values), condition: condition)
        }
        guard let lowText = fields[Node("low")]?.string, let highText = fields[Node("high")]?.string else {
            throw SearchSpaceError("\(location): '\(key)' needs both low and high (or choices)")
        }
        let log = fields[Node("log")].flatMap { Bool.construct(from: $0.scalar ?? Node.Scalar("false")) } ?? false
        switch spec.constraint {
        case .integer:
            guard let low = Int(lowText), let high = Int(highText) else {
                throw SearchSpaceError("\(location): '\(key)' takes integers; got low \(lowText), high \(highText)")
            }
            guard low <= high else { throw SearchSpaceError("\(location): '\(key)': the range \(low)...\(high) is empty; give low < high") }
            return SearchDimension(key: key, domain: .integer(low...high, log: log), condition: condition)
        case .real:
            guard let low = Double(lowText), let high = Double(highText) else {
                throw SearchSpaceError("\(location): '\(key)' takes numbers; got low \(lowText), high \(highText)")
            }
            guard low <= high else { throw SearchSpaceError("\(location): '\(key)': the range \(low)...\(high) is empty; give low < high") }
            return SearchDimension(key: key, domain: .real(low...high, log: log), condition: condition)
        default:
            throw SearchSpaceError("\(location): '\(key)' is not numeric; give {choices: [...]}")
        }
    }
}
