/// Bayesian biased matrix factorisation by Gibbs sampling (the MCMC learner of Rendle's libFM, restricted to
/// users and items; Salakhutdinov & Mnih 2008 for the idea).
///
/// Model: r_ui ~ N(μ + b_u + b_i + p_u·q_i, 1/α), with Gaussian priors on biases and factors whose precisions
/// (per factor dimension, separately for users and items) and means are themselves sampled from Gamma and
/// Normal hyperpriors. No learning rate and no regularisation to tune: the regularisation is learned.
/// Each parameter is drawn from its exact conditional, one coordinate at a time, keeping a residual per rating
/// so a full sweep costs O(ratings × factors), like one SGD epoch.
///
/// Prediction is the posterior mean, estimated by averaging the predictions of the samples kept after
/// `burnIn` sweeps (every `thin`-th). Averaging p_u^s·q_i^s over S samples equals one dot product of the
/// samples concatenated and scaled by 1/√S, so the result is an ordinary `FactorModel` with S·factors columns.
/// Users within a sweep are independent given the items (and vice versa), so each half-sweep runs in parallel
/// with a generator per (sweep, user): the result does not depend on the thread count.
public struct GibbsFactorization: Sendable {
    public var factors = 16
    public var sweeps = 200
    public var burnIn = 40
    public var thin = 8
    public var initStd: Float = 0.1
    public var seed: UInt64 = 0

    public init() {}

    /// How many samples the model will average.
    public var keptSamples: Int { sweeps > burnIn ? (sweeps - burnIn + thin - 1) / thin : 0 }

    public func fit(_ matrix: RatingMatrix, onSweep: (Int, Double) -> Void = { _, _ in }) -> FactorModel {
        let k = factors, U = matrix.userCount, I = matrix.itemCount, n = matrix.count
        var generator = SeededGenerator(seed: seed)
        var P = [Float](repeating: 0, count: U * k), Q = [Float](repeating: 0, count: I * k)
        for j in P.indices { P[j] = Float(generator.nextGaussian()) * initStd }
        for j in Q.indices { Q[j] = Float(generator.nextGaussian()) * initStd }
        var bu = [Float](repeating: 0, count: U), bi = [Float](repeating: 0, count: I)
        let mean = Float(matrix.mean)

        // Residuals e = r − prediction, in CSR order.
        var residual = [Float](repeating: 0, count: n)
        for u in 0..<U {
            for p in matrix.userStarts[u]..<matrix.userStarts[u + 1] {
                let i = Int(matrix.userItems[p])
                var dot: Float = 0
                for f in 0..<k { dot += P[u * k + f] * Q[i * k + f] }
                residual[p] = matrix.userValues[p] - mean - dot
            }
        }
        // The CSR positions of each item's entries, in CSC order, and each entry's user/item.
        let itemPositions = matrix.cscToCSR

        var alpha: Double = 1
        var userHyper = Hyper(k: k), itemHyper = Hyper(k: k)
        let keep = keptSamples
        var keptP = [Float](repeating: 0, count: U * k * max(keep, 1))
        var keptQ = [Float](repeating: 0, count: I * k * max(keep, 1))
        var sumBu = [Double](repeating: 0, count: U), sumBi = [Double](repeating: 0, count: I)
        var kept = 0

        for sweep in 0..<sweeps {
            // Noise precision and hyperparameters from their conditionals.
            var sse = 0.0
            for e in residual { sse += Double(e * e) }
            alpha = generator.nextGamma(shape: 1 + Double(n) / 2, rate: 1 + sse / 2)
            userHyper.sample(biases: bu, factors: P, count: U, k: k, generator: &generator)
            itemHyper.sample(biases: bi, factors: Q, count: I, k: k, generator: &generator)
            let a = Float(alpha)
            let sweepSeed = seed &+ UInt64(sweep) &* 0x9E37_79B9_7F4A_7C15

            // Users given items.
            residual.withUnsafeMutableBufferPointer { E in
                P.withUnsafeMutableBufferPointer { Pb in
                    Q.withUnsafeBufferPointer { Qb in
                        bu.withUnsafeMutableBufferPointer { B in
                            matrix.userItems.withUnsafeBufferPointer { items in
                                let e = E.baseAddress!, pm = Pb.baseAddress!, qm = Qb.baseAddress!, b = B.baseAddress!
                                parallelFor(U, minimumChunkSize: 64) { _, range in
                                    for u in range {
                                        var g = SeededGenerator.derived(from: sweepSeed, stream: UInt64(u) << 1)
                                        let start = matrix.userStarts[u], end = matrix.userStarts[u + 1]
                                        Self.sampleRow(entity: u, start: start, end: end, position: { $0 },
                                                       other: { Int(items[$0]) }, residual: e, bias: b + u,
                                                       own: pm + u * k, others: qm, k: k, alpha: a,
                                                       hyper: userHyper, generator: &g)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            // Items given users.
            residual.withUnsafeMutableBufferPointer { E in
                Q.withUnsafeMutableBufferPointer { Qb in
                    P.withUnsafeBufferPointer { Pb in
                        bi.withUnsafeMutableBufferPointer { B in
                            matrix.itemUsers.withUnsafeBufferPointer { users in
                                itemPositions.withUnsafeBufferPointer { positions in
                                    let e = E.baseAddress!, qm = Qb.baseAddress!, pm = Pb.baseAddress!, b = B.baseAddress!
                                    parallelFor(I, minimumChunkSize: 64) { _, range in
                                        for i in range {
                                            var g = SeededGenerator.derived(from: sweepSeed, stream: (UInt64(i) << 1) | 1)
                                            let start = matrix.itemStarts[i], end = matrix.itemStarts[i + 1]
                                            Self.sampleRow(entity: i, start: start, end: end, position: { Int(positions[$0]) },
                                                           other: { Int(users[$0]) }, residual: e, bias: b + i,
                                                           own: qm + i * k, others: pm, k: k, alpha: a,
                                                           hyper: itemHyper, generator: &g)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if sweep >= burnIn && (sweep - burnIn) % thin == 0 && kept < keep {
                Self.store(P, into: &keptP, sample: kept, samples: keep, rows: U, k: k)
                Self.store(Q, into: &keptQ, sample: kept, samples: keep, rows: I, k: k)
                for u in 0..<U { sumBu[u] += Double(bu[u]) }
                for i in 0..<I { sumBi[i] += Double(bi[i]) }
                kept += 1
            }
            onSweep(sweep, n > 0 ? (sse / Double(n)).squareRoot() : 0)
        }
        guard kept > 0 else {
            return FactorModel(biases: BaselineBiases(mean: mean, userBias: bu, itemBias: bi), factors: k,
                               userFactors: P, itemFactors: Q)
        }
        let scale = 1 / Float(kept).squareRoot()
        for j in keptP.indices { keptP[j] *= scale }
        for j in keptQ.indices { keptQ[j] *= scale }
        let biases = BaselineBiases(mean: mean, userBias: sumBu.map { Float($0 / Double(kept)) },
                                    itemBias: sumBi.map { Float($0 / Double(kept)) })
        return FactorModel(biases: biases, factors: k * kept, userFactors: keptP, itemFactors: keptQ)
    }

    /// Copies sample `sample` of a row-major rows×k matrix into columns sample*k..<(sample+1)*k of a
    /// rows×(samples·k) matrix.
    static func store(_ source: [Float], into target: inout [Float], sample: Int, samples: Int, rows: Int, k: Int) {
        let width = samples * k
        for r in 0..<rows {
            for f in 0..<k { target[r * width + sample * k + f] = source[r * k + f] }
        }
    }

    /// Draws one user's (or item's) bias and factors from their conditionals, keeping residuals current.
    @inline(__always)
    static func sampleRow(entity: Int, start: Int, end: Int, position: (Int) -> Int, other: (Int) -> Int,
                          residual e: UnsafeMutablePointer<Float>, bias: UnsafeMutablePointer<Float>,
                          own: UnsafeMutablePointer<Float>, others: UnsafePointer<Float>, k: Int, alpha: Float,
                          hyper: Hyper, generator g: inout SeededGenerator) {
        // Bias: prior N(μ_b, 1/λ_b).
        let old = bias.pointee
        var sum: Float = 0
        for j in start..<end { sum += e[position(j)] + old }
        var precision = hyper.biasPrecision + alpha * Float(end - start)
        var value = (alpha * sum + hyper.biasPrecision * hyper.biasMean) / precision
            + Float(g.nextGaussian()) / precision.squareRoot()
        bias.pointee = value
        let delta = value - old
        for j in start..<end { e[position(j)] -= delta }
        // Factors, one coordinate at a time.
        for f in 0..<k {
            let theta = own[f]
            var hh: Float = 0, he: Float = 0
            for j in start..<end {
                let h = others[other(j) * k + f]
                hh += h * h
                he += h * (e[position(j)] + theta * h)
            }
            precision = hyper.precision[f] + alpha * hh
            value = (alpha * he + hyper.precision[f] * hyper.mean[f]) / precision
                + Float(g.nextGaussian()) / precision.squareRoot()
            own[f] = value
            let change = value - theta
            if change != 0 {
                for j in start..<end { e[position(j)] -= change * others[other(j) * k + f] }
            }
        }
    }

    /// Prior means and precisions of one side (users or items), resampled every sweep.
    struct Hyper: Sendable {
        var biasMean: Float = 0
        var biasPrecision: Float = 1
        var mean: [Float]
        var precision: [Float]

        init(k: Int) {
            mean = [Float](repeating: 0, count: k)
            precision = [Float](repeating: 1, count: k)
        }

        /// Normal–Gamma conditionals as in libFM (α₀ = β₀ = γ₀ = 1, μ₀ = 0).
        mutating func sample(biases: [Float], factors: [Float], count: Int, k: Int, generator g: inout SeededGenerator) {
            func draw(_ value: (Int) -> Float, currentMean: inout Float, currentPrecision: inout Float) {
                var sum = 0.0, squares = 0.0
                for j in 0..<count { sum += Double(value(j)) }
                let m = Double(currentMean)
                for j in 0..<count { let d = Double(value(j)) - m; squares += d * d }
                let lambda = g.nextGamma(shape: (1 + Double(count) + 1) / 2, rate: (1 + squares + m * m) / 2)
                let mu = sum / (Double(count) + 1) + g.nextGaussian() / ((Double(count) + 1) * lambda).squareRoot()
                currentPrecision = Float(lambda)
                currentMean = Float(mu)
            }
            draw({ biases[$0] }, currentMean: &biasMean, currentPrecision: &biasPrecision)
            for f in 0..<k {
                draw({ factors[$0 * k + f] }, currentMean: &mean[f], currentPrecision: &precision[f])
            }
        }
    }
}
