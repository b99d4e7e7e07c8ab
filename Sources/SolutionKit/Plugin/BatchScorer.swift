/// The text formats batch scoring reads and writes.
public enum ScoringFormat: String, CaseIterable, Codable, Sendable {
    case csv
    case jsonl
}

/// How to score: the format, plugin-specific string options (e.g. "id" column, "interval"), and the shard of the
/// rows to score (all of them by default; only scorers with `supportsSharding` are given another).
public struct ScoringOptions: Equatable, Sendable {
    /// The output format, and the input format of a scorer that reads both, unless `inputFormat` says otherwise.
    public var format: ScoringFormat
    public var values: [String: String]
    public var shard: RowShard
    /// The input's format when it differs from the output's (`launcher serve` turns JSON rows into CSV and
    /// answers in JSON lines); nil means `format`. Scorers that always read CSV ignore it.
    public var inputFormat: ScoringFormat?
    public init(format: ScoringFormat = .csv, values: [String: String] = [:], shard: RowShard = .whole,
                inputFormat: ScoringFormat? = nil) {
        self.format = format
        self.values = values
        self.shard = shard
        self.inputFormat = inputFormat
    }

    /// The format the input is read in.
    public var readFormat: ScoringFormat { inputFormat ?? format }
}

/// What a scoring pass did. `rowsRead == rowsScored + rowsRejected` always; the launcher checks it.
public struct ScoringSummary: Equatable, Sendable {
    public var rowsRead: Int
    public var rowsScored: Int
    public var rowsRejected: Int
    /// Things said once, e.g. "ignored extra columns: a, b".
    public var notes: [String]

    public init(rowsRead: Int = 0, rowsScored: Int = 0, rowsRejected: Int = 0, notes: [String] = []) {
        self.rowsRead = rowsRead
        self.rowsScored = rowsScored
        self.rowsRejected = rowsRejected
        self.notes = notes
    }

    /// True when every row read was either scored or rejected.
    public var isBalanced: Bool { rowsRead == rowsScored + rowsRejected }
}

/// Streams rows from a source to scored rows in a sink, in input order, with bounded memory.
///
/// A row that cannot be scored goes to `rejects` (when given) as `line,reason` with its 1-based line number,
/// and is counted; it never stops the pass. Only input that cannot be read at all (a missing column in the
/// header, an unreadable stream) throws. The scorer writes but never commits: the caller commits all sinks
/// together on success so a failed pass leaves no output.
public protocol BatchScorer {
    /// True when the scorer reads a folder itself (e.g. a folder of images). Then `launcher score --input FOLDER`
    /// hands it the folder's path as the one line of a list (after a `path` header); otherwise a folder is refused.
    var acceptsFolders: Bool { get }

    /// True when the scorer reads only the rows of `options.shard` (counting them, and only them, in its summary).
    /// The launcher refuses `--shard-count` for a scorer that does not, rather than let every shard score every row.
    var supportsSharding: Bool { get }

    /// True when the lines of the input name files that the scorer opens (e.g. image paths). A server must never
    /// hand such a scorer a client's text, which would let the client read the server's files; it sends the
    /// file's own bytes instead (see `DigitScorer`: a PNG given as the input itself).
    var readsFilesNamedInInput: Bool { get }

    func score(_ input: any ByteSource, into output: OutputSink, rejects: OutputSink?,
               options: ScoringOptions) throws -> ScoringSummary
}

extension BatchScorer {
    /// Row scorers (CSV, JSON lines) read files, not folders.
    public var acceptsFolders: Bool { false }

    /// A scorer opts in to sharding by declaring it (and the conformance suite then checks it).
    public var supportsSharding: Bool { false }
    public var readsFilesNamedInInput: Bool { false }
}
