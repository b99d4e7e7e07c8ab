import COpenBLAS

/// Matrix products through OpenBLAS `cblas_sgemm`.
///
/// Every dense product of the kit goes through here, so a layer never writes its own triple loop. Operands are
/// rank-2 tensors in row-major order; the transposes are passed to BLAS rather than materialised.
extension Tensor {
    /// The matrix product `op(a) · op(b)`, where `op` transposes when asked.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        var result = Tensor(zeros: [0, 0])
        matmul(a, b, transposeA: transposeA, transposeB: transposeB, into: &result)
        return result
    }

    /// Writes `alpha · op(a) · op(b) + beta · c` into `c`.
    ///
    /// With `beta == 0` (the default) `c` is resized to the product's shape, reusing its storage when it can;
    /// with `beta != 0` it must already have that shape, and the product is accumulated into it.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false,
                              alpha: Float = 1, beta: Float = 0, into c: inout Tensor) {
        precondition(a.rank == 2 && b.rank == 2,
                     "matmul needs rank-2 operands, got shapes \(a.shape) and \(b.shape)")
        let m = transposeA ? a.shape[1] : a.shape[0]
        let k = transposeA ? a.shape[0] : a.shape[1]
        let kB = transposeB ? b.shape[1] : b.shape[0]
        let n = transposeB ? b.shape[0] : b.shape[1]
        precondition(k == kB, "matmul inner dimensions differ: op(a) is \(m)×\(k), op(b) is \(kB)×\(n) "
                     + "(shapes \(a.shape), \(b.shape), transposeA: \(transposeA), transposeB: \(transposeB))")
        if beta == 0 {
            c.resize(to: [m, n])
        } else {
            precondition(c.shape == [m, n], "matmul accumulation target has shape \(c.shape), expected [\(m), \(n)]")
        }
        if m == 0 || n == 0 { return }
        if k == 0 {
            c.scalars.withUnsafeMutableBufferPointer { buffer in
                for index in buffer.indices { buffer[index] *= beta }
            }
            return
        }
        let lda = Int32(a.shape[1]), ldb = Int32(b.shape[1])
        a.scalars.withUnsafeBufferPointer { pa in
            b.scalars.withUnsafeBufferPointer { pb in
                c.scalars.withUnsafeMutableBufferPointer { pc in
                    cblas_sgemm(CblasRowMajor,
                                transposeA ? CblasTrans : CblasNoTrans,
                                transposeB ? CblasTrans : CblasNoTrans,
                                Int32(m), Int32(n), Int32(k),
                                alpha, pa.baseAddress, lda, pb.baseAddress, ldb,
                                beta, pc.baseAddress, Int32(n))
                }
            }
        }
    }
}
