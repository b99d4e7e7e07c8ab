/// Training-time image augmentation on NCHW batches.
public enum ImageAugmentation {
    /// Copies `images` into `output`, each image moved by a random whole-pixel offset in −maximum…maximum on
    /// both axes (vacated pixels are 0, the background), drawn from `generator` (seeded: reproducible).
    public static func randomShift(_ images: Tensor, maximum: Int, into output: inout Tensor,
                                   using generator: inout SeededGenerator) {
        precondition(images.rank == 4, "randomShift expects [count, channels, height, width], got \(images.shape)")
        output.resize(to: images.shape)
        let count = images.shape[0], planes = images.shape[1], h = images.shape[2], w = images.shape[3]
        let span = UInt64(2 * maximum + 1)
        var offsets = [(Int, Int)](repeating: (0, 0), count: count)
        for i in 0..<count {
            offsets[i] = (Int(generator.next() % span) - maximum, Int(generator.next() % span) - maximum)
        }
        images.scalars.withUnsafeBufferPointer { x in
            output.scalars.withUnsafeMutableBufferPointer { y in
                let xb = x.baseAddress!, yb = y.baseAddress!
                parallelFor(count, minimumChunkSize: 256) { _, range in
                    for n in range {
                        let (dy, dx) = offsets[n]
                        for p in 0..<planes {
                            let source = xb + (n * planes + p) * h * w, target = yb + (n * planes + p) * h * w
                            target.update(repeating: 0, count: h * w)
                            let x0 = max(0, dx), x1 = min(w, w + dx)
                            guard x1 > x0 else { continue }
                            for row in max(0, dy)..<min(h, h + dy) {
                                (target + row * w + x0).update(from: source + (row - dy) * w + (x0 - dx), count: x1 - x0)
                            }
                        }
                    }
                }
            }
        }
    }
}
