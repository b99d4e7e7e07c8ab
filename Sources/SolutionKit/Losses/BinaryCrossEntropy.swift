import Foundation

/// Binary cross-entropy on logits z with targets y ∈ [0, 1], averaged over every element.
///
/// Written as max(z, 0) − z·y + log(1 + e^(−|z|)), which never overflows and keeps precision for confident
/// predictions; the gradient is (σ(z) − y) / count.
public struct BinaryCrossEntropy: Loss {
    public init() {}
    public var name: String { "binary_cross_entropy" }

    public func validate(targets: Tensor, predictionShape: [Int]) throws {
        guard targets.count == predictionShape.reduce(1, *), targets.rows == (predictionShape.first ?? 1) else {
            throw LossTargetError.shapeMismatch(loss: name, predictions: predictionShape, targets: targets.shape)
        }
        try targets.scalars.withUnsafeBufferPointer { buffer in
            let width = max(targets.columns, 1)
            for index in buffer.indices where !(buffer[index] >= 0 && buffer[index] <= 1) {
                throw LossTargetError.invalidTarget(loss: name, row: index / width, value: buffer[index], allowed: "a value in [0, 1]")
            }
        }
    }

    @inline(__always)
    static func elementLoss(logit z: Double, target y: Double) -> Double {
        max(z, 0) - z * y + Foundation.log1p(Foundation.exp(-abs(z)))
    }

    public func evaluate(predictions: Tensor, targets: Tensor, gradient: inout Tensor) -> Double {
        precondition(predictions.count == targets.count,
                     "binary_cross_entropy: logits \(predictions.shape) and targets \(targets.shape) differ in size")
        gradient.resize(to: predictions.shape)
        let scale = predictions.count == 0 ? 0 : Float(1.0 / Double(predictions.count))
        var total = 0.0
        predictions.scalars.withUnsafeBufferPointer { p in
            targets.scalars.withUnsafeBufferPointer { y in
                gradient.scalars.withUnsafeMutableBufferPointer { g in
                    for index in p.indices {
                        let z = p[index]
                        total += BinaryCrossEntropy.elementLoss(logit: Double(z), target: Double(y[index]))
                        g[index] = scale * (Sigmoid.sigmoid(z) - y[index])
                    }
                }
            }
        }
        return predictions.count == 0 ? 0 : total / Double(predictions.count)
    }

    public func value(predictions: Tensor, targets: Tensor) -> Double {
        precondition(predictions.count == targets.count,
                     "binary_cross_entropy: logits \(predictions.shape) and targets \(targets.shape) differ in size")
        var total = 0.0
        predictions.scalars.withUnsafeBufferPointer { p in
            targets.scalars.withUnsafeBufferPointer { y in
                for index in p.indices {
                    total += BinaryCrossEntropy.elementLoss(logit: Double(p[index]), target: Double(y[index]))
                }
            }
        }
        return predictions.count == 0 ? 0 : total / Double(predictions.count)
    }
}
