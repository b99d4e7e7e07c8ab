/// Dense item × item products of a ratings matrix seen as implicit feedback: G = XᵀX and Xᵀ Y, where
/// x_ui = w(r_ui) (input weights) and y_ui is a second reading of the same ratings (the target).
///
/// Accumulated from the sparse rows in Σ_u n_u² work, in double precision, one output row per task (row a
/// walks the users of item a, then their items), so the result does not depend on the thread count.
/// Dense storage: `itemCount²` doubles (22 MB for MovieLens 100K's 1,682 items); callers check
/// `ItemGram.fits(itemCount:)` first.
public enum ItemGram {
    /// The largest catalogue the dense item–item learners accept (a 20,000² double matrix is 3.2 GB).
    public static let maximumItems = 20_000

    public static func fits(itemCount: Int) -> Bool { itemCount <= maximumItems }

    /// Σ_u x_ua · y_ub for every item pair (a, b), row-major; `target == nil` means Y = X (the Gram matrix).
    public static func product(_ matrix: RatingMatrix, input: (Float) -> Float,
                               target: ((Float) -> Float)? = nil) -> [Double] {
        let n = matrix.itemCount
        var out = [Double](repeating: 0, count: n * n)
        // Per-entry weights in CSR order, read from both sides.
        let x = matrix.userValues.map { Double(input($0)) }
        let y = target.map { t in matrix.userValues.map { Double(t($0)) } } ?? x
        out.withUnsafeMutableBufferPointer { g in
            x.withUnsafeBufferPointer { xs in
                y.withUnsafeBufferPointer { ys in
                    parallelFor(n, minimumChunkSize: 16) { _, range in
                        for a in range {
                            let row = g.baseAddress! + a * n
                            for q in matrix.itemStarts[a]..<matrix.itemStarts[a + 1] {
                                let u = Int(matrix.itemUsers[q])
                                let xa = xs[Int(matrix.cscToCSR[q])]
                                if xa == 0 { continue }
                                for p in matrix.userStarts[u]..<matrix.userStarts[u + 1] {
                                    row[Int(matrix.userItems[p])] += xa * ys[p]
                                }
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}
