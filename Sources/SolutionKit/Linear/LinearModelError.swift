/// Why a linear model could not be fitted or applied; each case names the row, column or hyperparameter.
public enum LinearModelError: Error, CustomStringConvertible, Equatable, Sendable {
    case noRows
    case notAMatrix(shape: [Int])
    case countMismatch(field: String, expected: Int, got: Int)
    case nonFiniteFeature(row: Int, column: Int)
    case nonFiniteValue(field: String, row: Int)
    case negativeWeight(field: String, row: Int)
    case singleClass(label: Bool)
    case invalidLabel(row: Int, value: Int)
    case invalidHyperparameter(name: String, value: Double, requirement: String)
    case featureCountMismatch(expected: Int, got: Int)
    case singularSystem(model: String, hint: String)

    public var description: String {
        switch self {
        case .noRows:
            return "cannot fit a linear model on zero rows"
        case let .notAMatrix(shape):
            return "features must be a rows × features matrix (rank 2), got shape \(shape)"
        case let .countMismatch(field, expected, got):
            return "\(field) has \(got) values but the feature matrix has \(expected) rows"
        case let .nonFiniteFeature(row, column):
            return "feature value at row \(row), column \(column) is NaN or infinite"
        case let .nonFiniteValue(field, row):
            return "\(field)[\(row)] is NaN or infinite"
        case let .negativeWeight(field, row):
            return "\(field)[\(row)] is negative; weights must be ≥ 0"
        case let .singleClass(label):
            return "logistic regression needs both classes, but every label is \(label ? "positive (1)" : "negative (0)")"
        case let .invalidLabel(row, value):
            return "label[\(row)] is \(value); binary labels must be 0 or 1"
        case let .invalidHyperparameter(name, value, requirement):
            return "hyperparameter \(name) = \(value) is invalid: \(requirement)"
        case let .featureCountMismatch(expected, got):
            return "the model was fitted on \(expected) features but the input has \(got)"
        case let .singularSystem(model, hint):
            return "\(model): the normal equations are singular (\(hint))"
        }
    }
}
