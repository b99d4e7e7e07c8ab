/// Where each row of a table was read: the file and its 1-based line (the header is line 1), so that an error
/// found after rows were selected, split or appended still names the line an editor shows.
public struct RowOrigins: Equatable, Sendable {
    /// The files rows came from (a table read from one file has one; a training file and its test file, two).
    public private(set) var files: [String]
    /// Per row: an index into `files`.
    private var fileIndices: [Int32]
    /// Per row: the line where the row's record starts.
    private var lines: [Int]

    /// Every row from `file`, at `lines`.
    public init(file: String, lines: [Int]) {
        files = [file]
        fileIndices = [Int32](repeating: 0, count: lines.count)
        self.lines = lines
    }

    public var count: Int { lines.count }

    /// The file and line of `row`.
    public func location(ofRow row: Int) -> RowLocation {
        guard row >= 0 && row < lines.count else { return RowLocation(row: row) }
        return RowLocation(row: row, file: files[Int(fileIndices[row])], line: lines[row])
    }

    /// The origins of the rows at `indices`, in that order.
    public func selecting(_ indices: [Int]) -> RowOrigins {
        var copy = self
        copy.fileIndices = indices.map { fileIndices[$0] }
        copy.lines = indices.map { lines[$0] }
        return copy
    }

    /// These rows followed by `other`'s.
    public func appending(_ other: RowOrigins) -> RowOrigins {
        var copy = self
        var remap: [Int32] = []
        for file in other.files {
            if let known = copy.files.firstIndex(of: file) {
                remap.append(Int32(known))
            } else {
                remap.append(Int32(copy.files.count))
                copy.files.append(file)
            }
        }
        copy.fileIndices += other.fileIndices.map { remap[Int($0)] }
        copy.lines += other.lines
        return copy
    }
}

/// A row as people should read it in a message: "homes.csv, line 154" when the table knows its file, else
/// "row 153" (a table built in memory has no lines).
public struct RowLocation: Equatable, Sendable, CustomStringConvertible {
    /// The 0-based row index in the table it was found in.
    public var row: Int
    public var file: String?
    public var line: Int?

    public init(row: Int, file: String? = nil, line: Int? = nil) {
        self.row = row
        self.file = file
        self.line = line
    }

    public var description: String {
        if let file, let line { return "\(file), line \(line)" }
        return "row \(row)"
    }
}
