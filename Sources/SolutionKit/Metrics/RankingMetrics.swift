/// Top-N ranking metrics with binary relevance, as PROTOCOL.md defines them for recommendation:
/// precision@k = hits/k, recall@k = hits/|relevant|, NDCG@k = DCG/IDCG with DCG = Σ_{rank r ≤ k, hit} 1/log2(r+1)
/// and the ideal DCG having min(|relevant|, k) hits at the top. Users with no relevant item are not counted.
public enum RankingMetrics {
    /// precision@k of one ranked list (shorter lists still divide by k, as the protocol says hits/k).
    public static func precision(ranked: [Int], relevant: Set<Int>, k: Int) -> Double {
        precondition(k > 0, "k must be positive")
        return Double(hits(ranked, relevant, k)) / Double(k)
    }

    public static func recall(ranked: [Int], relevant: Set<Int>, k: Int) -> Double {
        precondition(k > 0, "k must be positive")
        guard !relevant.isEmpty else { return 0 }
        return Double(hits(ranked, relevant, k)) / Double(relevant.count)
    }

    public static func ndcg(ranked: [Int], relevant: Set<Int>, k: Int) -> Double {
        precondition(k > 0, "k must be positive")
        guard !relevant.isEmpty else { return 0 }
        var dcg = 0.0
        for (r, item) in ranked.prefix(k).enumerated() where relevant.contains(item) { dcg += discount(r) }
        var ideal = 0.0
        for r in 0..<min(relevant.count, k) { ideal += discount(r) }
        return dcg / ideal
    }

    /// 1/log2(position + 2) for a 0-based position.
    @inline(__always)
    static func discount(_ position: Int) -> Double { 1 / log2(Double(position + 2)) }

    static func hits(_ ranked: [Int], _ relevant: Set<Int>, _ k: Int) -> Int {
        var count = 0
        for item in ranked.prefix(k) where relevant.contains(item) { count += 1 }
        return count
    }
}

/// Averages precision, recall and NDCG at every cut-off 1...maxK over users, and the catalogue coverage of
/// the lists cut at `coverageK`, in one pass per user (each list is read once for all cut-offs).
public struct RankingAccumulator: Sendable {
    public let maxK: Int
    public let catalogueSize: Int
    public let coverageK: Int
    public private(set) var users = 0
    private var precisionSums: [Double]
    private var recallSums: [Double]
    private var ndcgSums: [Double]
    private var covered: [Bool]

    public init(maxK: Int = 20, catalogueSize: Int, coverageK: Int = 10) {
        precondition(maxK > 0 && coverageK > 0, "cut-offs must be positive")
        self.maxK = maxK
        self.catalogueSize = catalogueSize
        self.coverageK = coverageK
        precisionSums = [Double](repeating: 0, count: maxK)
        recallSums = [Double](repeating: 0, count: maxK)
        ndcgSums = [Double](repeating: 0, count: maxK)
        covered = [Bool](repeating: false, count: max(catalogueSize, 0))
    }

    /// Adds one user's ranked list (best first, item indices in 0..<catalogueSize). A user with no relevant
    /// item still adds to coverage, but not to the averages.
    public mutating func add(ranked: [Int], relevant: Set<Int>) {
        for item in ranked.prefix(coverageK) where item >= 0 && item < catalogueSize { covered[item] = true }
        guard !relevant.isEmpty else { return }
        users += 1
        var hits = 0, dcg = 0.0, ideal = 0.0
        for k in 1...maxK {
            let position = k - 1
            if position < ranked.count && relevant.contains(ranked[position]) {
                hits += 1
                dcg += RankingMetrics.discount(position)
            }
            if position < relevant.count { ideal += RankingMetrics.discount(position) }
            precisionSums[position] += Double(hits) / Double(k)
            recallSums[position] += Double(hits) / Double(relevant.count)
            ndcgSums[position] += dcg / ideal
        }
    }

    public func precision(at k: Int) -> Double { users > 0 ? precisionSums[k - 1] / Double(users) : .nan }
    public func recall(at k: Int) -> Double { users > 0 ? recallSums[k - 1] / Double(users) : .nan }
    public func ndcg(at k: Int) -> Double { users > 0 ? ndcgSums[k - 1] / Double(users) : .nan }

    /// The share of the catalogue that appears in at least one top-`coverageK` list.
    public var coverage: Double {
        guard catalogueSize > 0 else { return .nan }
        return Double(covered.lazy.filter { $0 }.count) / Double(catalogueSize)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
