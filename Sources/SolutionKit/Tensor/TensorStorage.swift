extension Tensor {
    /// Gives this tensor `newShape`, keeping its storage when the element count already matches.
    ///
    /// Layers and the trainer call this on buffers they own, so that a mini-batch of the same size as the last
    /// one reuses the same memory instead of allocating. When the count changes the values are zeroed; when it
    /// does not, the previous values are left in place and the caller is expected to overwrite them.
    public mutating func resize(to newShape: [Int]) {
        if shape == newShape { return }
        let needed = newShape.reduce(1, *)
        var storage = scalars
        scalars = []
        if storage.count != needed {
            storage.removeAll(keepingCapacity: true)
            storage.append(contentsOf: repeatElement(0, count: needed))
        }
        self = Tensor(shape: newShape, scalars: storage)
    }

    /// Sets every value to `value`, keeping shape and storage.
    public mutating func fill(with value: Float) {
        scalars.withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices { buffer[index] = value }
        }
    }

    /// Copies `source`'s shape and values into this tensor, reusing storage when the counts agree.
    public mutating func assign(_ source: Tensor) {
        resize(to: source.shape)
        source.scalars.withUnsafeBufferPointer { from in
            scalars.withUnsafeMutableBufferPointer { to in
                guard let destination = to.baseAddress, let origin = from.baseAddress else { return }
                destination.update(from: origin, count: from.count)
            }
        }
    }

    /// True when every value is finite (no NaN, no infinity).
    public var isFinite: Bool {
        scalars.withUnsafeBufferPointer { buffer in
            for value in buffer where !value.isFinite { return false }
            return true
        }
    }
}
