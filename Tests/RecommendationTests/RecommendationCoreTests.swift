import SolutionKit
import XCTest

/// The core pieces the plugin is built on, checked against hand computations.
final class RecommendationCoreTests: XCTestCase {
    /// Hand example: ranked [a, b, c, d] = [3, 1, 7, 5], relevant {1, 5, 9}.
    /// hits@2 = 1 (item 1 at rank 2); hits@4 = 2 (items 1 and 5).
    /// NDCG@4 = (1/log2 3 + 1/log2 5) / (1 + 1/log2 3 + 1/2) = (0.63093 + 0.43068) / 2.13093 = 0.498190.
    func testRankingMetricDefinitions() {
        let ranked = [3, 1, 7, 5], relevant: Set<Int> = [1, 5, 9]
        XCTAssertEqual(RankingMetrics.precision(ranked: ranked, relevant: relevant, k: 2), 0.5)
        XCTAssertEqual(RankingMetrics.precision(ranked: ranked, relevant: relevant, k: 4), 0.5)
        XCTAssertEqual(RankingMetrics.recall(ranked: ranked, relevant: relevant, k: 4), 2.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(RankingMetrics.ndcg(ranked: ranked, relevant: relevant, k: 4), 0.498190, accuracy: 1e-6)
        // Ideal DCG uses min(|relevant|, k) hits: at k = 1, one hit at the top is ideal.
        XCTAssertEqual(RankingMetrics.ndcg(ranked: [5], relevant: relevant, k: 1), 1)

        var accumulator = RankingAccumulator(maxK: 4, catalogueSize: 10, coverageK: 2)
        accumulator.add(ranked: ranked, relevant: relevant)
        accumulator.add(ranked: [9, 0, 2, 4], relevant: [9])          // perfect list for the second user
        accumulator.add(ranked: [8, 6], relevant: [])                // no relevant item: coverage only
        XCTAssertEqual(accumulator.users, 2)
        XCTAssertEqual(accumulator.ndcg(at: 4), (0.498190 + 1) / 2, accuracy: 1e-6)
        XCTAssertEqual(accumulator.precision(at: 1), 0.5)
        XCTAssertEqual(accumulator.recall(at: 4), (2.0 / 3.0 + 1) / 2, accuracy: 1e-12)
        // Top-2 lists cover items 3, 1, 9, 0, 8, 6: 6 of 10.
        XCTAssertEqual(accumulator.coverage, 0.6, accuracy: 1e-12)
    }

    /// One SGD update by hand: r = 4, μ = 3, b_u = 0.1, b_i = −0.2, p = [0.5, −1], q = [1, 2], γ = 0.1, λ = 0.5,
    /// γ_b = 0.2, λ_b = 0.1. p·q = −1.5, e = 4 − (3 + 0.1 − 0.2 − 1.5) = 2.6.
    /// b_u = 0.1 + 0.2(2.6 − 0.01) = 0.618; b_i = −0.2 + 0.2(2.6 + 0.02) = 0.324.
    /// p0 = 0.5 + 0.1(2.6·1 − 0.25) = 0.735; q0 = 1 + 0.1(2.6·0.5 − 0.5) = 1.08;
    /// p1 = −1 + 0.1(2.6·2 + 0.5) = −0.43; q1 = 2 + 0.1(2.6·(−1) − 1) = 1.64.
    func testSGDStepMatchesHandComputation() {
        var bu: Float = 0.1, bi: Float = -0.2
        var p: [Float] = [0.5, -1], q: [Float] = [1, 2]
        let e = p.withUnsafeMutableBufferPointer { pp in
            q.withUnsafeMutableBufferPointer { qq in
                SGDFactorization.step(rating: 4, mean: 3, bu: &bu, bi: &bi, pu: pp.baseAddress!, qi: qq.baseAddress!, factors: 2,
                                      lr: 0.1, reg: 0.5, biasLR: 0.2, biasReg: 0.1)
            }
        }
        XCTAssertEqual(e, 2.6, accuracy: 1e-6)
        XCTAssertEqual(bu, 0.618, accuracy: 1e-6)
        XCTAssertEqual(bi, 0.324, accuracy: 1e-6)
        XCTAssertEqual(p[0], 0.735, accuracy: 1e-6)
        XCTAssertEqual(p[1], -0.43, accuracy: 1e-6)
        XCTAssertEqual(q[0], 1.08, accuracy: 1e-6)
        XCTAssertEqual(q[1], 1.64, accuracy: 1e-6)
    }

    func testRatingMatrixKeepsBothOrdersAndRefusesDuplicates() throws {
        let m = try RatingMatrix(userCount: 2, itemCount: 3, users: [1, 0, 0, 1], items: [0, 2, 1, 2], values: [5, 3, 4, 1])
        XCTAssertEqual(m.userStarts, [0, 2, 4])
        XCTAssertEqual(m.userItems, [1, 2, 0, 2])
        XCTAssertEqual(m.userValues, [4, 3, 5, 1])
        XCTAssertEqual(m.itemStarts, [0, 1, 2, 4])
        XCTAssertEqual(m.itemUsers, [1, 0, 0, 1])
        XCTAssertEqual(m.itemValues, [5, 4, 3, 1])
        XCTAssertEqual(m.cscToCSR.map { m.userValues[Int($0)] }, m.itemValues)
        XCTAssertEqual(m.value(user: 1, item: 2), 1)
        XCTAssertNil(m.value(user: 0, item: 0))
        XCTAssertThrowsError(try RatingMatrix(userCount: 1, itemCount: 1, users: [0, 0], items: [0, 0], values: [1, 2])) {
            XCTAssertEqual($0 as? SparseMatrixError, .duplicateEntry(user: 0, item: 0, first: 0, second: 1))
        }
    }

    /// The blocked Cholesky inverse against a small SPD matrix computed by hand: [[4, 2], [2, 3]]⁻¹ = [[3, −2], [−2, 4]] / 8.
    func testCholeskyInverse() throws {
        var a: [Double] = [4, 2, 2, 3]
        try DenseCholesky.invertInPlace(&a, n: 2)
        for (x, y) in zip(a, [0.375, -0.25, -0.25, 0.5]) { XCTAssertEqual(x, y, accuracy: 1e-12) }
        // A larger one spanning several blocks: A·A⁻¹ = I.
        let n = 150
        var g = SeededGenerator(seed: 3)
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0...i { let v = g.nextUnitDouble() - 0.5; m[i * n + j] = v; m[j * n + i] = v }; m[i * n + i] += Double(n) }
        var inverse = m
        try DenseCholesky.invertInPlace(&inverse, n: n)
        for i in stride(from: 0, to: n, by: 37) {
            for j in stride(from: 0, to: n, by: 29) {
                var s = 0.0
                for t in 0..<n { s += m[i * n + t] * inverse[t * n + j] }
                XCTAssertEqual(s, i == j ? 1 : 0, accuracy: 1e-9)
            }
        }
    }
}
