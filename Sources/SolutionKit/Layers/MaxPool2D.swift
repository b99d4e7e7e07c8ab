/// Max pooling over non-overlapping `size × size` windows of NCHW input (stride = size; a partial window at
/// the right or bottom edge is dropped, as in PyTorch's default `floor` mode).
///
/// The backward pass finds each window's maximum again from the input instead of remembering it, so the layer
/// holds no state at all; ties go to the first position in row-major order, as the forward pass chose it.
public final class MaxPool2D: Layer {
    public let size: Int

    public init(size: Int) {
        precondition(size > 0, "MaxPool2D needs a positive window size, got \(size)")
        self.size = size
    }

    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { .maxPool2D(size: size) }

    public func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 4, inputShape[2] >= size, inputShape[3] >= size else {
            throw LayerShapeError(layer: "MaxPool2D(\(size))",
                                  expected: "[batch, channels, height, width] with height and width ≥ \(size)", found: inputShape)
        }
        return [inputShape[0], inputShape[1], inputShape[2] / size, inputShape[3] / size]
    }

    private func checkedShape(_ input: Tensor) -> [Int] {
        do { return try outputShape(forInputShape: input.shape) } catch { preconditionFailure("\(error)") }
    }

    public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
        let shape = checkedShape(input)
        output.resize(to: shape)
        let planes = shape[0] * shape[1], height = input.shape[2], width = input.shape[3]
        let oh = shape[2], ow = shape[3], s = size
        input.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                let xb = x.baseAddress!, yb = y.baseAddress!
                parallelFor(planes, minimumChunkSize: 64) { _, range in
                    for plane in range {
                        let source = xb + plane * height * width, target = yb + plane * oh * ow
                        for oy in 0..<oh {
                            for ox in 0..<ow {
                                let corner = source + oy * s * width + ox * s
                                var best = corner[0]
                                for dy in 0..<s {
                                    let row = corner + dy * width
                                    for dx in 0..<s where row[dx] > best { best = row[dx] }
                                }
                                target[oy * ow + ox] = best
                            }
                        }
                    }
                }
            }
        }
    }

    public func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        let shape = checkedShape(input)
        precondition(outputGradient.shape == shape,
                     "MaxPool2D backward: output gradient \(outputGradient.shape), expected \(shape)")
        inputGradient.resize(to: input.shape)
        let planes = shape[0] * shape[1], height = input.shape[2], width = input.shape[3]
        let oh = shape[2], ow = shape[3], s = size
        input.scalars.withUnsafeBufferPointer { x in
            outputGradient.scalars.withUnsafeBufferPointer { dy in
                inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                    let xb = x.baseAddress!, dyb = dy.baseAddress!, dxb = dx.baseAddress!
                    parallelFor(planes, minimumChunkSize: 64) { _, range in
                        for plane in range {
                            let source = xb + plane * height * width, target = dxb + plane * height * width
                            let gradient = dyb + plane * oh * ow
                            target.update(repeating: 0, count: height * width)
                            for oy in 0..<oh {
                                for ox in 0..<ow {
                                    let offset = oy * s * width + ox * s
                                    var bestOffset = offset, best = source[offset]
                                    for ddy in 0..<s {
                                        for ddx in 0..<s {
                                            let candidate = offset + ddy * width + ddx
                                            if source[candidate] > best { best = source[candidate]; bestOffset = candidate }
                                        }
                                    }
                                    target[bestOffset] += gradient[oy * ow + ox]
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
