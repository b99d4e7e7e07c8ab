/// Updates parameters from their gradients.
///
/// An optimizer sees only the flat list of `Parameter`s, so it works unchanged for every layer kind. Its
/// per-parameter state (momentum, moment estimates) is kept by position in that list, which is fixed for a
/// given network; passing a list with different shapes resets the state.
public protocol Optimizer: AnyObject {
    /// The step size of the next update; the trainer sets it from the learning-rate schedule each epoch.
    var learningRate: Float { get set }

    /// Applies one update to every parameter using its current gradient.
    func update(_ parameters: [Parameter])

    /// Forgets all accumulated state (momentum, moments, step count).
    func reset()
}

/// Per-parameter state buffers, matched to a parameter list by position and shape.
struct OptimizerSlots {
    private(set) var buffers: [[Float]] = []
    private var shapes: [[Int]] = []

    /// Makes sure there is one zeroed buffer per parameter; returns true when the state was (re)created.
    @discardableResult
    mutating func prepare(for parameters: [Parameter]) -> Bool {
        let currentShapes = parameters.map { $0.value.shape }
        if currentShapes == shapes { return false }
        shapes = currentShapes
        buffers = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        return true
    }

    mutating func reset() {
        buffers = []
        shapes = []
    }

    mutating func withBuffer<R>(_ index: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> R) -> R {
        buffers[index].withUnsafeMutableBufferPointer { body($0) }
    }
}

extension Parameter {
    /// Runs `body` on the value (mutable) and the gradient of this parameter.
    @inline(__always)
    func withValueAndGradient(_ body: (UnsafeMutableBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Void) {
        precondition(value.shape == gradient.shape,
                     "parameter '\(name)': gradient shape \(gradient.shape) differs from value shape \(value.shape)")
        let gradientScalars = gradient.scalars
        gradientScalars.withUnsafeBufferPointer { g in
            value.scalars.withUnsafeMutableBufferPointer { v in body(v, g) }
        }
    }
}
