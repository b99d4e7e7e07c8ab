import COpenBLAS

/// SLIM (Ning & Karypis 2011) with an elastic-net penalty: for every item j, non-negative weights w that
/// reconstruct the column x_j from the other items' columns,
///
///     min_w  1/(2N) ‖y_j − X w‖² + alpha · l1Ratio · ‖w‖₁ + alpha · (1 − l1Ratio)/2 · ‖w‖²,  w ≥ 0, w_j = 0,
///
/// (N users; scikit-learn's `ElasticNet(alpha, l1_ratio, positive=True, fit_intercept=False)` objective,
/// which Ferrari Dacrema et al.'s SLIM uses), y_j = x_j or the relevant ratings (`EASE.Products`).
/// Solved by cyclic coordinate descent on the Gram matrix: a coordinate update needs (XᵀX w)_i, kept
/// current with one axpy per changed weight, so zero weights cost O(1) to check. Each column is an
/// independent problem: the fit is parallel over items and the same at any thread count. Each column keeps
/// its `neighbors` largest weights.
public struct SLIM: Sendable {
    public var alpha: Double = 1e-2
    public var l1Ratio: Double = 0.1
    public var neighbors = 200
    public var maxSweeps = 100
    /// Stop when the largest change of a sweep is below `tolerance` × the largest weight.
    public var tolerance: Double = 1e-4

    public init(alpha: Double = 1e-2, l1Ratio: Double = 0.1, neighbors: Int = 200, maxSweeps: Int = 100,
                tolerance: Double = 1e-4) {
        self.alpha = alpha
        self.l1Ratio = l1Ratio
        self.neighbors = neighbors
        self.maxSweeps = maxSweeps
        self.tolerance = tolerance
    }

    public func fit(_ products: EASE.Products, users: Int, input: RelevanceWeights) -> SparseItemWeights {
        let n = products.itemCount
        let N = Double(max(users, 1))
        let l1 = alpha * l1Ratio, l2 = alpha * (1 - l1Ratio)
        var columns = [[(Int32, Float)]](repeating: [], count: n)
        let keep = max(1, neighbors)
        let gram = products.gram
        let cross = products.cross ?? products.gram
        columns.withUnsafeMutableBufferPointer { out in
            gram.withUnsafeBufferPointer { gb in
                cross.withUnsafeBufferPointer { cb in
                    let g = gb.baseAddress!, c = cb.baseAddress!
                    parallelFor(n, minimumChunkSize: 8) { _, range in
                        var w = [Double](repeating: 0, count: n), gw = w
                        for j in range {
                            for i in 0..<n { w[i] = 0; gw[i] = 0 }
                            w.withUnsafeMutableBufferPointer { wb in
                                gw.withUnsafeMutableBufferPointer { gwb in
                                    coordinateDescent(column: j, n: n, N: N, l1: l1, l2: l2, gram: g, cross: c,
                                                      w: wb.baseAddress!, gw: gwb.baseAddress!)
                                }
                            }
                            out[j] = w.withUnsafeBufferPointer { SparseItemWeights.largest($0, count: keep, skipping: j) }
                        }
                    }
                }
            }
        }
        // Column j holds the weights into item j; the scorer wants them by source item.
        var rows = [[(Int32, Float)]](repeating: [], count: n)
        for (j, column) in columns.enumerated() {
            for (i, value) in column { rows[Int(i)].append((Int32(j), value)) }
        }
        return SparseItemWeights(itemCount: n, rows: rows, input: input)
    }

    @inline(__always)
    private func coordinateDescent(column j: Int, n: Int, N: Double, l1: Double, l2: Double,
                                   gram g: UnsafePointer<Double>, cross c: UnsafePointer<Double>,
                                   w: UnsafeMutablePointer<Double>, gw: UnsafeMutablePointer<Double>) {
        for _ in 0..<max(1, maxSweeps) {
            var largestChange = 0.0, largestWeight = 0.0
            for i in 0..<n where i != j {
                let gii = g[i * n + i]
                if gii == 0 { continue }
                // (XᵀY)_ij is row i, column j of the cross product.
                let rho = (c[i * n + j] - gw[i] + gii * w[i]) / N
                let updated = max(0, rho - l1) / (gii / N + l2)
                let change = updated - w[i]
                if change != 0 {
                    w[i] = updated
                    cblas_daxpy(Int32(n), change, g + i * n, 1, gw, 1)
                    largestChange = max(largestChange, abs(change))
                }
                largestWeight = max(largestWeight, updated)
            }
            if largestWeight == 0 || largestChange <= tolerance * largestWeight { break }
        }
    }
}
