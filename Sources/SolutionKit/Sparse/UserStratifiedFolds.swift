/// k folds of a rating matrix's entries, grouped by user: each user's ratings are shuffled (seeded) and dealt
/// round-robin into the k folds from a random first fold, so every user with at least k ratings has ratings in
/// every fold, and holding one fold out hides about 1/k of each user's ratings (the way top-N lists are judged:
/// known users, unseen items). Users are never split across folds as a whole, since a collaborative model has
/// nothing to say about a user it never saw.
///
/// The assignment depends on the seed and the matrix only, never on a thread count.
public struct UserStratifiedFolds: Sendable {
    public let k: Int
    /// The fold of each entry, in the matrix's CSR order.
    public let fold: [UInt8]

    public init(_ matrix: RatingMatrix, k: Int, seed: UInt64) {
        precondition(k >= 2 && k <= 255, "user-stratified folds need 2...255 folds")
        self.k = k
        var fold = [UInt8](repeating: 0, count: matrix.count)
        var order: [Int] = []
        for u in 0..<matrix.userCount {
            let start = matrix.userStarts[u], end = matrix.userStarts[u + 1]
            guard end > start else { continue }
            var generator = SeededGenerator.derived(from: seed, stream: UInt64(u))
            order = Array(start..<end)
            // Fisher–Yates with the user's own generator.
            for j in stride(from: order.count - 1, to: 0, by: -1) {
                let r = Int(generator.next() % UInt64(j + 1))
                order.swapAt(j, r)
            }
            let first = Int(generator.next() % UInt64(k))
            for (n, p) in order.enumerated() { fold[p] = UInt8((first + n) % k) }
        }
        self.fold = fold
    }

    /// The entries outside fold `f` (to train on) and inside it (held out), both over the full user and item
    /// index ranges of `matrix`, so indices mean the same in all three.
    public func split(_ matrix: RatingMatrix, holdingOut f: Int) throws -> (train: RatingMatrix, heldOut: RatingMatrix) {
        precondition(f >= 0 && f < k, "fold \(f) is outside 0..<\(k)")
        var trainUsers: [Int32] = [], trainItems: [Int32] = [], trainValues: [Float] = []
        var testUsers: [Int32] = [], testItems: [Int32] = [], testValues: [Float] = []
        trainUsers.reserveCapacity(matrix.count)
        trainItems.reserveCapacity(matrix.count)
        trainValues.reserveCapacity(matrix.count)
        for u in 0..<matrix.userCount {
            for p in matrix.userStarts[u]..<matrix.userStarts[u + 1] {
                if Int(fold[p]) == f {
                    testUsers.append(Int32(u)); testItems.append(matrix.userItems[p]); testValues.append(matrix.userValues[p])
                } else {
                    trainUsers.append(Int32(u)); trainItems.append(matrix.userItems[p]); trainValues.append(matrix.userValues[p])
                }
            }
        }
        let train = try RatingMatrix(userCount: matrix.userCount, itemCount: matrix.itemCount, users: trainUsers,
                                      items: trainItems, values: trainValues)
        let heldOut = try RatingMatrix(userCount: matrix.userCount, itemCount: matrix.itemCount, users: testUsers,
                                        items: testItems, values: testValues)
        return (train, heldOut)
    }
}
