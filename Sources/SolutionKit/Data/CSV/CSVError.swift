import Foundation

/// A CSV input that cannot be read, with the file, line and column it concerns.
///
/// Lines are 1-based physical lines of the file (the header is line 1); a record that spans lines (a quoted
/// newline) is named by the line it starts on.
public enum CSVError: Error, Equatable, CustomStringConvertible {
    case emptyInput(file: String)
    case noDataRows(file: String)
    case duplicateColumnName(file: String, name: String, firstColumn: Int, secondColumn: Int)
    case raggedRow(file: String, line: Int, expected: Int, found: Int)
    case unterminatedQuote(file: String, line: Int, column: String)
    case notANumber(file: String, line: Int, column: String, value: String)
    case nonFiniteNumber(file: String, line: Int, column: String, value: String)
    /// A column whose values are mostly numbers, with `badCells` of its `values` non-missing cells not numbers.
    case mostlyNumericColumn(file: String, line: Int, column: String, value: String, badCells: Int, values: Int)
    case unknownColumn(file: String, name: String)

    public var description: String {
        switch self {
        case .emptyInput(let file):
            return "\(file): the file is empty (no header and no rows)"
        case .noDataRows(let file):
            return "\(file): the file has a header but no data rows"
        case .duplicateColumnName(let file, let name, let first, let second):
            return "\(file), line 1: column name '\(name)' appears twice (columns \(first) and \(second))"
        case .raggedRow(let file, let line, let expected, let found):
            return "\(file), line \(line): expected \(expected) fields, found \(found)"
        case .unterminatedQuote(let file, let line, let column):
            return "\(file), line \(line), column '\(column)': a quoted field is not closed before the end of the input"
        case .notANumber(let file, let line, let column, let value):
            return "\(file), line \(line), column '\(column)': '\(value)' is not a number"
        case .nonFiniteNumber(let file, let line, let column, let value):
            return "\(file), line \(line), column '\(column)': '\(value)' is not a finite number"
        case .mostlyNumericColumn(let file, let line, let column, let value, let bad, let values):
            let share = 100 * Double(bad) / Double(max(values, 1))
            return "\(file), line \(line), column '\(column)': '\(value)' is not a number, in a column of numbers "
                + "(\(bad) of its \(values) values, \(CSVError.percent(share)), are not numbers); fix the cells, read them as "
                + "missing values with --option bad_cells=missing, or declare the column's type with "
                + "--option types=\(column):categorical"
        case .unknownColumn(let file, let name):
            return "\(file): a column kind was given for '\(name)', which is not a column of the file"
        }
    }

    /// "0.05%", "12%": enough digits to show a small share is not zero.
    static func percent(_ value: Double) -> String {
        value >= 10 ? "\(Int(value.rounded()))%" : value >= 1 ? String(format: "%.1f%%", value) : String(format: "%.2g%%", value)
    }
}
