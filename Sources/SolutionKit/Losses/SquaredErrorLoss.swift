/// mean((prediction − target)²) over every element; gradient 2(prediction − target) / count.
public struct SquaredErrorLoss: Loss {
    public init() {}
    public var name: String { "mse" }

    public func validate(targets: Tensor, predictionShape: [Int]) throws {
        guard targets.count == predictionShape.reduce(1, *), targets.rows == (predictionShape.first ?? 1) else {
            throw LossTargetError.shapeMismatch(loss: name, predictions: predictionShape, targets: targets.shape)
        }
        try targets.scalars.withUnsafeBufferPointer { buffer in
            let width = max(targets.columns, 1)
            for index in buffer.indices where !buffer[index].isFinite {
                throw LossTargetError.invalidTarget(loss: name, row: index / width, value: buffer[index], allowed: "a finite number")
            }
        }
    }

    public func evaluate(predictions: Tensor, targets: Tensor, gradient: inout Tensor) -> Double {
        precondition(predictions.count == targets.count,
                     "mse: predictions \(predictions.shape) and targets \(targets.shape) differ in size")
        gradient.resize(to: predictions.shape)
        let scale = predictions.count == 0 ? 0 : Float(2.0 / Double(predictions.count))
        var total = 0.0
        predictions.scalars.withUnsafeBufferPointer { p in
            targets.scalars.withUnsafeBufferPointer { y in
                gradient.scalars.withUnsafeMutableBufferPointer { g in
                    for index in p.indices {
                        let difference = p[index] - y[index]
                        total += Double(difference) * Double(difference)
                        g[index] = scale * difference
                    }
                }
            }
        }
        return predictions.count == 0 ? 0 : total / Double(predictions.count)
    }

    public func value(predictions: Tensor, targets: Tensor) -> Double {
        precondition(predictions.count == targets.count,
                     "mse: predictions \(predictions.shape) and targets \(targets.shape) differ in size")
        var total = 0.0
        predictions.scalars.withUnsafeBufferPointer { p in
            targets.scalars.withUnsafeBufferPointer { y in
                for index in p.indices {
                    let difference = Double(p[index]) - Double(y[index])
                    total += difference * difference
                }
            }
        }
        return predictions.count == 0 ? 0 : total / Double(predictions.count)
    }
}
