import COpenBLAS

extension EASE {
    /// The EASE variants. With the defaults this is Steck's EASE^R on binary feedback.
    public struct Options: Sendable, Equatable {
        /// L2 penalty λ of the item–item weights.
        public var lambda: Double
        /// Adds `popularityPenalty · G_jj` to item j's penalty (Steck 2020, "Autoencoders that don't overfit
        /// towards the identity": the closed form of dropout emphasis), so frequent items are shrunk more.
        public var popularityPenalty: Double
        /// How ratings become the input x_ui.
        public var input: RelevanceWeights
        /// Reconstruct only the relevant ratings, y_ui = 1[r_ui ≥ threshold], instead of the input itself
        /// (the lists are judged on relevant items; the input still shows everything the user rated).
        public var relevanceTarget: Bool

        public init(lambda: Double, popularityPenalty: Double = 0, input: RelevanceWeights = .binary,
                    relevanceTarget: Bool = false) {
            self.lambda = lambda
            self.popularityPenalty = popularityPenalty
            self.input = input
            self.relevanceTarget = relevanceTarget
        }
    }

    /// The products one fit needs; computed once and shared by every λ of a search.
    public struct Products: Sendable {
        public var itemCount: Int
        /// XᵀX, row-major.
        public var gram: [Double]
        /// XᵀY, or nil when Y = X.
        public var cross: [Double]?

        public init(_ matrix: RatingMatrix, options: Options) {
            itemCount = matrix.itemCount
            let input = options.input
            gram = ItemGram.product(matrix, input: { input.weight($0) })
            cross = options.relevanceTarget
                ? ItemGram.product(matrix, input: { input.weight($0) }, target: { input.isRelevant($0) ? 1 : 0 })
                : nil
        }
    }

    public static func fit(_ matrix: RatingMatrix, options: Options) throws -> EASE {
        try solve(Products(matrix, options: options), options: options)
    }

    /// Minimises ‖Y − XB‖² + Σ_j Λ_j ‖B_j·‖² subject to diag(B) = 0. With P = (XᵀX + Λ)⁻¹ and C = P XᵀY, the
    /// solution is B = C − P diag(μ) with μ_j = C_jj / P_jj (Lagrange multipliers of the zero diagonal);
    /// for Y = X it reduces to EASE's B_ij = −P_ij / P_jj.
    public static func solve(_ products: Products, options: Options) throws -> EASE {
        let n = products.itemCount
        var p = products.gram
        for i in 0..<n { p[i * n + i] += options.lambda + options.popularityPenalty * products.gram[i * n + i] }
        try DenseCholesky.invertInPlace(&p, n: n)
        var weights = [Float](repeating: 0, count: n * n)
        if let cross = products.cross {
            var c = [Double](repeating: 0, count: n * n)
            p.withUnsafeBufferPointer { pb in
                cross.withUnsafeBufferPointer { xb in
                    c.withUnsafeMutableBufferPointer { cb in
                        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1,
                                    pb.baseAddress!, Int32(n), xb.baseAddress!, Int32(n), 0, cb.baseAddress!, Int32(n))
                    }
                }
            }
            var mu = [Double](repeating: 0, count: n)
            for j in 0..<n { mu[j] = c[j * n + j] / p[j * n + j] }
            for i in 0..<n {
                for j in 0..<n where i != j { weights[i * n + j] = Float(c[i * n + j] - p[i * n + j] * mu[j]) }
            }
        } else {
            for j in 0..<n {
                let pjj = p[j * n + j]
                for i in 0..<n where i != j { weights[i * n + j] = Float(-p[i * n + j] / pjj) }
            }
        }
        return EASE(itemCount: n, weights: weights, input: options.input)
    }

    /// What an inner-CV search of λ found: the grid, the mean held-out NDCG@10 of each value, the winner.
    public struct LambdaSearch: Sendable, Equatable {
        public var grid: [Double]
        public var meanNDCG: [Double]
        public var best: Double
    }

    /// Chooses λ from `grid` by `folds`-fold user-stratified cross-validation on `matrix` (the training
    /// ratings only): per fold one pair of products, then one solve per λ. Ties go to the earlier grid value.
    public static func selectLambda(_ matrix: RatingMatrix, options: Options, grid: [Double], folds: Int,
                                    seed: UInt64) throws -> LambdaSearch {
        precondition(!grid.isEmpty, "a λ search needs at least one value")
        let assignment = UserStratifiedFolds(matrix, k: folds, seed: seed)
        var sums = [Double](repeating: 0, count: grid.count)
        for f in 0..<folds {
            let (train, heldOut) = try assignment.split(matrix, holdingOut: f)
            let users = HeldOutRanking.relevantItems(heldOut, isRelevant: { options.input.isRelevant($0) })
            let products = Products(train, options: options)
            for (g, lambda) in grid.enumerated() {
                var candidate = options
                candidate.lambda = lambda
                let model = try solve(products, options: candidate)
                sums[g] += HeldOutRanking.ndcg(train: train, users: users) { u, s in model.scores(user: u, in: train, into: s) }
            }
        }
        let means = sums.map { $0 / Double(folds) }
        var best = 0
        for g in 1..<grid.count where means[g] > means[best] { best = g }
        return LambdaSearch(grid: grid, meanNDCG: means, best: grid[best])
    }

    /// Scores for user u of `matrix` (its ratings weighted as in training).
    public func scores(user u: Int, in matrix: RatingMatrix, into scores: UnsafeMutableBufferPointer<Float>) {
        let start = matrix.userStarts[u], end = matrix.userStarts[u + 1]
        matrix.userItems.withUnsafeBufferPointer { items in
            matrix.userValues.withUnsafeBufferPointer { values in
                self.scores(ratedItems: UnsafeBufferPointer(rebasing: items[start..<end]),
                            ratings: UnsafeBufferPointer(rebasing: values[start..<end]), into: scores)
            }
        }
    }
}
