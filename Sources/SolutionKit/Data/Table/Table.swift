/// A named column of a table.
public struct Column: Equatable, Sendable {
    public enum Storage: Equatable, Sendable {
        case numeric(NumericColumn)
        case categorical(CategoricalColumn)
    }

    public var name: String
    public var storage: Storage

    public init(name: String, storage: Storage) {
        self.name = name
        self.storage = storage
    }

    public static func numeric(_ name: String, _ column: NumericColumn) -> Column { Column(name: name, storage: .numeric(column)) }
    public static func categorical(_ name: String, _ column: CategoricalColumn) -> Column { Column(name: name, storage: .categorical(column)) }

    public var kind: ColumnKind {
        if case .numeric = storage { return .numeric }
        return .categorical
    }
    public var count: Int {
        switch storage {
        case .numeric(let c): return c.count
        case .categorical(let c): return c.count
        }
    }
    public var missingCount: Int {
        switch storage {
        case .numeric(let c): return c.missingCount
        case .categorical(let c): return c.missingCount
        }
    }
    /// The numbers, when this is a numeric column.
    public var numeric: NumericColumn? {
        if case .numeric(let c) = storage { return c }
        return nil
    }
    /// The codes and categories, when this is a categorical column.
    public var categorical: CategoricalColumn? {
        if case .categorical(let c) = storage { return c }
        return nil
    }

    public func selecting(_ indices: [Int]) -> Column {
        switch storage {
        case .numeric(let c): return Column(name: name, storage: .numeric(c.selecting(indices)))
        case .categorical(let c): return Column(name: name, storage: .categorical(c.selecting(indices)))
        }
    }
}

/// Errors about a table's shape or its columns.
public enum TableError: Error, Equatable, CustomStringConvertible {
    case columnLengthMismatch(column: String, expected: Int, found: Int)
    case duplicateColumn(String)
    case noSuchColumn(String, available: [String])
    case wrongKind(column: String, expected: ColumnKind, found: ColumnKind)
    case rowOutOfRange(row: Int, rowCount: Int)

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
        }
    }
}

/// A columnar table: every column has the same number of rows, names are unique.
public struct Table: Equatable, Sendable {
    public private(set) var columns: [Column]
    public private(set) var rowCount: Int
    private var indexByName: [String: Int]

    /// A table of the given columns; they must have equal lengths and distinct names.
    public init(columns: [Column]) throws {
        let rowCount = columns.first?.count ?? 0
        var indexByName: [String: Int] = [:]
        for (i, column) in columns.enumerated() {
            guard column.count == rowCount else {
                throw TableError.columnLengthMismatch(column: column.name, expected: rowCount, found: column.count)
            }
            guard indexByName[column.name] == nil else { throw TableError.duplicateColumn(column.name) }
            indexByName[column.name] = i
        }
        self.columns = columns
        self.rowCount = rowCount
        self.indexByName = indexByName
    }

    public var columnNames: [String] { columns.map(\.name) }
    public var columnCount: Int { columns.count }

    /// The column called `name`, or nil.
    public subscript(name: String) -> Column? {
        indexByName[name].map { columns[$0] }
    }

    /// The column called `name`, or an error listing the columns there are.
    public func column(named name: String) throws -> Column {
        guard let column = self[name] else { throw TableError.noSuchColumn(name, available: columnNames) }
        return column
    }

    /// The numeric column called `name` (an error when absent or categorical).
    public func numericColumn(named name: String) throws -> NumericColumn {
        let column = try column(named: name)
        guard let numeric = column.numeric else { throw TableError.wrongKind(column: name, expected: .numeric, found: .categorical) }
        return numeric
    }

    /// The rows at `indices` in that order (e.g. the training rows of a split).
    public func selectingRows(_ indices: [Int]) throws -> Table {
        if let bad = indices.first(where: { $0 < 0 || $0 >= rowCount }) { throw TableError.rowOutOfRange(row: bad, rowCount: rowCount) }
        return try Table(columns: columns.map { $0.selecting(indices) })
    }

    /// Removes and returns the column called `name` (e.g. the target).
    @discardableResult
    public mutating func removeColumn(named name: String) throws -> Column {
        guard let index = indexByName[name] else { throw TableError.noSuchColumn(name, available: columnNames) }
        let column = columns.remove(at: index)
        indexByName = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1.name, $0) })
        if columns.isEmpty { rowCount = 0 }
        return column
    }

    /// A copy without the column called `name`, and that column.
    public func takingColumn(named name: String) throws -> (table: Table, column: Column) {
        var copy = self
        let column = try copy.removeColumn(named: name)
        return (copy, column)
    }

    /// The names, kinds and categories of the columns.
    public var schema: TableSchema {
        TableSchema(columns: columns.map {
            TableSchema.ColumnDescription(name: $0.name, kind: $0.kind, categories: $0.categorical?.categories)
        })
    }
}
