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
