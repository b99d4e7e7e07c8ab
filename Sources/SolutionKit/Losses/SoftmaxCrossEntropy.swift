import Foundation

/// Softmax cross-entropy on logits of shape `[rows, classes]` with integer class targets, averaged over rows.
///
/// Targets are a tensor of `rows` values holding class indices (exact in Float32 up to 2^24 classes). The
/// log-sum-exp is shifted by each row's maximum, so large logits neither overflow nor lose the true class;
/// the gradient is (softmax − one-hot) / rows.
public struct SoftmaxCrossEntropy: Loss {
    public init() {}
    public var name: String { "softmax_cross_entropy" }

    /// Class indices as a target tensor of shape `[count]`.
    public static func targets(classes: [Int]) -> Tensor {
        Tensor(shape: [classes.count], scalars: classes.map { Float($0) })
    }

    public func validate(targets: Tensor, predictionShape: [Int]) throws {
        guard predictionShape.count == 2, targets.count == predictionShape[0] else {
            throw LossTargetError.shapeMismatch(loss: name, predictions: predictionShape, targets: targets.shape)
        }
        let classes = predictionShape[1]
        try targets.scalars.withUnsafeBufferPointer { buffer in
            for index in buffer.indices {
                let value = buffer[index]
                guard value >= 0, value < Float(classes), value.rounded() == value else {
                    throw LossTargetError.invalidTarget(loss: name, row: index, value: value,
                                                        allowed: "a class index in 0..<\(classes)")
                }
            }
        }
    }

    /// Loss of each row plus, when `gradient` is given, the gradient rows scaled by `scale`.
    private func run(_ logits: Tensor, _ targets: Tensor, gradient: UnsafeMutableBufferPointer<Float>?) -> Double {
        precondition(logits.rank == 2 && targets.count == logits.shape[0],
                     "softmax_cross_entropy: logits \(logits.shape) need one target per row, got \(targets.shape)")
        let rowCount = logits.shape[0], classes = logits.shape[1]
        precondition(classes > 0, "softmax_cross_entropy: logits need at least one class column")
        let scale = rowCount == 0 ? 0 : 1 / Double(rowCount)
        var total = 0.0
        logits.scalars.withUnsafeBufferPointer { z in
            targets.scalars.withUnsafeBufferPointer { y in
                for row in 0..<rowCount {
                    let base = row * classes
                    let target = Int(y[row])
                    precondition(target >= 0 && target < classes,
                                 "softmax_cross_entropy: target \(y[row]) in row \(row) is not a class in 0..<\(classes)")
                    var maximum = z[base]
                    for column in 1..<classes where z[base + column] > maximum { maximum = z[base + column] }
                    var sum = 0.0
                    for column in 0..<classes { sum += Foundation.exp(Double(z[base + column] - maximum)) }
                    let logSum = Foundation.log(sum)
                    total += logSum - Double(z[base + target] - maximum)
                    if let g = gradient {
                        for column in 0..<classes {
                            let probability = Foundation.exp(Double(z[base + column] - maximum) - logSum)
                            g[base + column] = Float((probability - (column == target ? 1 : 0)) * scale)
                        }
                    }
                }
            }
        }
        return total * scale
    }

    public func evaluate(predictions: Tensor, targets: Tensor, gradient: inout Tensor) -> Double {
        gradient.resize(to: predictions.shape)
        return gradient.scalars.withUnsafeMutableBufferPointer { run(predictions, targets, gradient: $0) }
    }

    public func value(predictions: Tensor, targets: Tensor) -> Double {
        run(predictions, targets, gradient: nil)
    }
}
