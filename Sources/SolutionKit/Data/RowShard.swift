/// One of `count` deterministic parts of a stream of rows, so a scheduler (a job array, Kubernetes Indexed Jobs,
/// a shell loop) can split one file among N independent processes that each read all of it.
///
/// Row k (0-based, in reading order: the data records of a CSV file, header and blank lines excluded; the lines of
/// a JSON-lines file; the images of a list) is in part `k % count`. A modulo rule needs no row count up front, so it
/// works on standard input, and its parts are balanced to within one row. The parts are disjoint and together
/// hold every row, so the union of the N outputs is the unsharded output.
public struct RowShard: Equatable, Hashable, Sendable, CustomStringConvertible {
    public let index: Int
    public let count: Int

    /// All rows: the one part of one.
    public static let whole = RowShard(validIndex: 0, count: 1)

    /// Nil unless `count >= 1` and `0 <= index < count`.
    public init?(index: Int, count: Int) {
        guard count >= 1, (0..<count).contains(index) else { return nil }
        self.init(validIndex: index, count: count)
    }

    private init(validIndex: Int, count: Int) {
        self.index = validIndex
        self.count = count
    }

    public var isWhole: Bool { count == 1 }

    /// Whether row `row` (0-based, in reading order) is in this part.
    @inline(__always)
    public func contains(row: Int) -> Bool { count == 1 || row % count == index }

    public var description: String { "shard \(index) of \(count) (rows k with k mod \(count) = \(index))" }
}
