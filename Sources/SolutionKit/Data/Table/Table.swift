/// A columnar table: every column has the same number of rows, names are unique.
public struct Table: Equatable, Sendable {
    public private(set) var columns: [Column]
    public private(set) var rowCount: Int
    private var indexByName: [String: Int]
    /// The file and line of every row, when the table was read from files (nil when built in memory).
    public private(set) var origins: RowOrigins?

    /// A table of the given columns; they must have equal lengths and distinct names.
    public init(columns: [Column], origins: RowOrigins? = nil) throws {
        let rowCount = columns.first?.count ?? 0
        var indexByName: [String: Int] = [:]
        for (i, column) in columns.enumerated() {
            guard column.count == rowCount else {
                throw TableError.columnLengthMismatch(column: column.name, expected: rowCount, found: column.count)
            }
            guard indexByName[column.name] == nil else { throw TableError.duplicateColumn(column.name) }
            indexByName[column.name] = i
        }
        if let origins, origins.count != rowCount, !columns.isEmpty {
            throw TableError.columnLengthMismatch(column: "(row origins)", expected: rowCount, found: origins.count)
        }
        self.columns = columns
        self.rowCount = rowCount
        self.indexByName = indexByName
        self.origins = origins
    }

    /// Tables are equal when their columns are: where the rows were read is not part of the data.
    public static func == (lhs: Table, rhs: Table) -> Bool {
        lhs.columns == rhs.columns && lhs.rowCount == rhs.rowCount
    }

    /// Where `row` was read ("file, line N"), or just the row index for a table built in memory.
    public func location(ofRow row: Int) -> RowLocation {
        origins?.location(ofRow: row) ?? RowLocation(row: row)
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
        return try Table(columns: columns.map { $0.selecting(indices) }, origins: origins?.selecting(indices))
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
