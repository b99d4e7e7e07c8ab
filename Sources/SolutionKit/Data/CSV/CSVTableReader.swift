import Foundation

extension Table {
    /// Reads a whole CSV file into a table, inferring each column's kind.
    ///
    /// A column is numeric when every value that is not a missing-value token parses as a number, else
    /// categorical; `options.columnKinds` overrides that by name. A numeric column may not hold `inf`, `1e999` or
    /// (when "nan" is not a missing token) `nan`: those are errors naming the line and column, because a
    /// non-finite feature would silently poison a model. With `.automatic` encoding the file is UTF-8 when all of
    /// it is valid UTF-8, else Latin-1. Columns are built in parallel.
    public init(csv source: ByteSource, options: CSVOptions = CSVOptions()) throws {
        let reader = try CSVRecordReader(source, options: options)
        let names = reader.columnNames
        for name in options.columnKinds.keys.sorted() where !names.contains(name) {
            throw CSVError.unknownColumn(file: source.name, name: name)
        }
        var batches: [CSVRecordBatch] = []
        var rowCount = 0
        while let batch = try reader.nextBatch(maxRecords: 1 << 16) {
            for r in 0..<batch.count where batch.fieldCount(of: r) != names.count {
                throw CSVError.raggedRow(file: source.name, line: batch.lineNumber(of: r), expected: names.count, found: batch.fieldCount(of: r))
            }
            batches.append(batch)
            rowCount += batch.count
        }
        guard rowCount > 0 else { throw CSVError.noDataRows(file: source.name) }

        var encoding = options.encoding
        if encoding == .automatic {
            let valid = batches.allSatisfy { TextDecoding.isValidUTF8($0.storage.bytes, count: $0.storage.byteCount) }
            encoding = valid ? .utf8 : .latin1
        }
        let builder = CSVColumnBuilder(file: source.name, batches: batches, rowCount: rowCount, encoding: encoding)
        var results = [Result<Column, Error>?](repeating: nil, count: names.count)
        results.withUnsafeMutableBufferPointer { slots in
            parallelFor(names.count) { _, range in
                for c in range {
                    slots[c] = Result { try builder.column(c, name: names[c], kind: options.columnKinds[names[c]]) }
                }
            }
        }
        try self.init(columns: results.map { try $0!.get() })
    }

    /// Reads the CSV file at `path` (`-` for standard input).
    public init(csvFile path: String, options: CSVOptions = CSVOptions()) throws {
        try self.init(csv: try FileByteSource(path: path), options: options)
    }
}

/// Turns one column of the retained batches into a numeric or categorical column.
struct CSVColumnBuilder: @unchecked Sendable {
    let file: String
    let batches: [CSVRecordBatch]
    let rowCount: Int
    let encoding: TextEncoding

    func column(_ c: Int, name: String, kind: ColumnKind?) throws -> Column {
        if kind != .categorical {
            if let numeric = try numericColumn(c, name: name, required: kind == .numeric) {
                return .numeric(name, numeric)
            }
        }
        return .categorical(name, categoricalColumn(c))
    }

    /// The column as numbers, or nil when some value is not a number (an error instead when `required`).
    private func numericColumn(_ c: Int, name: String, required: Bool) throws -> NumericColumn? {
        var values = [Double](repeating: 0, count: rowCount)
        var missing = [Bool](repeating: false, count: rowCount)
        var row = 0
        for batch in batches {
            let bytes = UnsafePointer(batch.storage.bytes)
            for r in 0..<batch.count {
                let (start, end) = batch.range(c, of: r)
                if batch.missingTokens.contains(bytes, start, end) {
                    missing[row] = true
                } else if let value = ByteNumberParser.parseDouble(bytes, start, end) {
                    guard value.isFinite else {
                        throw CSVError.nonFiniteNumber(file: file, line: batch.lineNumber(of: r), column: name,
                                                       value: TextDecoding.string(bytes + start, count: end - start, encoding: encoding))
                    }
                    values[row] = value
                } else {
                    if required {
                        throw CSVError.notANumber(file: file, line: batch.lineNumber(of: r), column: name,
                                                  value: TextDecoding.string(bytes + start, count: end - start, encoding: encoding))
                    }
                    return nil
                }
                row += 1
            }
        }
        return NumericColumn(values: values, missing: missing)
    }

    private func categoricalColumn(_ c: Int) -> CategoricalColumn {
        var codes = [Int32](repeating: CategoricalColumn.missingCode, count: rowCount)
        let interner = ByteInterner()
        var row = 0
        for batch in batches {
            let bytes = UnsafePointer(batch.storage.bytes)
            for r in 0..<batch.count {
                let (start, end) = batch.range(c, of: r)
                if !batch.missingTokens.contains(bytes, start, end) {
                    codes[row] = interner.intern(bytes, start, end)
                }
                row += 1
            }
        }
        let categories = interner.keys().map { key in
            key.withUnsafeBufferPointer { TextDecoding.string($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, count: $0.count, encoding: encoding) }
        }
        return CategoricalColumn(codes: codes, categories: categories)
    }
}
