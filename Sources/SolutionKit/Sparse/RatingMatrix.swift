/// Why a sparse matrix could not be built; each case names the offending entry.
public enum SparseMatrixError: Error, Equatable, CustomStringConvertible, Sendable {
    case countMismatch(users: Int, items: Int, values: Int)
    case indexOutOfRange(entry: Int, user: Int32, item: Int32, userCount: Int, itemCount: Int)
    case duplicateEntry(user: Int32, item: Int32, first: Int, second: Int)
    case nonFinite(entry: Int)

    public var description: String {
        switch self {
        case let .countMismatch(users, items, values):
            return "sparse matrix: \(users) user indices, \(items) item indices and \(values) values; the counts must match"
        case let .indexOutOfRange(entry, user, item, userCount, itemCount):
            return "sparse matrix: entry \(entry) (user \(user), item \(item)) is outside \(userCount) users × \(itemCount) items"
        case let .duplicateEntry(user, item, first, second):
            return "sparse matrix: entries \(first) and \(second) both hold user \(user), item \(item)"
        case let .nonFinite(entry):
            return "sparse matrix: the value of entry \(entry) is NaN or infinite"
        }
    }
}

/// A user × item matrix of observed values (ratings), stored both by row (CSR) and by column (CSC).
///
/// Collaborative filtering walks a user's items (user biases, user factors, the items to exclude from a
/// top-N list) and an item's users (item biases, item factors, item–item similarities) equally often, so both
/// orders are kept. Indices are 0-based `Int32` (dense ids from an id map); values are `Float`. Within a row the
/// items are sorted ascending, within a column the users are. `cscToCSR[k]` is the CSR position of the k-th
/// CSC entry, so per-entry state (residuals) can be kept once and reached from either side.
public struct RatingMatrix: Sendable {
    public let userCount: Int
    public let itemCount: Int
    /// CSR: the entries of user u are `userStarts[u]..<userStarts[u+1]`.
    public let userStarts: [Int]
    public let userItems: [Int32]
    public let userValues: [Float]
    /// CSC: the entries of item i are `itemStarts[i]..<itemStarts[i+1]`.
    public let itemStarts: [Int]
    public let itemUsers: [Int32]
    public let itemValues: [Float]
    public let cscToCSR: [Int32]

    public var count: Int { userItems.count }

    /// The mean of all values (0 for an empty matrix).
    public var mean: Double {
        guard count > 0 else { return 0 }
        var sum = 0.0
        for v in userValues { sum += Double(v) }
        return sum / Double(count)
    }

    /// Builds both orders from coordinate triplets. A repeated (user, item) pair is an error: callers decide
    /// their own duplicate policy before building (keep the latest, average, refuse).
    public init(userCount: Int, itemCount: Int, users: [Int32], items: [Int32], values: [Float]) throws {
        guard users.count == items.count, items.count == values.count else {
            throw SparseMatrixError.countMismatch(users: users.count, items: items.count, values: values.count)
        }
        let n = users.count
        var rowCounts = [Int](repeating: 0, count: userCount + 1)
        var colCounts = [Int](repeating: 0, count: itemCount + 1)
        for k in 0..<n {
            let u = users[k], i = items[k]
            guard u >= 0, Int(u) < userCount, i >= 0, Int(i) < itemCount else {
                throw SparseMatrixError.indexOutOfRange(entry: k, user: u, item: i, userCount: userCount, itemCount: itemCount)
            }
            guard values[k].isFinite else { throw SparseMatrixError.nonFinite(entry: k) }
            rowCounts[Int(u) + 1] += 1
            colCounts[Int(i) + 1] += 1
        }
        for u in 0..<userCount { rowCounts[u + 1] += rowCounts[u] }
        for i in 0..<itemCount { colCounts[i + 1] += colCounts[i] }

        // CSR by counting sort on items first (so rows come out sorted by item), then stable by user.
        var byItem = [Int](repeating: 0, count: n)
        var next = colCounts
        for k in 0..<n {
            let i = Int(items[k])
            byItem[next[i]] = k
            next[i] += 1
        }
        var csrItems = [Int32](repeating: 0, count: n)
        var csrValues = [Float](repeating: 0, count: n)
        var csrSource = [Int](repeating: 0, count: n)
        var rowNext = rowCounts
        for k in byItem {
            let u = Int(users[k])
            let p = rowNext[u]
            csrItems[p] = items[k]
            csrValues[p] = values[k]
            csrSource[p] = k
            rowNext[u] += 1
        }
        for u in 0..<userCount where rowCounts[u + 1] - rowCounts[u] > 1 {
            for p in (rowCounts[u] + 1)..<rowCounts[u + 1] where csrItems[p] == csrItems[p - 1] {
                let a = csrSource[p - 1], b = csrSource[p]
                throw SparseMatrixError.duplicateEntry(user: Int32(u), item: csrItems[p], first: min(a, b), second: max(a, b))
            }
        }
        // CSC from CSR: walking users in order gives sorted users within each column.
        var cscUsers = [Int32](repeating: 0, count: n)
        var cscValues = [Float](repeating: 0, count: n)
        var cscMap = [Int32](repeating: 0, count: n)
        next = colCounts
        for u in 0..<userCount {
            for p in rowCounts[u]..<rowCounts[u + 1] {
                let i = Int(csrItems[p])
                let q = next[i]
                cscUsers[q] = Int32(u)
                cscValues[q] = csrValues[p]
                cscMap[q] = Int32(p)
                next[i] += 1
            }
        }
        self.userCount = userCount
        self.itemCount = itemCount
        userStarts = rowCounts
        userItems = csrItems
        userValues = csrValues
        itemStarts = colCounts
        itemUsers = cscUsers
        itemValues = cscValues
        cscToCSR = cscMap
    }

    /// How many entries user u has.
    public func userDegree(_ u: Int) -> Int { userStarts[u + 1] - userStarts[u] }
    /// How many entries item i has.
    public func itemDegree(_ i: Int) -> Int { itemStarts[i + 1] - itemStarts[i] }

    /// The value at (u, i), or nil when absent (binary search in the sorted row).
    public func value(user u: Int, item i: Int) -> Float? {
        var lo = userStarts[u], hi = userStarts[u + 1]
        let target = Int32(i)
        while lo < hi {
            let mid = (lo + hi) / 2
            if userItems[mid] < target { lo = mid + 1 } else { hi = mid }
        }
        return lo < userStarts[u + 1] && userItems[lo] == target ? userValues[lo] : nil
    }
}
