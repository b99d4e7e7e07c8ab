import Foundation
/// Biased matrix factorisation fitted by stochastic gradient descent (Funk's SVD as in Koren, Bell & Volinsky 2009,
/// and Surprise's `SVD`).
///
/// For each observed rating, in a fresh seeded random order every epoch:
///   e = r − (μ + b_u + b_i + p_u·q_i)
///   b_u += γ_b (e − λ_b b_u);  b_i += γ_b (e − λ_b b_i)
///   p_u += γ (e q_i − λ p_u);  q_i += γ (e p_u − λ q_i)   (both with the old values)
/// Factors start from N(0, initStd²); biases at zero; μ is the training mean. The learning rates decay by
/// `decay` after each epoch (1 = constant, as Surprise). The update order is part of the result, so it is fixed
/// by the seed: seeded shuffles within conflict-free blocks (see `strata`), whatever the thread count.
public struct SGDFactorization: Sendable {
    public var factors = 100
    public var epochs = 20
    public var learningRate: Float = 0.005
    public var regularization: Float = 0.02
    public var biasLearningRate: Float = 0.005
    public var biasRegularization: Float = 0.02
    public var initStd: Float = 0.1
    public var decay: Float = 1
    public var seed: UInt64 = 0

    public init() {}

    /// One SGD update of the model for one rating (the body of the epoch loop, exposed for tests).
    /// Returns the error e computed before the update.
    @inlinable
    @discardableResult
    public static func step(rating r: Float, mean: Float, bu: inout Float, bi: inout Float,
                            pu: UnsafeMutablePointer<Float>, qi: UnsafeMutablePointer<Float>, factors: Int,
                            lr: Float, reg: Float, biasLR: Float, biasReg: Float) -> Float {
        // Four-lane vectors (one SSE register) over the whole row when it is 16-byte aligned (factor counts
        // divisible by 4 in a fresh array), with four accumulators (the adds' latency, not their throughput, bounded two); the compiler will not vectorise a float
        // reduction or two possibly aliasing pointers by itself. Other rows take the scalar path.
        var dot: Float = 0
        let vectorized = factors & 3 == 0 && Int(bitPattern: pu) & 15 == 0 && Int(bitPattern: qi) & 15 == 0
        if vectorized {
            let n = factors >> 2
            let p4 = UnsafeMutableRawPointer(pu).assumingMemoryBound(to: SIMD4<Float>.self)
            let q4 = UnsafeMutableRawPointer(qi).assumingMemoryBound(to: SIMD4<Float>.self)
            var a = SIMD4<Float>(), b = SIMD4<Float>(), c = SIMD4<Float>(), d = SIMD4<Float>()
            var f = 0
            while f + 3 < n {
                a += p4[f] * q4[f]; b += p4[f + 1] * q4[f + 1]; c += p4[f + 2] * q4[f + 2]; d += p4[f + 3] * q4[f + 3]
                f += 4
            }
            while f < n { a += p4[f] * q4[f]; f += 1 }
            dot = ((a + b) + (c + d)).sum()
        } else {
            for f in 0..<factors { dot += pu[f] * qi[f] }
        }
        let e = r - (mean + bu + bi + dot)
        bu += biasLR * (e - biasReg * bu)
        bi += biasLR * (e - biasReg * bi)
        let le = lr * e, shrink = 1 - lr * reg
        if vectorized {
            let p4 = UnsafeMutableRawPointer(pu).assumingMemoryBound(to: SIMD4<Float>.self)
            let q4 = UnsafeMutableRawPointer(qi).assumingMemoryBound(to: SIMD4<Float>.self)
            for f in 0..<(factors >> 2) {
                let p = p4[f], q = q4[f]
                p4[f] = p * shrink + le * q
                q4[f] = q * shrink + le * p
            }
        } else {
            for f in 0..<factors {
                let p = pu[f], q = qi[f]
                pu[f] = p * shrink + le * q
                qi[f] = q * shrink + le * p
            }
        }
        return e
    }

    /// Users and items are each split into `strata` groups; an epoch runs `strata` rounds, and round s updates
    /// the blocks (g, (g + s) mod strata) for every g. Blocks of one round share no user and no item, so they
    /// run in parallel with no locks and no races (stratified SGD, Gemulla et al. 2011), and each block is
    /// small enough for its factors to stay in cache. The schedule depends on the seed and `strata` only, never
    /// on the thread count, so the same seed gives the same model on any machine.
    public var strata = 8

    /// Fits the model. `onEpoch(epoch, trainRMSE)` is called after each epoch, for curves and progress.
    public func fit(_ matrix: RatingMatrix, onEpoch: (Int, Double) -> Void = { _, _ in }) -> FactorModel {
        var generator = SeededGenerator(seed: seed)
        let k = factors
        var userFactors = [Float](repeating: 0, count: matrix.userCount * k)
        var itemFactors = [Float](repeating: 0, count: matrix.itemCount * k)
        Self.fillGaussian(&userFactors, std: initStd, generator: &generator)
        Self.fillGaussian(&itemFactors, std: initStd, generator: &generator)
        var bu = [Float](repeating: 0, count: matrix.userCount)
        var bi = [Float](repeating: 0, count: matrix.itemCount)
        let mean = Float(matrix.mean)

        // Random group of every user and item, then each block's CSR positions packed as (position, user).
        let B = max(1, strata)
        let userGroup = (0..<matrix.userCount).map { _ in Int(generator.next() % UInt64(B)) }
        let itemGroup = (0..<matrix.itemCount).map { _ in Int(generator.next() % UInt64(B)) }
        // Each block holds its ratings packed as (item, rating), so the epoch loop reads one contiguous stream
        // instead of gathering through CSR positions.
        var blocks = [[Entry]](repeating: [], count: B * B)
        // Each block's entries stay grouped by user (`segments`): an epoch visits the users of a block in a fresh
        // random order and each user's ratings together, so p_u stays in cache while the q_i vary (Surprise
        // walks user by user too, without shuffling).
        var segments = [[Segment]](repeating: [], count: B * B)
        for u in 0..<matrix.userCount {
            let row = matrix.userStarts[u]..<matrix.userStarts[u + 1]
            var starts = [Int32](repeating: -1, count: B)
            for p in row {
                let b = userGroup[u] * B + itemGroup[Int(matrix.userItems[p])]
                if starts[b % B] < 0 { starts[b % B] = Int32(blocks[b].count) }
                blocks[b].append(Entry(item: matrix.userItems[p], rating: matrix.userValues[p]))
            }
            for g in 0..<B where starts[g] >= 0 {
                let b = userGroup[u] * B + g
                segments[b].append(Segment(start: starts[g], end: Int32(blocks[b].count), user: Int32(u)))
            }
        }
        let epochSeed = generator.next()
        var lr = learningRate, biasLR = biasLearningRate
        for epoch in 0..<epochs {
            var blockSquared = [Double](repeating: 0, count: B * B)
            for round in 0..<B {
                runRound(round, epoch: epoch, blockCount: B, epochSeed: epochSeed, blocks: blocks, segments: &segments,
                         matrix: matrix, userFactors: &userFactors, itemFactors: &itemFactors, bu: &bu, bi: &bi,
                         mean: mean, lr: lr, biasLR: biasLR, squares: &blockSquared)
            }
            let squared = blockSquared.reduce(0, +)
            onEpoch(epoch, matrix.count > 0 ? (squared / Double(matrix.count)).squareRoot() : 0)
            lr *= decay
            biasLR *= decay
        }
        return FactorModel(biases: BaselineBiases(mean: mean, userBias: bu, itemBias: bi), factors: k,
                           userFactors: userFactors, itemFactors: itemFactors)
    }
    /// Fills `values` with exactly what `Float(generator.nextGaussian()) * std` would give element by element, but
    /// with the Box–Muller log/cos (most of the set-up time at 100 factors) on all cores: the uniform pairs are
    /// drawn in sequence, as `nextGaussian` draws them, then transformed in parallel.
    static func fillGaussian(_ values: inout [Float], std: Float, generator: inout SeededGenerator) {
        let n = values.count
        var uniforms = [Double](repeating: 0, count: 2 * n)
        for j in 0..<n {
            var u1 = generator.nextUnitDouble()
            while u1 <= .leastNormalMagnitude { u1 = generator.nextUnitDouble() }
            uniforms[2 * j] = u1
            uniforms[2 * j + 1] = generator.nextUnitDouble()
        }
        uniforms.withUnsafeBufferPointer { U in
            values.withUnsafeMutableBufferPointer { V in
                parallelFor(n, minimumChunkSize: 4096) { _, range in
                    for j in range {
                        let gaussian = (-2 * log(U[2 * j])).squareRoot() * cos(2 * .pi * U[2 * j + 1])
                        V[j] = Float(gaussian) * std
                    }
                }
            }
        }
    }

    /// One rating of a block.
    struct Entry { var item: Int32; var rating: Float }
    /// One user's run of entries inside a block.
    struct Segment { var start: Int32; var end: Int32; var user: Int32 }

    /// One round of an epoch: the B conflict-free blocks (g, (g + round) mod B), in parallel.
    private func runRound(_ round: Int, epoch: Int, blockCount B: Int, epochSeed: UInt64,
                          blocks: [[Entry]], segments: inout [[Segment]],
                          matrix: RatingMatrix, userFactors: inout [Float], itemFactors: inout [Float],
                          bu: inout [Float], bi: inout [Float], mean: Float, lr: Float, biasLR: Float,
                          squares: inout [Double]) {
        let k = factors, reg = regularization, biasReg = biasRegularization
        userFactors.withUnsafeMutableBufferPointer { P in
        itemFactors.withUnsafeMutableBufferPointer { Q in
        bu.withUnsafeMutableBufferPointer { BU in
        bi.withUnsafeMutableBufferPointer { BI in
        squares.withUnsafeMutableBufferPointer { S in
        segments.withUnsafeMutableBufferPointer { segments in
            let P = P.baseAddress!, Q = Q.baseAddress!, BU = BU.baseAddress!, BI = BI.baseAddress!, S = S.baseAddress!
                    // One chunk per block: concurrentPerform hands blocks to whichever worker is free, so an uneven
                    // block (or a worker the OS preempts) does not hold the round up; which worker runs a block does
                    // not change its result.
                    parallelFor(B, chunks: B) { _, groups in
                        for g in groups {
                            let b = g * B + (g + round) % B
                            var local = SeededGenerator.derived(from: epochSeed &+ UInt64(epoch), stream: UInt64(b))
                            segments[b].withUnsafeMutableBufferPointer { order in
                                for j in stride(from: order.count - 1, to: 0, by: -1) {
                                    order.swapAt(j, Int(local.next() % UInt64(j + 1)))
                                }
                            }
                            var squared = 0.0
                            blocks[b].withUnsafeBufferPointer { list in
                                for segment in segments[b] {
                                    let u = Int(segment.user), pu = P + u * k
                                    for n in Int(segment.start)..<Int(segment.end) {
                                        let entry = list[n], i = Int(entry.item)
                                        let e = Self.step(rating: entry.rating, mean: mean, bu: &BU[u], bi: &BI[i],
                                                          pu: pu, qi: Q + i * k, factors: k, lr: lr,
                                                          reg: reg, biasLR: biasLR, biasReg: biasReg)
                                        squared += Double(e * e)
                                    }
                                }
                            }
                            S[b] = squared
                        }
                    }
        }
        }}}}}
    }
}
