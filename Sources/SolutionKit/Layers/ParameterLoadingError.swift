/// Why a list of named parameters does not fit a network.
///
/// Checked completely before anything is assigned, so a failed load leaves the network untouched.
public enum ParameterLoadingError: Error, CustomStringConvertible, Equatable {
    case countMismatch(expected: Int, found: Int)
    case nameMismatch(position: Int, expected: String, found: String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])
    case nonFiniteValue(name: String)

    public var description: String {
        switch self {
        case let .countMismatch(expected, found):
            return "the network has \(expected) parameter tensors, the stored weights have \(found)"
        case let .nameMismatch(position, expected, found):
            return "parameter #\(position) should be named '\(expected)', found '\(found)'"
        case let .shapeMismatch(name, expected, found):
            return "parameter '\(name)' should have shape \(expected), found \(found)"
        case let .nonFiniteValue(name):
            return "parameter '\(name)' contains NaN or infinite values"
        }
    }
}
