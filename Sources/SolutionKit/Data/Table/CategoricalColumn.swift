/// Strings stored as Int32 codes into a dictionary of categories; code -1 means missing.
///
/// Codes keep a million-row column small and make one-hot encoding and counting a table lookup.
public struct CategoricalColumn: Equatable, Sendable {
    public static let missingCode: Int32 = -1

    /// One code per row: an index into `categories`, or `missingCode`.
    public var codes: [Int32]
    /// The distinct values, in order of first appearance.
    public var categories: [String]

    public init(codes: [Int32], categories: [String]) {
        precondition(codes.allSatisfy { $0 >= -1 && Int($0) < categories.count }, "a code is outside the categories")
        self.codes = codes
        self.categories = categories
    }

    /// A column from optionals: nil is missing.
    public init(_ optionals: [String?]) {
        var index: [String: Int32] = [:]
        var categories: [String] = []
        codes = optionals.map { value in
            guard let value else { return CategoricalColumn.missingCode }
            if let code = index[value] { return code }
            let code = Int32(categories.count)
            index[value] = code
            categories.append(value)
            return code
        }
        self.categories = categories
    }

    public var count: Int { codes.count }
    public var missingCount: Int { codes.reduce(0) { $0 + ($1 < 0 ? 1 : 0) } }
    public func isMissing(_ row: Int) -> Bool { codes[row] < 0 }

    /// The value at `row`, nil when missing.
    public subscript(row: Int) -> String? { codes[row] < 0 ? nil : categories[Int(codes[row])] }

    /// How many rows hold each category, keyed by category.
    public func valueCounts() -> [String: Int] {
        var counts = [Int](repeating: 0, count: categories.count)
        for code in codes where code >= 0 { counts[Int(code)] += 1 }
        return Dictionary(uniqueKeysWithValues: zip(categories, counts))
    }

    /// The rows at `indices`, in that order (the dictionary is kept whole, so codes stay comparable).
    public func selecting(_ indices: [Int]) -> CategoricalColumn {
        CategoricalColumn(codes: indices.map { codes[$0] }, categories: categories)
    }
}
