import COpenBLAS

/// A 2-D convolution (stride 1, zero padding) on NCHW batches, as im2col + `cblas_sgemm` per image.
///
/// `weight` has shape `[filters, channels·k·k]` (PyTorch's `[F, C, k, k]` flattened), `bias` `[filters]`.
/// The batch is split over `Parallelism.threadCount` workers, each with its own im2col buffer; OpenBLAS runs
/// single-threaded inside so the two levels never fight over the cores. The weight gradient is summed per
/// worker and the partial sums are added in worker order, so a given thread count gives identical results.
public final class Conv2D: Layer {
    public let inputChannels: Int
    public let filters: Int
    public let kernelSize: Int
    public let padding: Int
    public let initializer: WeightInitializer
    public let weight: Parameter
    public let bias: Parameter

    /// When false, `backward` computes only the parameter gradients and leaves `inputGradient` zeroed: for the
    /// first layer of a network, whose input gradient nothing uses (it saves a GEMM and a col2im per image).
    public var computesInputGradient = true

    /// Per-worker scratch kept between training batches (im2col buffers, partial gradients).
    private var trainingColumns: WorkerBuffers?
    private var partialWeightGradients: WorkerBuffers?
    private var partialBiasGradients: WorkerBuffers?

    public init(inputChannels: Int, filters: Int, kernelSize: Int, padding: Int = 0,
                initializer: WeightInitializer = .heNormal, seed: UInt64) {
        precondition(inputChannels > 0 && filters > 0 && kernelSize > 0 && padding >= 0,
                     "Conv2D needs positive channels, filters and kernel size and padding ≥ 0")
        self.inputChannels = inputChannels
        self.filters = filters
        self.kernelSize = kernelSize
        self.padding = padding
        self.initializer = initializer
        let fanIn = inputChannels * kernelSize * kernelSize
        var generator = SeededGenerator(seed: seed)
        let weights = initializer.sample(count: filters * fanIn, fanIn: fanIn,
                                         fanOut: filters * kernelSize * kernelSize, using: &generator)
        weight = Parameter(name: "weight", value: Tensor(shape: [filters, fanIn], scalars: weights))
        bias = Parameter(name: "bias", value: Tensor(zeros: [filters]))
    }

    public var parameters: [Parameter] { [weight, bias] }
    public var spec: LayerSpec {
        .conv2D(inputChannels: inputChannels, filters: filters, kernelSize: kernelSize, padding: padding,
                initializer: initializer)
    }
    private var name: String { "Conv2D(\(inputChannels) → \(filters), \(kernelSize)×\(kernelSize), padding \(padding))" }

    func geometry(for shape: [Int]) -> ConvolutionGeometry {
        ConvolutionGeometry(channels: shape[1], height: shape[2], width: shape[3], kernel: kernelSize, padding: padding)
    }

    public func outputShape(forInputShape inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 4, inputShape[1] == inputChannels,
              inputShape[2] + 2 * padding >= kernelSize, inputShape[3] + 2 * padding >= kernelSize else {
            throw LayerShapeError(layer: name, expected: "[batch, \(inputChannels), height, width] with height and width "
                                  + "≥ \(max(kernelSize - 2 * padding, 1))", found: inputShape)
        }
        let g = geometry(for: inputShape)
        return [inputShape[0], filters, g.outputHeight, g.outputWidth]
    }

    private func checkedGeometry(_ input: Tensor) -> ConvolutionGeometry {
        do { _ = try outputShape(forInputShape: input.shape) } catch { preconditionFailure("\(error)") }
        return geometry(for: input.shape)
    }

    public func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {
        let g = checkedGeometry(input)
        let batch = input.shape[0]
        output.resize(to: [batch, filters, g.outputHeight, g.outputWidth])
        let workers = max(1, min(Parallelism.threadCount, batch))
        // Inference must leave the layer untouched (several threads may share it): local scratch then.
        let columnPointers: WorkerBuffers
        if training {
            ensureScratch(workers: workers, g: g)
            columnPointers = trainingColumns!
        } else {
            columnPointers = WorkerBuffers(workers: workers, count: g.patchSize * g.outputPixels)
        }
        let f = filters, patch = g.patchSize, pixels = g.outputPixels, inputSize = g.inputSize
        withSingleThreadedBLAS {
            input.scalars.withUnsafeBufferPointer { x in
                output.scalars.withUnsafeMutableBufferPointer { y in
                    weight.value.scalars.withUnsafeBufferPointer { w in
                        bias.value.scalars.withUnsafeBufferPointer { b in
                            let xb = x.baseAddress!, yb = y.baseAddress!, wb = w.baseAddress!, bb = b.baseAddress!
                            parallelFor(batch, chunks: workers) { worker, samples in
                                let col = columnPointers[worker]
                                for n in samples {
                                    g.im2col(xb + n * inputSize, col)
                                    let out = yb + n * f * pixels
                                    for filter in 0..<f { (out + filter * pixels).update(repeating: bb[filter], count: pixels) }
                                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(f), Int32(pixels), Int32(patch),
                                                1, wb, Int32(patch), col, Int32(pixels), 1, out, Int32(pixels))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    public func backward(input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor) {
        let g = checkedGeometry(input)
        let batch = input.shape[0]
        precondition(outputGradient.shape == [batch, filters, g.outputHeight, g.outputWidth],
                     "\(name) backward: output gradient \(outputGradient.shape) does not match the output shape")
        inputGradient.resize(to: input.shape)
        let workers = max(1, min(Parallelism.threadCount, batch))
        ensureScratch(workers: workers, g: g)
        let f = filters, patch = g.patchSize, pixels = g.outputPixels, inputSize = g.inputSize
        // Each worker needs two patch matrices: the im2col of the input and the gradient w.r.t. it.
        let computeInput = computesInputGradient
        let columnPointers = trainingColumns!, weightPartials = partialWeightGradients!, biasPartials = partialBiasGradients!
        withSingleThreadedBLAS {
            input.scalars.withUnsafeBufferPointer { x in
                outputGradient.scalars.withUnsafeBufferPointer { dy in
                    inputGradient.scalars.withUnsafeMutableBufferPointer { dx in
                        weight.value.scalars.withUnsafeBufferPointer { w in
                            let xb = x.baseAddress!, dyb = dy.baseAddress!, dxb = dx.baseAddress!, wb = w.baseAddress!
                            parallelFor(batch, chunks: workers) { worker, samples in
                                let col = columnPointers[worker], dcol = col + patch * pixels
                                let dw = weightPartials[worker], db = biasPartials[worker]
                                dw.update(repeating: 0, count: f * patch)
                                db.update(repeating: 0, count: f)
                                for n in samples {
                                    let gradient = dyb + n * f * pixels
                                    g.im2col(xb + n * inputSize, col)
                                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(f), Int32(patch), Int32(pixels),
                                                1, gradient, Int32(pixels), col, Int32(pixels), 1, dw, Int32(patch))
                                    for filter in 0..<f {
                                        let row = gradient + filter * pixels
                                        var sum: Float = 0
                                        for i in 0..<pixels { sum += row[i] }
                                        db[filter] += sum
                                    }
                                    let target = dxb + n * inputSize
                                    target.update(repeating: 0, count: inputSize)
                                    guard computeInput else { continue }
                                    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, Int32(patch), Int32(pixels), Int32(f),
                                                1, wb, Int32(patch), gradient, Int32(pixels), 0, dcol, Int32(pixels))
                                    g.col2im(dcol, target)
                                }
                            }
                        }
                    }
                }
            }
        }
        // Reduce the partial sums in worker order (deterministic for a given thread count).
        weight.gradient.resize(to: weight.value.shape)
        bias.gradient.resize(to: bias.value.shape)
        weight.gradient.scalars.withUnsafeMutableBufferPointer { dw in
            bias.gradient.scalars.withUnsafeMutableBufferPointer { db in
                dw.update(repeating: 0)
                db.update(repeating: 0)
                for worker in 0..<workers {
                    let partialW = weightPartials[worker], partialB = biasPartials[worker]
                    for i in 0..<dw.count { dw[i] += partialW[i] }
                    for i in 0..<db.count { db[i] += partialB[i] }
                }
            }
        }
    }

    private func ensureScratch(workers: Int, g: ConvolutionGeometry) {
        trainingColumns = WorkerBuffers.reuse(trainingColumns, workers: workers, count: 2 * g.patchSize * g.outputPixels)
        partialWeightGradients = WorkerBuffers.reuse(partialWeightGradients, workers: workers, count: weight.value.count)
        partialBiasGradients = WorkerBuffers.reuse(partialBiasGradients, workers: workers, count: filters)
    }
}
