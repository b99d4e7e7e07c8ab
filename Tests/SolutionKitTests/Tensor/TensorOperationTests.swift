import XCTest
@testable import SolutionKit

final class TensorOperationTests: XCTestCase {
    /// The product computed by a plain triple loop in Double, for comparison with sgemm.
    private func naiveProduct(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        let m = a.count, k = b.count, n = b[0].count
        var c = Array(repeating: Array(repeating: 0.0, count: n), count: m)
        for i in 0..<m { for j in 0..<n { for p in 0..<k { c[i][j] += a[i][p] * b[p][j] } } }
        return c
    }

    private func matrix(_ t: Tensor) -> [[Double]] {
        (0..<t.shape[0]).map { r in (0..<t.shape[1]).map { c in Double(t.scalars[r * t.shape[1] + c]) } }
    }

    private func transpose(_ m: [[Double]]) -> [[Double]] {
        (0..<m[0].count).map { c in m.map { $0[c] } }
    }

    private func random(_ shape: [Int], seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float(generator.nextGaussian()) })
    }

    func testMatmulMatchesNaiveProductForEveryTransposeCombination() {
        let m = 5, k = 7, n = 3
        for transposeA in [false, true] {
            for transposeB in [false, true] {
                let a = random(transposeA ? [k, m] : [m, k], seed: 1)
                let b = random(transposeB ? [n, k] : [k, n], seed: 2)
                let product = Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
                XCTAssertEqual(product.shape, [m, n])
                let opA = transposeA ? transpose(matrix(a)) : matrix(a)
                let opB = transposeB ? transpose(matrix(b)) : matrix(b)
                let expected = naiveProduct(opA, opB)
                for i in 0..<m {
                    for j in 0..<n {
                        XCTAssertEqual(Double(product.scalars[i * n + j]), expected[i][j], accuracy: 1e-4,
                                       "transposeA \(transposeA) transposeB \(transposeB) at (\(i), \(j))")
                    }
                }
            }
        }
    }

    func testMatmulAccumulatesWithBeta() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let identity = Tensor(shape: [2, 2], scalars: [1, 0, 0, 1])
        var c = Tensor(shape: [2, 2], scalars: [10, 10, 10, 10])
        Tensor.matmul(a, identity, alpha: 2, beta: 1, into: &c)
        XCTAssertEqual(c.scalars, [12, 14, 16, 18])
    }

    func testArithmeticAndRowVector() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [2, 3], repeating: 2)
        XCTAssertEqual((a + b).scalars, [3, 4, 5, 6, 7, 8])
        XCTAssertEqual((a - b).scalars, [-1, 0, 1, 2, 3, 4])
        XCTAssertEqual((a * b).scalars, [2, 4, 6, 8, 10, 12])
        XCTAssertEqual((a / b).scalars, [0.5, 1, 1.5, 2, 2.5, 3])
        XCTAssertEqual((a * 3).scalars, [3, 6, 9, 12, 15, 18])
        XCTAssertEqual((a + 1).scalars, [2, 3, 4, 5, 6, 7])
        XCTAssertEqual((-a).scalars, [-1, -2, -3, -4, -5, -6])
        XCTAssertEqual(a.squared().scalars, [1, 4, 9, 16, 25, 36])
        let bias = Tensor(shape: [3], scalars: [10, 20, 30])
        XCTAssertEqual(a.addingRowVector(bias).scalars, [11, 22, 33, 14, 25, 36])
    }

    func testReductions() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(a.sum(), 21)
        XCTAssertEqual(a.mean(), 3.5)
        XCTAssertEqual(a.columnSums().scalars, [5, 7, 9])
        XCTAssertEqual(a.columnMeans().scalars, [2.5, 3.5, 4.5])
        XCTAssertEqual(a.rowSums().scalars, [6, 15])
        XCTAssertEqual(a.rowMeans().scalars, [2, 5])
        XCTAssertEqual(a.squaredSum(), 91)
        XCTAssertEqual(Tensor(shape: [2, 3], scalars: [0, 5, 1, 7, -1, 2]).argmaxOfRows(), [1, 0])
    }

    func testRowSlicingAndGathering() {
        let a = Tensor(shape: [4, 2], scalars: [0, 1, 10, 11, 20, 21, 30, 31])
        XCTAssertEqual(a.rows(in: 1..<3), Tensor(shape: [2, 2], scalars: [10, 11, 20, 21]))
        XCTAssertEqual(a.gatheringRows([3, 0, 3]), Tensor(shape: [3, 2], scalars: [30, 31, 0, 1, 30, 31]))
        var batch = Tensor(zeros: [0])
        batch.assignRows(of: a, in: 2..<4)
        XCTAssertEqual(batch, Tensor(shape: [2, 2], scalars: [20, 21, 30, 31]))
        // Rows of a rank-4 (NCHW) tensor keep their trailing dimensions.
        let images = Tensor(shape: [3, 1, 2, 2], scalars: (0..<12).map(Float.init))
        XCTAssertEqual(images.gatheringRows([2]).shape, [1, 1, 2, 2])
        XCTAssertEqual(images.gatheringRows([2]).scalars, [8, 9, 10, 11])
    }

    func testResizeReusesStorageWhenCountMatches() {
        var buffer = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let before = buffer.scalars.withUnsafeBufferPointer { $0.baseAddress }
        buffer.resize(to: [3, 2])
        let after = buffer.scalars.withUnsafeBufferPointer { $0.baseAddress }
        XCTAssertEqual(before, after, "same count must keep the same storage")
        XCTAssertEqual(buffer.shape, [3, 2])
        buffer.resize(to: [4, 4])
        XCTAssertEqual(buffer.count, 16)
        XCTAssertEqual(buffer.sum(), 0)
    }
}
