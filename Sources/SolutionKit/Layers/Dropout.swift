/// Inverted dropout: in training each value is zeroed with probability `rate` and the survivors are scaled by
/// 1 / (1 − rate), so inference is the identity and needs no rescaling.
///
/// The mask stream is seeded: the same seed and the same batch sequence give the same masks.
public final class Dropout: Layer {
    public let rate: Float
    public let seed: UInt64
    private var generator: SeededGenerator
    /// The scale (0 or 1 / (1 − rate)) applied to each value by the last training forward.
    private var mask = Tensor(zeros: [0])

    public init(rate: Float, seed: UInt64) {
        precondition(rate >= 0 && rate < 1, "Dropout rate must be in [0, 1), got \(rate)")
        self.rate = rate
        self.seed = seed
        generator = SeededGenerator(seed: seed)
    }

    public var parameters: [Parameter] { [] }
    public var spec: LayerSpec { .dropout(rate: rate) }
    public func outputShape(forInputShape inputShape: [Int]) throws -> [Int] { inputShape }

    public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
        guard training, rate > 0 else {
            output.assign(input)
            return
        }
        mask.resize(to: input.shape)
        output.resize(to: input.shape)
        let keepScale = 1 / (1 - rate), threshold = rate
        mask.scalars.withUnsafeMutableBufferPointer { m in
            input.scalars.withUnsafeBufferPointer { x in
                output.scalars.withUnsafeMutableBufferPointer { y in
                    for index in x.indices {
                        let scale: Float = generator.nextUnitFloat() < threshold ? 0 : keepScale
                        m[index] = scale
                        y[index] = x[index] * scale
                    }
                }
            }
        }
    }

    public func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        guard rate > 0 else {
            inputGradient.assign(outputGradient)
            return
        }
        precondition(mask.shape == outputGradient.shape,
                     "Dropout backward: gradient \(outputGradient.shape) does not match the last training batch \(mask.shape)")
        inputGradient.assign(outputGradient)
        inputGradient *= mask
    }
}
