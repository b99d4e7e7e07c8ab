/// The columns a model was trained on: names, kinds and (for categorical columns) the categories seen.
///
/// A model bundle stores it, and scoring checks an input header against it before reading any row.
public struct TableSchema: Codable, Equatable, Sendable {
    public struct ColumnDescription: Codable, Equatable, Sendable {
        public var name: String
        public var kind: ColumnKind
        public var categories: [String]?

        public init(name: String, kind: ColumnKind, categories: [String]? = nil) {
            self.name = name
            self.kind = kind
            self.categories = categories
        }
    }

    public var columns: [ColumnDescription]

    public init(columns: [ColumnDescription]) {
        self.columns = columns
    }

    public var columnNames: [String] { columns.map(\.name) }

    /// How an input header lines up with the schema.
    public struct HeaderMatch: Equatable, Sendable {
        /// For each schema column, in schema order, its position in the header.
        public var fieldIndices: [Int]
        /// Header columns the schema does not use, in header order: a caller says once that they are ignored.
        public var extraColumns: [String]
        /// The number of fields every input record should have.
        public var headerFieldCount: Int
    }

    /// Lines `header` up with the schema. A schema column absent from the header is an error naming it
    /// (and `source`, the file); extra header columns are returned, not rejected.
    public func match(header: [String], source: String = "input") throws -> HeaderMatch {
        var position: [String: Int] = [:]
        for (i, name) in header.enumerated() where position[name] == nil { position[name] = i }
        var indices: [Int] = []
        var missing: [String] = []
        for column in columns {
            if let i = position[column.name] { indices.append(i) } else { missing.append(column.name) }
        }
        guard missing.isEmpty else { throw SchemaError.missingColumns(source: source, names: missing, header: header) }
        let used = Set(columns.map(\.name))
        return HeaderMatch(fieldIndices: indices, extraColumns: header.filter { !used.contains($0) }, headerFieldCount: header.count)
    }
}

public enum SchemaError: Error, Equatable, CustomStringConvertible {
    case missingColumns(source: String, names: [String], header: [String])

    public var description: String {
        switch self {
        case .missingColumns(let source, let names, let header):
            let list = names.map { "'\($0)'" }.joined(separator: ", ")
            return "\(source), line 1: missing column\(names.count == 1 ? "" : "s") \(list) required by the model (the header has: \(header.joined(separator: ", ")))"
        }
    }
}
