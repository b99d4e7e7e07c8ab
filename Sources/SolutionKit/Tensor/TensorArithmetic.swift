/// Element-wise and scalar arithmetic.
///
/// Binary operators require identical shapes (no implicit broadcasting, so a shape mistake is a crash with a
/// message rather than a silently wrong result); the one broadcast the kit needs, adding a bias row, is explicit.
extension Tensor {
    @inline(__always)
    static func checkSameShape(_ a: Tensor, _ b: Tensor, _ operation: String) {
        precondition(a.shape == b.shape, "\(operation): shapes differ, \(a.shape) vs \(b.shape)")
    }

    @inline(__always)
    mutating func combine(with other: Tensor, _ operation: String, _ op: (Float, Float) -> Float) {
        Tensor.checkSameShape(self, other, operation)
        other.scalars.withUnsafeBufferPointer { rhs in
            scalars.withUnsafeMutableBufferPointer { lhs in
                for index in lhs.indices { lhs[index] = op(lhs[index], rhs[index]) }
            }
        }
    }

    @inline(__always)
    mutating func apply(_ op: (Float) -> Float) {
        scalars.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] = op(buffer[index]) }
        }
    }

    public static func += (lhs: inout Tensor, rhs: Tensor) { lhs.combine(with: rhs, "+=") { $0 + $1 } }
    public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs.combine(with: rhs, "-=") { $0 - $1 } }
    /// Element-wise (Hadamard) product in place.
    public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs.combine(with: rhs, "*=") { $0 * $1 } }
    public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs.combine(with: rhs, "/=") { $0 / $1 } }

    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor { var r = lhs; r += rhs; return r }
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor { var r = lhs; r -= rhs; return r }
    /// Element-wise (Hadamard) product.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor { var r = lhs; r *= rhs; return r }
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor { var r = lhs; r /= rhs; return r }

    public static func += (lhs: inout Tensor, rhs: Float) { lhs.apply { $0 + rhs } }
    public static func -= (lhs: inout Tensor, rhs: Float) { lhs.apply { $0 - rhs } }
    public static func *= (lhs: inout Tensor, rhs: Float) { lhs.apply { $0 * rhs } }
    public static func /= (lhs: inout Tensor, rhs: Float) { lhs.apply { $0 / rhs } }

    public static func + (lhs: Tensor, rhs: Float) -> Tensor { var r = lhs; r += rhs; return r }
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { var r = lhs; r -= rhs; return r }
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { var r = lhs; r *= rhs; return r }
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { var r = rhs; r *= lhs; return r }
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { var r = lhs; r /= rhs; return r }
    public static prefix func - (operand: Tensor) -> Tensor { var r = operand; r.apply { -$0 }; return r }

    /// Adds `vector` (shape `[columns]` or `[1, columns]`) to every row: the bias of a dense layer.
    public mutating func addRowVector(_ vector: Tensor) {
        let width = columns
        precondition(vector.count == width && vector.rank <= 2 && (vector.rank < 2 || vector.shape[0] == 1),
                     "addRowVector: vector of shape \(vector.shape) does not match rows of width \(width) (shape \(shape))")
        let rowCount = count / max(width, 1)
        vector.scalars.withUnsafeBufferPointer { v in
            scalars.withUnsafeMutableBufferPointer { m in
                for row in 0..<rowCount {
                    let base = row * width
                    for column in 0..<width { m[base + column] += v[column] }
                }
            }
        }
    }

    /// This tensor with `vector` added to every row.
    public func addingRowVector(_ vector: Tensor) -> Tensor { var r = self; r.addRowVector(vector); return r }

    /// Each value squared.
    public func squared() -> Tensor { var r = self; r.apply { $0 * $0 }; return r }
}
