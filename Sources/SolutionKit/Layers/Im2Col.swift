/// The im2col / col2im rearrangements that turn a stride-1 convolution of one image into a matrix product.
///
/// `col` has one row per (channel, kernel row, kernel column) and one column per output pixel, so the
/// convolution of an image is `weight [filters, C·k·k] · col [C·k·k, OH·OW]`: a single `cblas_sgemm`.
/// Both functions work on raw pointers to one image, so the callers parallelise over the batch without
/// allocating per pixel.
@usableFromInline
struct ConvolutionGeometry: Equatable {
    let channels: Int, height: Int, width: Int
    let kernel: Int, padding: Int
    var outputHeight: Int { height + 2 * padding - kernel + 1 }
    var outputWidth: Int { width + 2 * padding - kernel + 1 }
    var patchSize: Int { channels * kernel * kernel }
    var outputPixels: Int { outputHeight * outputWidth }
    var inputSize: Int { channels * height * width }

    /// Fills `col` (`patchSize × outputPixels`) from `image` (`channels × height × width`); padding reads as 0.
    func im2col(_ image: UnsafePointer<Float>, _ col: UnsafeMutablePointer<Float>) {
        let oh = outputHeight, ow = outputWidth, k = kernel, p = padding
        for c in 0..<channels {
            let plane = image + c * height * width
            for ki in 0..<k {
                for kj in 0..<k {
                    let row = col + ((c * k + ki) * k + kj) * oh * ow
                    for oy in 0..<oh {
                        let iy = oy + ki - p
                        let out = row + oy * ow
                        if iy < 0 || iy >= height {
                            out.update(repeating: 0, count: ow)
                            continue
                        }
                        let source = plane + iy * width
                        // The valid output columns are those with 0 ≤ ox + kj − p < width.
                        let first = max(0, p - kj), last = min(ow, width + p - kj)
                        if first > 0 { out.update(repeating: 0, count: first) }
                        if last > first { (out + first).update(from: source + (first + kj - p), count: last - first) }
                        if last < ow { (out + max(last, first)).update(repeating: 0, count: ow - max(last, first)) }
                    }
                }
            }
        }
    }

    /// Adds the columns of `col` back onto `image` (the adjoint of `im2col`); `image` must be zeroed first.
    func col2im(_ col: UnsafePointer<Float>, _ image: UnsafeMutablePointer<Float>) {
        let oh = outputHeight, ow = outputWidth, k = kernel, p = padding
        for c in 0..<channels {
            let plane = image + c * height * width
            for ki in 0..<k {
                for kj in 0..<k {
                    let row = col + ((c * k + ki) * k + kj) * oh * ow
                    let first = max(0, p - kj), last = min(ow, width + p - kj)
                    guard last > first else { continue }
                    for oy in 0..<oh {
                        let iy = oy + ki - p
                        if iy < 0 || iy >= height { continue }
                        let target = plane + iy * width + (first + kj - p)
                        let source = row + oy * ow + first
                        for x in 0..<(last - first) { target[x] += source[x] }
                    }
                }
            }
        }
    }
}
