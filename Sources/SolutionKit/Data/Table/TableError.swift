/// Errors about a table's shape or its columns.
public enum TableError: Error, Equatable, CustomStringConvertible {
    case columnLengthMismatch(column: String, expected: Int, found: Int)
    case duplicateColumn(String)
    case noSuchColumn(String, available: [String])
    case wrongKind(column: String, expected: ColumnKind, found: ColumnKind)
    case rowOutOfRange(row: Int, rowCount: Int)
    case differentColumns(expected: [String], found: [String])

    public var description: String {
        switch self {
        case .columnLengthMismatch(let column, let expected, let found):
            return "column '\(column)' has \(found) rows, but the table has \(expected)"
        case .duplicateColumn(let name):
            return "column '\(name)' appears twice in the table"
        case .noSuchColumn(let name, let available):
            return "no column '\(name)'; the columns are: \(available.joined(separator: ", "))"
        case .wrongKind(let column, let expected, let found):
            return "column '\(column)' is \(found), expected \(expected)"
        case .rowOutOfRange(let row, let rowCount):
            return "row index \(row) is outside 0..<\(rowCount)"
        case .differentColumns(let expected, let found):
            return "the tables have different columns: \(expected.joined(separator: ", ")) and \(found.joined(separator: ", "))"
        }
    }
}
