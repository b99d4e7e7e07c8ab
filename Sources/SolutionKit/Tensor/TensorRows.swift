/// Row slicing and gathering: how mini-batches and validation subsets are cut from a data tensor.
///
/// A "row" is everything after the first dimension, so the same calls cut batches of images (NCHW) as of
/// feature rows.
extension Tensor {
    /// The shape of `rowCount` rows of this tensor.
    func shapeWithRows(_ rowCount: Int) -> [Int] {
        var newShape = shape.isEmpty ? [1] : shape
        newShape[0] = rowCount
        return newShape
    }

    /// The rows in `range`, as a new tensor.
    public func rows(in range: Range<Int>) -> Tensor {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows,
                     "rows(in: \(range)) is outside 0..<\(rows) (shape \(shape))")
        let width = columns
        return Tensor(shape: shapeWithRows(range.count),
                      scalars: Array(scalars[(range.lowerBound * width)..<(range.upperBound * width)]))
    }

    /// The rows at `indices`, in that order, as a new tensor.
    public func gatheringRows(_ indices: [Int]) -> Tensor {
        var result = Tensor(zeros: [0])
        result.assignRows(of: self, at: indices[...])
        return result
    }

    /// Fills this tensor with the rows of `source` at `indices`, reusing storage when the size matches.
    public mutating func assignRows(of source: Tensor, at indices: ArraySlice<Int>) {
        let width = source.columns, sourceRows = source.rows
        resize(to: source.shapeWithRows(indices.count))
        source.scalars.withUnsafeBufferPointer { from in
            scalars.withUnsafeMutableBufferPointer { to in
                guard let origin = from.baseAddress, let destination = to.baseAddress else { return }
                for (position, row) in indices.enumerated() {
                    precondition(row >= 0 && row < sourceRows, "row index \(row) is outside 0..<\(sourceRows)")
                    (destination + position * width).update(from: origin + row * width, count: width)
                }
            }
        }
    }

    /// Copies `block` into this tensor's rows starting at `firstRow` (its row width must match).
    public mutating func setRows(startingAt firstRow: Int, from block: Tensor) {
        let width = columns
        precondition(block.columns == width && firstRow >= 0 && firstRow + block.rows <= rows,
                     "setRows: block of shape \(block.shape) does not fit at row \(firstRow) of shape \(shape)")
        block.scalars.withUnsafeBufferPointer { from in
            scalars.withUnsafeMutableBufferPointer { to in
                guard let origin = from.baseAddress, let destination = to.baseAddress else { return }
                (destination + firstRow * width).update(from: origin, count: from.count)
            }
        }
    }
}

extension Tensor {
    /// Fills this tensor with the rows of `source` in `range`, reusing storage when the size matches.
    public mutating func assignRows(of source: Tensor, in range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= source.rows,
                     "assignRows(in: \(range)) is outside 0..<\(source.rows) (shape \(source.shape))")
        let width = source.columns
        resize(to: source.shapeWithRows(range.count))
        source.scalars.withUnsafeBufferPointer { from in
            scalars.withUnsafeMutableBufferPointer { to in
                guard let origin = from.baseAddress, let destination = to.baseAddress else { return }
                destination.update(from: origin + range.lowerBound * width, count: range.count * width)
            }
        }
    }
}
