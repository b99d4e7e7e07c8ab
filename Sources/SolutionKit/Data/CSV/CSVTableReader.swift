import Foundation

extension Table {
    /// Reads a whole CSV file into a table, inferring each column's kind.
    ///
    /// A column is numeric when its values (those that are not missing-value tokens) are numbers, and categorical
    /// when most of them are text. A column that is mostly numbers with some text in it (`12,5`, `n.a.`, a unit
    /// typed into one cell) is neither silently: it is an error naming the first bad line, the column and the share
    /// of bad cells, unless `options.badNumericCells` is `.missing` (then those cells are missing values, counted in
    /// `readCSV`'s report). `options.columnKinds` overrides inference by name. A numeric column may not hold `inf`,
    /// `1e999` or (when "nan" is not a missing token) `nan` either: a non-finite feature would silently poison a
    /// model. With `.automatic` encoding the file is UTF-8 when all of it is valid UTF-8, else Latin-1. Every row
    /// keeps its file and line (`origins`). Columns are built in parallel.
    public init(csv source: ByteSource, options: CSVOptions = CSVOptions()) throws {
        self = try Table.readCSV(source, options: options).table
    }

    /// Reads the CSV file at `path` (`-` for standard input).
    public init(csvFile path: String, options: CSVOptions = CSVOptions()) throws {
        try self.init(csv: try FileByteSource(path: path), options: options)
    }

    /// The table and what reading it noticed (cells read as missing under `BadCellPolicy.missing`).
    public static func readCSV(_ source: ByteSource, options: CSVOptions = CSVOptions()) throws -> (table: Table, report: CSVReadReport) {
        try readCSV(source, options: options, kindsForHeader: nil)
    }

    /// `readCSV` with kinds decided once the header is known (a test file takes its training file's kinds).
    static func readCSV(_ source: ByteSource, options: CSVOptions,
                        kindsForHeader: (([String]) throws -> [String: ColumnKind])?) throws -> (table: Table, report: CSVReadReport) {
        let reader = try CSVRecordReader(source, options: options)
        let names = reader.columnNames
        for name in options.columnKinds.keys.sorted() where !names.contains(name) {
            throw CSVError.unknownColumn(file: source.name, name: name)
        }
        var kinds = options.columnKinds
        if let kindsForHeader { kinds.merge(try kindsForHeader(names)) { _, new in new } }
        var batches: [CSVRecordBatch] = []
        var rowCount = 0
        var lines: [Int] = []
        while let batch = try reader.nextBatch(maxRecords: 1 << 16) {
            for r in 0..<batch.count {
                guard batch.fieldCount(of: r) == names.count else {
                    throw CSVError.raggedRow(file: source.name, line: batch.lineNumber(of: r), expected: names.count, found: batch.fieldCount(of: r))
                }
                lines.append(batch.lineNumber(of: r))
            }
            batches.append(batch)
            rowCount += batch.count
        }
        guard rowCount > 0 else { throw CSVError.noDataRows(file: source.name) }

        var encoding = options.encoding
        if encoding == .automatic {
            let valid = batches.allSatisfy { TextDecoding.isValidUTF8($0.bytes, count: $0.byteCount) }
            encoding = valid ? .utf8 : .latin1
        }
        let builder = CSVColumnBuilder(file: source.name, batches: batches, rowCount: rowCount, encoding: encoding,
                                       badCells: options.badNumericCells)
        var results = [Result<(Column, CSVReadReport.BadCells?), Error>?](repeating: nil, count: names.count)
        results.withUnsafeMutableBufferPointer { slots in
            parallelFor(names.count) { _, range in
                for c in range {
                    slots[c] = Result { try builder.column(c, name: names[c], kind: kinds[names[c]]) }
                }
            }
        }
        let built = try results.map { try $0!.get() }
        let table = try Table(columns: built.map(\.0), origins: RowOrigins(file: source.name, lines: lines))
        return (table, CSVReadReport(badCells: built.compactMap(\.1)))
    }
}

/// What reading a CSV file into a table noticed.
public struct CSVReadReport: Equatable, Sendable {
    /// Cells of a numeric column that were not finite numbers and were read as missing (`BadCellPolicy.missing`).
    public struct BadCells: Equatable, Sendable, CustomStringConvertible {
        public var column: String
        public var count: Int
        /// The first such cell: its line and text.
        public var firstLine: Int
        public var firstValue: String

        public var description: String {
            "column '\(column)': \(count) cell\(count == 1 ? "" : "s") that \(count == 1 ? "is" : "are") not a number read as "
                + "missing (first: line \(firstLine), '\(firstValue)')"
        }
    }

    public var badCells: [BadCells] = []

    public init(badCells: [BadCells] = []) {
        self.badCells = badCells
    }
}

/// Turns one column of the retained batches into a numeric or categorical column.
struct CSVColumnBuilder: @unchecked Sendable {
    let file: String
    let batches: [CSVRecordBatch]
    let rowCount: Int
    let encoding: TextEncoding
    let badCells: BadCellPolicy

    func column(_ c: Int, name: String, kind: ColumnKind?) throws -> (Column, CSVReadReport.BadCells?) {
        if kind != .categorical, let (numeric, bad) = try numericColumn(c, name: name, declared: kind == .numeric) {
            return (.numeric(name, numeric), bad)
        }
        return (.categorical(name, categoricalColumn(c)), nil)
    }

    /// A cell that is not a finite number, as found.
    private struct BadCell {
        var line: Int
        var value: String
    }

    /// The column as numbers, or nil when it is categorical (most of its values are text; never when `declared`).
    ///
    /// A column whose values are mostly numbers but not all is "numeric with bad cells": an error, or with
    /// `BadCellPolicy.missing` a numeric column with those cells missing.
    private func numericColumn(_ c: Int, name: String, declared: Bool) throws -> (NumericColumn, CSVReadReport.BadCells?)? {
        var values = [Double](repeating: 0, count: rowCount)
        var missing = [Bool](repeating: false, count: rowCount)
        var numbers = 0, texts = 0, nonFinite = 0
        var firstText: BadCell? = nil, firstNonFinite: BadCell? = nil
        var row = 0
        for batch in batches {
            let bytes = batch.bytes
            for r in 0..<batch.count {
                let (start, end) = batch.range(c, of: r)
                if batch.missingTokens.contains(bytes, start, end) {
                    missing[row] = true
                } else if let value = ByteNumberParser.parseDouble(bytes, start, end) {
                    numbers += 1
                    if value.isFinite {
                        values[row] = value
                    } else {
                        nonFinite += 1
                        missing[row] = true
                        if firstNonFinite == nil { firstNonFinite = cell(batch, r, start, end) }
                    }
                } else {
                    texts += 1
                    missing[row] = true
                    if firstText == nil { firstText = cell(batch, r, start, end) }
                    if declared && badCells == .error {
                        throw CSVError.notANumber(file: file, line: firstText!.line, column: name, value: firstText!.value)
                    }
                    // Mostly text whatever the remaining rows hold: a categorical column.
                    if !declared && texts >= numbers + (rowCount - row - 1) { return nil }
                }
                row += 1
            }
        }
        if texts > 0 && !declared && numbers <= texts { return nil }
        let badCount = texts + nonFinite
        guard badCount > 0 else { return (NumericColumn(values: values, missing: missing), nil) }
        if badCells == .error {
            if let firstText {
                throw CSVError.mostlyNumericColumn(file: file, line: firstText.line, column: name, value: firstText.value,
                                                   badCells: texts, values: numbers + texts)
            }
            throw CSVError.nonFiniteNumber(file: file, line: firstNonFinite!.line, column: name, value: firstNonFinite!.value)
        }
        let first = [firstText, firstNonFinite].compactMap { $0 }.min { $0.line < $1.line }!
        return (NumericColumn(values: values, missing: missing),
                CSVReadReport.BadCells(column: name, count: badCount, firstLine: first.line, firstValue: first.value))
    }

    private func cell(_ batch: CSVRecordBatch, _ r: Int, _ start: Int, _ end: Int) -> BadCell {
        BadCell(line: batch.lineNumber(of: r), value: TextDecoding.string(batch.bytes + start, count: end - start, encoding: encoding))
    }

    private func categoricalColumn(_ c: Int) -> CategoricalColumn {
        var codes = [Int32](repeating: CategoricalColumn.missingCode, count: rowCount)
        var interner = ByteInterner()
        var row = 0
        for batch in batches {
            let bytes = batch.bytes
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
