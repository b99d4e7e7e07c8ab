/// A training objective: the mean loss of a batch and its gradient with respect to the network's output.
///
/// The value is accumulated in Double; the gradient is of the *mean* over the batch, so learning rates do not
/// depend on the batch size.
public protocol Loss {
    /// A short name for reports ("mse", "binary_cross_entropy", "softmax_cross_entropy").
    var name: String { get }

    /// Checks that `targets` suit predictions of shape `predictionShape` (shapes, label ranges, finiteness).
    func validate(targets: Tensor, predictionShape: [Int]) throws

    /// The mean loss of `predictions` against `targets`, writing d(loss)/d(predictions) into `gradient`.
    func evaluate(predictions: Tensor, targets: Tensor, gradient: inout Tensor) -> Double

    /// The mean loss alone (no gradient buffer is written).
    func value(predictions: Tensor, targets: Tensor) -> Double
}

extension Loss {
    /// The mean loss and its gradient, allocated.
    public func valueAndGradient(predictions: Tensor, targets: Tensor) -> (value: Double, gradient: Tensor) {
        var gradient = Tensor(zeros: [0])
        let value = evaluate(predictions: predictions, targets: targets, gradient: &gradient)
        return (value, gradient)
    }
}

/// Targets that do not fit a loss.
public enum LossTargetError: Error, CustomStringConvertible, Equatable {
    case shapeMismatch(loss: String, predictions: [Int], targets: [Int])
    case invalidTarget(loss: String, row: Int, value: Float, allowed: String)

    public var description: String {
        switch self {
        case let .shapeMismatch(loss, predictions, targets):
            return "\(loss): targets of shape \(targets) do not match predictions of shape \(predictions)"
        case let .invalidTarget(loss, row, value, allowed):
            return "\(loss): target \(value) in row \(row) is not allowed (expected \(allowed))"
        }
    }
}
