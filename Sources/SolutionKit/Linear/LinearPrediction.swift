/// x·w + b for every row, in Double, over both cores for large inputs.
enum LinearPrediction {
    static func decisionValues(_ x: Tensor, coefficients: [Double], intercept: Double) throws -> [Double] {
        guard x.rank == 2 else { throw LinearModelError.notAMatrix(shape: x.shape) }
        let rows = x.shape[0], features = x.shape[1]
        guard features == coefficients.count else {
            throw LinearModelError.featureCountMismatch(expected: coefficients.count, got: features)
        }
        var output = [Double](repeating: 0, count: rows)
        x.scalars.withUnsafeBufferPointer { xs in
            coefficients.withUnsafeBufferPointer { w in
                output.withUnsafeMutableBufferPointer { out in
                    let outBase = out.baseAddress!
                    parallelFor(rows, minimumChunkSize: 16_384) { _, range in
                        for i in range {
                            var sum = intercept
                            let base = i * features
                            for j in 0..<features { sum += Double(xs[base + j]) * w[j] }
                            outBase[i] = sum
                        }
                    }
                }
            }
        }
        return output
    }
}
