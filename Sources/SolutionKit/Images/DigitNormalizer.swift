/// MNIST-style normalisation of any digit image, as LeCun et al. prepared MNIST itself: ink made white on
/// black, cropped to the ink's bounding box, scaled (keeping the aspect ratio, with area averaging) to fit a
/// 20×20 box, and placed in a 28×28 field so that the ink's centre of mass is at the centre.
///
/// So a scanned form or a photo-sized PNG of dark ink on white arrives at the network looking like the
/// training data.
public struct DigitNormalizer: Codable, Equatable, Sendable {
    public var fieldSize: Int
    public var boxSize: Int
    /// Ink below this fraction of the strongest ink is ignored when finding the bounding box (noise, paper grain,
    /// the soft halo of a blurred or enlarged scan). At one half, MNIST's own digits measure 19.98 pixels on their
    /// longer side (mean over 2,000 test digits) against 20.0 by design, and the same digits enlarged to 64×64
    /// bilinearly measure 19.86 in 28-pixel units, so the box means the same for sharp and soft images.
    public var inkThreshold: Double

    public init(fieldSize: Int = 28, boxSize: Int = 20, inkThreshold: Double = 0.5) {
        self.fieldSize = fieldSize
        self.boxSize = boxSize
        self.inkThreshold = inkThreshold
    }

    /// The normalised image as `fieldSize²` values in 0...1 (1 = ink); `name` is used in the error for a blank image.
    public func normalize(_ image: GrayImage, name: String) throws -> [Float] {
        let w = image.width, h = image.height
        // Ink polarity from the border: a light border means dark ink on a light background.
        var borderSum = 0, borderCount = 0
        for x in 0..<w { borderSum += Int(image[x, 0]) + Int(image[x, h - 1]); borderCount += 2 }
        for y in 0..<h { borderSum += Int(image[0, y]) + Int(image[w - 1, y]); borderCount += 2 }
        let invert = borderSum > 127 * borderCount
        var ink = [Float](repeating: 0, count: w * h)
        // The background level is the border's median; ink is measured from it.
        let background = Float(borderMedian(invert ? image.pixels.map { 255 - $0 } : image.pixels, width: w, height: h))
        var strongest: Float = 0
        for i in 0..<(w * h) {
            let v = Float(invert ? 255 - image.pixels[i] : image.pixels[i]) - background
            ink[i] = max(v, 0)
            strongest = max(strongest, ink[i])
        }
        guard strongest > 0 else { throw ImageError.noInk(path: name) }
        let threshold = Float(inkThreshold) * strongest
        var minX = w, minY = h, maxX = -1, maxY = -1
        for y in 0..<h {
            for x in 0..<w where ink[y * w + x] > threshold {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        let boxW = maxX - minX + 1, boxH = maxY - minY + 1
        let scale = Double(boxSize) / Double(max(boxW, boxH))
        let outW = max(1, Int((Double(boxW) * scale).rounded())), outH = max(1, Int((Double(boxH) * scale).rounded()))
        let patch = Self.areaResample(ink, width: w, x0: minX, y0: minY, sourceWidth: boxW, sourceHeight: boxH,
                                      targetWidth: outW, targetHeight: outH)
        // Centre of mass of the patch, then place it so that it lands on the field's centre.
        var mass = 0.0, cx = 0.0, cy = 0.0
        for y in 0..<outH { for x in 0..<outW { let v = Double(patch[y * outW + x]); mass += v; cx += v * Double(x); cy += v * Double(y) } }
        // MNIST's centres of mass sit at pixel index 14.0 on both axes (mean over its test set: 13.99, 14.01).
        let centre = Double(fieldSize) / 2
        let left = mass > 0 ? Int((centre - cx / mass).rounded()) : (fieldSize - outW) / 2
        let top = mass > 0 ? Int((centre - cy / mass).rounded()) : (fieldSize - outH) / 2
        var field = [Float](repeating: 0, count: fieldSize * fieldSize)
        let peak = patch.max() ?? 1
        let norm: Float = peak > 0 ? 1 / peak : 1
        for y in 0..<outH {
            let fy = y + top
            guard fy >= 0 && fy < fieldSize else { continue }
            for x in 0..<outW {
                let fx = x + left
                guard fx >= 0 && fx < fieldSize else { continue }
                field[fy * fieldSize + fx] = min(1, patch[y * outW + x] * norm)
            }
        }
        return field
    }

    private func borderMedian(_ pixels: [UInt8], width w: Int, height h: Int) -> UInt8 {
        var histogram = [Int](repeating: 0, count: 256)
        var count = 0
        for x in 0..<w { histogram[Int(pixels[x])] += 1; histogram[Int(pixels[(h - 1) * w + x])] += 1; count += 2 }
        for y in 0..<h { histogram[Int(pixels[y * w])] += 1; histogram[Int(pixels[y * w + w - 1])] += 1; count += 2 }
        var seen = 0
        for value in 0..<256 { seen += histogram[value]; if seen * 2 >= count { return UInt8(value) } }
        return 0
    }

    /// Area-averaging resample of a sub-rectangle: each target pixel is the mean of the source area it covers
    /// (fractional coverage at the edges), which anti-aliases when shrinking and stays smooth when enlarging.
    static func areaResample(_ source: [Float], width: Int, x0: Int, y0: Int, sourceWidth: Int, sourceHeight: Int,
                             targetWidth: Int, targetHeight: Int) -> [Float] {
        let sx = Double(sourceWidth) / Double(targetWidth), sy = Double(sourceHeight) / Double(targetHeight)
        var result = [Float](repeating: 0, count: targetWidth * targetHeight)
        source.withUnsafeBufferPointer { src in
            for ty in 0..<targetHeight {
                let top = Double(ty) * sy, bottom = top + sy
                for tx in 0..<targetWidth {
                    let left = Double(tx) * sx, right = left + sx
                    var sum = 0.0
                    var y = Int(top)
                    while Double(y) < bottom && y < sourceHeight {
                        let coverY = min(bottom, Double(y + 1)) - max(top, Double(y))
                        var x = Int(left)
                        while Double(x) < right && x < sourceWidth {
                            let coverX = min(right, Double(x + 1)) - max(left, Double(x))
                            sum += Double(src[(y0 + y) * width + x0 + x]) * coverX * coverY
                            x += 1
                        }
                        y += 1
                    }
                    result[ty * targetWidth + tx] = Float(sum / (sx * sy))
                }
            }
        }
        return result
    }
}
