/// The kind of a table column.
public enum ColumnKind: String, Codable, Sendable, CustomStringConvertible {
    case numeric
    case categorical
    public var description: String { rawValue }
}
