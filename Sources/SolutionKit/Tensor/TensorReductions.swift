/// Sums and means, accumulated in Double so that long reductions keep Float32 data exact to its precision.
extension Tensor {
    /// The sum of all values.
    public func sum() -> Float {
        scalars.withUnsafeBufferPointer { buffer in
            var total = 0.0
            for value in buffer { total += Double(value) }
            return Float(total)
        }
    }

    /// The mean of all values (NaN for an empty tensor).
    public func mean() -> Float { count == 0 ? .nan : Float(Double(sum()) / Double(count)) }

    /// The sum of squares of all values (Double: used for gradient norms).
    public func squaredSum() -> Double {
        scalars.withUnsafeBufferPointer { buffer in
            var total = 0.0
            for value in buffer { total += Double(value) * Double(value) }
            return total
        }
    }

    /// Per-column sums over all rows, shape `[columns]`: the bias gradient of a dense layer.
    public func columnSums() -> Tensor {
        var result = Tensor(zeros: [columns])
        columnSums(into: &result)
        return result
    }

    /// Writes the per-column sums into `result` (resized to `[columns]`).
    public func columnSums(into result: inout Tensor) {
        let width = columns, rowCount = width == 0 ? 0 : count / width
        result.resize(to: [width])
        scalars.withUnsafeBufferPointer { m in
            result.scalars.withUnsafeMutableBufferPointer { out in
                for column in 0..<width { out[column] = 0 }
                for row in 0..<rowCount {
                    let base = row * width
                    for column in 0..<width { out[column] += m[base + column] }
                }
            }
        }
    }

    /// Per-column means over all rows, shape `[columns]`.
    public func columnMeans() -> Tensor {
        let sums = columnSums()
        return rows == 0 ? sums : sums / Float(rows)
    }

    /// Per-row sums over all columns, shape `[rows]`.
    public func rowSums() -> Tensor {
        let width = columns, rowCount = rows
        var result = Tensor(zeros: [rowCount])
        scalars.withUnsafeBufferPointer { m in
            result.scalars.withUnsafeMutableBufferPointer { out in
                for row in 0..<rowCount {
                    var total: Float = 0
                    let base = row * width
                    for column in 0..<width { total += m[base + column] }
                    out[row] = total
                }
            }
        }
        return result
    }

    /// Per-row means over all columns, shape `[rows]`.
    public func rowMeans() -> Tensor {
        let width = columns
        return width == 0 ? rowSums() : rowSums() / Float(width)
    }

    /// The column index of each row's largest value (the predicted class of a row of logits).
    public func argmaxOfRows() -> [Int] {
        let width = columns, rowCount = rows
        precondition(width > 0, "argmaxOfRows needs at least one column, shape is \(shape)")
        var result = [Int](repeating: 0, count: rowCount)
        scalars.withUnsafeBufferPointer { m in
            for row in 0..<rowCount {
                let base = row * width
                var best = 0
                for column in 1..<max(width, 1) where m[base + column] > m[base + best] { best = column }
                result[row] = best
            }
        }
        return result
    }
}
