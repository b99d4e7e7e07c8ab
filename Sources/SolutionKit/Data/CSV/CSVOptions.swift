/// The kind of a table column.
public enum ColumnKind: String, Codable, Sendable, CustomStringConvertible {
    case numeric
    case categorical
    public var description: String { rawValue }
}

/// How a CSV file is read. The defaults follow pandas' `read_csv`.
public struct CSVOptions: Sendable {
    /// The field delimiter; nil detects it from the first line among `,` `;` tab `|`.
    public var delimiter: UInt8?
    /// The quote byte (RFC 4180: `"`, doubled inside a quoted field).
    public var quote: UInt8 = UInt8(ascii: "\"")
    /// Whether the first record names the columns; without one, columns are named col1, col2, ...
    public var hasHeader: Bool = true
    /// Field values that mean "missing". Compared byte for byte with the unquoted field.
    public var missingTokens: [String] = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "?"]
    /// Forces a column's kind by name instead of inferring it.
    public var columnKinds: [String: ColumnKind] = [:]
    public var encoding: TextEncoding = .automatic

    public init(delimiter: UInt8? = nil, hasHeader: Bool = true,
                missingTokens: [String]? = nil, columnKinds: [String: ColumnKind] = [:],
                encoding: TextEncoding = .automatic) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        if let missingTokens { self.missingTokens = missingTokens }
        self.columnKinds = columnKinds
        self.encoding = encoding
    }

    /// The delimiters tried by detection, in order of preference on a tie.
    public static let detectableDelimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
}

/// The missing-value tokens as bytes, tested without allocating.
struct MissingTokenSet: Sendable {
    private let tokens: [[UInt8]]
    private let lengthMask: UInt64  // bit n set when some token has length n (n < 64)

    init(_ strings: [String]) {
        tokens = strings.map { Array($0.utf8) }
        var mask: UInt64 = 0
        for t in tokens where t.count < 64 { mask |= 1 << UInt64(t.count) }
        lengthMask = mask
    }

    @inline(__always)
    func contains(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let length = end - start
        guard length < 64, lengthMask & (1 << UInt64(length)) != 0 else { return false }
        if length == 0 { return true }
        for token in tokens where token.count == length {
            var equal = true
            token.withUnsafeBufferPointer { t in
                for k in 0..<length where t[k] != base[start + k] { equal = false; break }
            }
            if equal { return true }
        }
        return false
    }
}
