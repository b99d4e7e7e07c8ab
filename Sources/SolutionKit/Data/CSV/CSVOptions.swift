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
    /// What a cell of a numeric column that is not a finite number becomes: an error naming its line (default),
    /// or a missing value, counted in the read report.
    public var badNumericCells: BadCellPolicy = .error

    public init(delimiter: UInt8? = nil, hasHeader: Bool = true,
                missingTokens: [String]? = nil, columnKinds: [String: ColumnKind] = [:],
                encoding: TextEncoding = .automatic, badNumericCells: BadCellPolicy = .error) {
        self.delimiter = delimiter
        self.hasHeader = hasHeader
        if let missingTokens { self.missingTokens = missingTokens }
        self.columnKinds = columnKinds
        self.encoding = encoding
        self.badNumericCells = badNumericCells
    }

    /// The delimiters tried by detection, in order of preference on a tie.
    public static let detectableDelimiters: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]
}

/// What to do with a cell of a numeric column that is not a number (text such as `12,5` or `n.a.`) or not finite.
public enum BadCellPolicy: String, CaseIterable, Sendable {
    /// Refuse the file, naming the line, the column and how many cells are bad.
    case error
    /// Read the cell as a missing value (imputed like any other), and count it.
    case missing
}
