#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Popularity-aware quality of top-N lists: how far the lists reach beyond the items everybody already has.
///
/// Novelty@k is the mean self-information of the recommended items (Zhou et al. 2010, PNAS): an item rated by
/// n_i of the U training users carries log2(U / n_i) bits (an item no training user rated counts as rated by
/// one), averaged over each list's first k items, then over lists. Popularity lists score low, lists of rarely
/// rated items high. Catalogue coverage (the share of items in some top-k list) is `RankingAccumulator.coverage`.
public struct NoveltyAccumulator: Sendable {
    public let k: Int
    public private(set) var lists = 0
    private var sum = 0.0
    private let information: [Double]

    /// `degrees[i]` = how many training users rated item i; `users` = how many training users there are.
    public init(degrees: [Int], users: Int, k: Int = 10) {
        precondition(k > 0, "k must be positive")
        self.k = k
        let total = Double(max(users, 1))
        information = degrees.map { log2(total / Double(max($0, 1))) }
    }

    /// The self-information of item i (0 for an index outside the catalogue).
    public func selfInformation(_ i: Int) -> Double { i >= 0 && i < information.count ? information[i] : 0 }

    /// Adds one list (best first); an empty list adds nothing.
    public mutating func add(ranked: [Int]) {
        let top = ranked.prefix(k)
        guard !top.isEmpty else { return }
        var bits = 0.0
        for item in top { bits += selfInformation(item) }
        sum += bits / Double(top.count)
        lists += 1
    }

    /// Mean self-information per recommended item, in bits (NaN with no list).
    public var novelty: Double { lists > 0 ? sum / Double(lists) : .nan }
}
