/// Why preprocessing could not be fitted or applied, naming the column (and row, when there is one).
public enum PreprocessingError: Error, Equatable, CustomStringConvertible {
    case emptyTrainingRows
    case missingColumn(String)
    case wrongKind(column: String, expected: ColumnKind, found: ColumnKind)
    case unseenCategory(RowLocation, column: String, value: String)
    case nonFiniteValue(RowLocation, column: String, value: Double)
    case targetOutOfDomain(index: Int, value: Double, transform: String)

    public var description: String {
        switch self {
        case .emptyTrainingRows:
            return "preprocessing cannot be fitted on zero training rows"
        case .missingColumn(let name):
            return "column '\(name)' that the preprocessing was fitted on is missing"
        case .wrongKind(let column, let expected, let found):
            return "column '\(column)' is \(found), but the preprocessing was fitted on a \(expected) column"
        case .unseenCategory(let location, let column, let value):
            return "\(location), column '\(column)': unseen category '\(value)'"
        case .nonFiniteValue(let location, let column, let value):
            return "\(location), column '\(column)': \(value.isNaN ? "NaN" : "infinite") value"
        case .targetOutOfDomain(let index, let value, let transform):
            return "target value \(value) at row \(index) is outside the domain of \(transform) (it must be greater than -1)"
        }
    }
}
