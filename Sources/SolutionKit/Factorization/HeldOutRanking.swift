/// Top-N quality of a scorer on held-out ratings, for model selection inside the training part
/// (inner folds): the users with a relevant held-out rating, every item they did not rate in `train` ranked,
/// NDCG@k with binary relevance as PROTOCOL.md defines it.
public enum HeldOutRanking {
    /// The users of `heldOut` with at least one relevant rating, and those items.
    public static func relevantItems(_ heldOut: RatingMatrix, isRelevant: (Float) -> Bool) -> [(user: Int, items: Set<Int>)] {
        var out: [(user: Int, items: Set<Int>)] = []
        for u in 0..<heldOut.userCount {
            var items = Set<Int>()
            for p in heldOut.userStarts[u]..<heldOut.userStarts[u + 1] where isRelevant(heldOut.userValues[p]) {
                items.insert(Int(heldOut.userItems[p]))
            }
            if !items.isEmpty { out.append((u, items)) }
        }
        return out
    }

    /// Mean NDCG@k over `users`; `score(u, buffer)` fills every item's score for user u (called concurrently,
    /// one buffer per task). Per-user values are summed in user order, so the mean does not depend on the
    /// thread count.
    public static func ndcg(train: RatingMatrix, users: [(user: Int, items: Set<Int>)], k: Int = 10,
                            score: (Int, UnsafeMutableBufferPointer<Float>) -> Void) -> Double {
        guard !users.isEmpty else { return 0 }
        var values = [Double](repeating: 0, count: users.count)
        values.withUnsafeMutableBufferPointer { out in
            parallelFor(users.count, minimumChunkSize: 16) { _, range in
                var buffer = [Float](repeating: 0, count: train.itemCount)
                for j in range {
                    let u = users[j].user
                    let start = train.userStarts[u], end = train.userStarts[u + 1]
                    let ranked = buffer.withUnsafeMutableBufferPointer { s -> [Int] in
                        score(u, s)
                        return TopK.select(UnsafeBufferPointer(s), k: k) { i in
                            train.contains(sortedRowOf: u, start: start, end: end, item: i)
                        }
                    }
                    out[j] = RankingMetrics.ndcg(ranked: ranked, relevant: users[j].items, k: k)
                }
            }
        }
        return values.reduce(0, +) / Double(values.count)
    }
}

extension RatingMatrix {
    /// Whether user u rated item i, by binary search in the sorted row `start..<end` (u's row bounds).
    @inline(__always)
    public func contains(sortedRowOf u: Int, start: Int, end: Int, item i: Int) -> Bool {
        var lo = start, hi = end
        let target = Int32(i)
        while lo < hi {
            let mid = (lo + hi) / 2
            if userItems[mid] < target { lo = mid + 1 } else { hi = mid }
        }
        return lo < end && userItems[lo] == target
    }
}
