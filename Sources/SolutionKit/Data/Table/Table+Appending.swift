extension Table {
    /// These rows followed by `other`'s (a training file and its test file as one table).
    ///
    /// `other` must have the same column names (in any order) and kinds. A categorical column keeps its categories
    /// and adds the ones only `other` has after them, so existing codes stay valid. Row origins are appended too.
    public func appendingRows(of other: Table) throws -> Table {
        guard Set(other.columnNames) == Set(columnNames), other.columnCount == columnCount else {
            throw TableError.differentColumns(expected: columnNames, found: other.columnNames)
        }
        var merged: [Column] = []
        merged.reserveCapacity(columnCount)
        for column in columns {
            let addition = try other.column(named: column.name)
            switch (column.storage, addition.storage) {
            case (.numeric(let a), .numeric(let b)):
                merged.append(.numeric(column.name, NumericColumn(values: a.values + b.values, missing: a.missing + b.missing)))
            case (.categorical(let a), .categorical(let b)):
                var categories = a.categories
                var position = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, Int32($0)) })
                let remap: [Int32] = b.categories.map { category in
                    if let known = position[category] { return known }
                    let code = Int32(categories.count)
                    categories.append(category)
                    position[category] = code
                    return code
                }
                let codes = a.codes + b.codes.map { $0 < 0 ? CategoricalColumn.missingCode : remap[Int($0)] }
                merged.append(.categorical(column.name, CategoricalColumn(codes: codes, categories: categories)))
            default:
                throw TableError.wrongKind(column: column.name, expected: column.kind, found: addition.kind)
            }
        }
        var appendedOrigins: RowOrigins? = nil
        if let mine = origins, let theirs = other.origins { appendedOrigins = mine.appending(theirs) }
        return try Table(columns: merged, origins: appendedOrigins)
    }
}
