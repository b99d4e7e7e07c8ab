/// Biased matrix factorisation fitted by stochastic gradient descent (Funk's SVD as in Koren, Bell & Volinsky 2009,
/// and Surprise's `SVD`).
///
/// For each observed rating, in a fresh seeded random order every epoch:
///   e = r − (μ + b_u + b_i + p_u·q_i)
///   b_u += γ_b (e − λ_b b_u);  b_i += γ_b (e − λ_b b_i)
///   p_u += γ (e q_i − λ p_u);  q_i += γ (e p_u − λ q_i)   (both with the old values)
/// Factors start from N(0, initStd²); biases at zero; μ is the training mean. The learning rates decay by
/// `decay` after each epoch (1 = constant, as Surprise). Sequential by design: the update order is part of
/// the result, so the same seed gives the same model.
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
        // Eight lanes at a time (the compiler will not vectorise a float reduction or two possibly aliasing
        // pointers on its own), then a scalar tail.
        let lanes = factors & ~7
        let p8 = UnsafeMutableRawPointer(pu), q8 = UnsafeMutableRawPointer(qi)
        var acc = SIMD8<Float>()
        var f = 0
        while f < lanes {
            acc += p8.loadUnaligned(fromByteOffset: f * 4, as: SIMD8<Float>.self)
                * q8.loadUnaligned(fromByteOffset: f * 4, as: SIMD8<Float>.self)
            f += 8
        }
        var dot = acc.sum()
        while f < factors { dot += pu[f] * qi[f]; f += 1 }
        let e = r - (mean + bu + bi + dot)
        bu += biasLR * (e - biasReg * bu)
        bi += biasLR * (e - biasReg * bi)
        let le = lr * e, decay = 1 - lr * reg
        f = 0
        while f < lanes {
            let p = p8.loadUnaligned(fromByteOffset: f * 4, as: SIMD8<Float>.self)
            let q = q8.loadUnaligned(fromByteOffset: f * 4, as: SIMD8<Float>.self)
            p8.storeBytes(of: p * decay + le * q, toByteOffset: f * 4, as: SIMD8<Float>.self)
            q8.storeBytes(of: q * decay + le * p, toByteOffset: f * 4, as: SIMD8<Float>.self)
            f += 8
        }
        while f < factors {
            let p = pu[f], q = qi[f]
            pu[f] = p * decay + le * q
            qi[f] = q * decay + le * p
            f += 1
        }
        return e
    }

    /// Fits the model. `onEpoch(epoch, trainRMSE)` is called after each epoch, for curves and progress.
    public func fit(_ matrix: RatingMatrix, onEpoch: (Int, Double) -> Void = { _, _ in }) -> FactorModel {
        var generator = SeededGenerator(seed: seed)
        let k = factors
        var userFactors = [Float](repeating: 0, count: matrix.userCount * k)
        var itemFactors = [Float](repeating: 0, count: matrix.itemCount * k)
        for j in userFactors.indices { userFactors[j] = Float(generator.nextGaussian()) * initStd }
        for j in itemFactors.indices { itemFactors[j] = Float(generator.nextGaussian()) * initStd }
        var bu = [Float](repeating: 0, count: matrix.userCount)
        var bi = [Float](repeating: 0, count: matrix.itemCount)
        let mean = Float(matrix.mean)

        // The CSR position's user, so a shuffled list of positions is all an epoch needs.
        var rowOf = [Int32](repeating: 0, count: matrix.count)
        for u in 0..<matrix.userCount {
            for p in matrix.userStarts[u]..<matrix.userStarts[u + 1] { rowOf[p] = Int32(u) }
        }
        var order = [Int32](0..<Int32(matrix.count))
        var lr = learningRate, biasLR = biasLearningRate
        for epoch in 0..<epochs {
            for j in stride(from: order.count - 1, to: 0, by: -1) {
                let r = Int(generator.next() % UInt64(j + 1))
                order.swapAt(j, r)
            }
            var squared = 0.0
            userFactors.withUnsafeMutableBufferPointer { P in
                itemFactors.withUnsafeMutableBufferPointer { Q in
                    bu.withUnsafeMutableBufferPointer { BU in
                        bi.withUnsafeMutableBufferPointer { BI in
                            matrix.userItems.withUnsafeBufferPointer { items in
                                matrix.userValues.withUnsafeBufferPointer { values in
                                    rowOf.withUnsafeBufferPointer { rows in
                                        order.withUnsafeBufferPointer { order in
                                            for position in order {
                                                let p = Int(position)
                                                let u = Int(rows[p]), i = Int(items[p])
                                                let e = Self.step(rating: values[p], mean: mean, bu: &BU[u], bi: &BI[i],
                                                                  pu: P.baseAddress! + u * k, qi: Q.baseAddress! + i * k,
                                                                  factors: k, lr: lr, reg: regularization,
                                                                  biasLR: biasLR, biasReg: biasRegularization)
                                                squared += Double(e * e)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            onEpoch(epoch, matrix.count > 0 ? (squared / Double(matrix.count)).squareRoot() : 0)
            lr *= decay
            biasLR *= decay
        }
        return FactorModel(biases: BaselineBiases(mean: mean, userBias: bu, itemBias: bi), factors: k,
                           userFactors: userFactors, itemFactors: itemFactors)
    }
}
