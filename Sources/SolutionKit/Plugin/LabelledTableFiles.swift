import Foundation

/// A user's labelled table as a tabular plugin loads it: the data file, with the request's `--test` file appended
/// (its rows after the data file's), read with the request's `types=` and `bad_cells=` options (and, for evaluation
/// data, the column kinds of the model).
///
/// The test file is read with the data file's column kinds, so a text cell in a numeric column is an error naming
/// the test file's line (or a missing value with `bad_cells=missing`), and a category only the test file has stays
/// a category. It must have every column of the data file; its other columns are ignored, with a note.
public struct LabelledTableFiles {
    /// The rows of both files, with their files and lines (`Table.origins`).
    public var table: Table
    /// The files read, data file first (for the fingerprint and messages).
    public var files: [String]
    /// The test file's rows in `table`, when one was given.
    public var testRows: Range<Int>?
    /// What reading noticed, for the run's notes: cells read as missing, ignored test-file columns.
    public var notes: [String]

    public static func read(_ path: String, request: DataRequest, base: CSVOptions = CSVOptions()) throws -> LabelledTableFiles {
        let options = try request.csvOptions(base)
        let modelKinds = request.modelColumnKinds.filter { options.columnKinds[$0.key] == nil }
        let (training, report) = try Table.readCSV(try FileByteSource(path: path), options: options) { header in
            modelKinds.filter { header.contains($0.key) }
        }
        var notes = report.badCells.map { "\(path): \($0)" }
        guard let testPath = request.separateTestFile else {
            return LabelledTableFiles(table: training, files: [path], testRows: nil, notes: notes)
        }
        let kinds = Dictionary(uniqueKeysWithValues: training.columns.map { ($0.name, $0.kind) })
        var extra: [String] = []
        var testOptions = options
        testOptions.columnKinds = [:]
        var (test, testReport) = try Table.readCSV(try FileByteSource(path: testPath), options: testOptions) { header in
            let missing = training.columnNames.filter { !header.contains($0) }
            guard missing.isEmpty else {
                throw DataRequestError("\(testPath): the test file lacks the column\(missing.count == 1 ? "" : "s") "
                                       + "\(missing.map { "'\($0)'" }.joined(separator: ", ")) of the data file \(path) "
                                       + "(the test file has: \(header.joined(separator: ", ")))")
            }
            extra = header.filter { kinds[$0] == nil }
            // Ignored columns are read as text: they are dropped, and must not fail the read.
            return kinds.merging(extra.map { ($0, .categorical) }) { a, _ in a }
        }
        for name in extra { try test.removeColumn(named: name) }
        if !extra.isEmpty {
            notes.append("\(testPath): column\(extra.count == 1 ? "" : "s") \(extra.map { "'\($0)'" }.joined(separator: ", ")) "
                         + "\(extra.count == 1 ? "is" : "are") not in the data file and \(extra.count == 1 ? "is" : "are") ignored")
        }
        notes += testReport.badCells.map { "\(testPath): \($0)" }
        let table = try training.appendingRows(of: test)
        return LabelledTableFiles(table: table, files: [path, testPath], testRows: training.rowCount..<table.rowCount, notes: notes)
    }

    /// SHA-256 over every file read.
    public func fingerprint() throws -> String { try DatasetFingerprint.sha256(ofFiles: files) }

    /// Takes the target column out of `table`, or an error naming the columns there are.
    public mutating func removeTarget(_ name: String) throws -> Column {
        guard table.columnNames.contains(name) else {
            throw DataRequestError("\(files[0]): no target column '\(name)'; the columns are: \(table.columnNames.joined(separator: ", "))")
        }
        return try table.removeColumn(named: name)
    }

    /// Takes the row-id column out of `table` (it is not learned from; `split=id` reads it): `--option id=COLUMN`,
    /// else a column named id (any case), else, with `unnamedFirstColumn`, a first column with an empty name.
    public mutating func removeIDColumn(_ request: DataRequest, unnamedFirstColumn: Bool = false) throws -> SplitIDs? {
        let name = request.options["id"] ?? table.columnNames.first { $0.lowercased() == "id" }
            ?? (unnamedFirstColumn && table.columnNames.first == "" ? "" : nil)
        guard let name else { return nil }
        guard table.columnNames.contains(name) else { throw DataRequestError("\(files[0]): no id column '\(name)'") }
        return SplitIDs(column: try table.removeColumn(named: name), origins: table.origins)
    }
}
