/// A dense, row-major array of Float32 values with a shape.
///
/// The one numeric container of the kit: feature matrices (rows × features), network activations (NCHW for
/// images), weights. Operations live in extensions beside this file, each concern in its own file.
public struct Tensor: Equatable, Sendable {
    /// The size of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The values, row-major (the last dimension varies fastest).
    public var scalars: [Float]

    /// A tensor holding `scalars` in the given shape; the counts must agree.
    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor shape \(shape) has a negative dimension")
        precondition(shape.reduce(1, *) == scalars.count,
                     "Tensor shape \(shape) needs \(shape.reduce(1, *)) values, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of the given shape filled with `value`.
    public init(shape: [Int], repeating value: Float) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, repeating: 0)
    }

    public var rank: Int { shape.count }
    public var count: Int { scalars.count }

    /// The first dimension: rows of a matrix, samples of a batch.
    public var rows: Int { shape.first ?? 1 }

    /// The number of values per row (the product of all dimensions after the first).
    public var columns: Int { shape.dropFirst().reduce(1, *) }

    /// The same values seen in another shape with the same count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, scalars: scalars)
    }
}
