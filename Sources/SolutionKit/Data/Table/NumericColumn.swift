/// Numbers with a missing mask. Values are Double so ids and targets such as prices keep every digit;
/// preprocessing turns them into Float features.
public struct NumericColumn: Equatable, Sendable {
    /// The values; a missing entry holds 0 (never read: check `missing` first).
    public var values: [Double]
    /// True where the value is missing.
    public var missing: [Bool]

    public init(values: [Double], missing: [Bool]? = nil) {
        precondition(missing == nil || missing!.count == values.count, "missing mask length must equal the value count")
        self.values = values
        self.missing = missing ?? [Bool](repeating: false, count: values.count)
    }

    /// A column from optionals: nil is missing.
    public init(_ optionals: [Double?]) {
        values = optionals.map { $0 ?? 0 }
        missing = optionals.map { $0 == nil }
    }

    public var count: Int { values.count }
    public var missingCount: Int { missing.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// The value at `row`, nil when missing.
    public subscript(row: Int) -> Double? { missing[row] ? nil : values[row] }

    /// The rows at `indices`, in that order.
    public func selecting(_ indices: [Int]) -> NumericColumn {
        NumericColumn(values: indices.map { values[$0] }, missing: indices.map { missing[$0] })
    }
}
