import XCTest
@testable import Recommendation
import SolutionKit

/// The top-N learners against reference values computed once with numpy / scikit-learn 1.9 on the same
/// 6-user × 5-item ratings matrix (script: the `reference` comment of each test), plus the popularity metrics
/// against hand-computed values.
final class TopNLearnerTests: XCTestCase {
    /// u0: i0=5 i1=3 i2=4; u1: i0=4 i2=5 i3=2; u2: i1=5 i3=4 i4=1; u3: i0=2 i3=5 i4=4; u4: i1=4 i2=3 i4=5;
    /// u5: i0=5 i1=4 i3=3 i4=2.
    static func matrix() throws -> RatingMatrix {
        let rows: [(Int32, Int32, Float)] = [(0, 0, 5), (0, 1, 3), (0, 2, 4), (1, 0, 4), (1, 2, 5), (1, 3, 2), (2, 1, 5), (2, 3, 4),
                                             (2, 4, 1), (3, 0, 2), (3, 3, 5), (3, 4, 4), (4, 1, 4), (4, 2, 3), (4, 4, 5), (5, 0, 5),
                                             (5, 1, 4), (5, 3, 3), (5, 4, 2)]
        return try RatingMatrix(userCount: 6, itemCount: 5, users: rows.map(\.0), items: rows.map(\.1), values: rows.map(\.2))
    }

    func assertClose(_ actual: [Float], _ expected: [Double], accuracy: Double, _ message: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, message, file: file, line: line)
        for (n, (a, e)) in zip(actual, expected).enumerated() {
            XCTAssertEqual(Double(a), e, accuracy: accuracy, "\(message) [\(n / 5), \(n % 5)]", file: file, line: line)
        }
    }

    func dense(_ w: SparseItemWeights) -> [Float] {
        var out = [Float](repeating: 0, count: w.itemCount * w.itemCount)
        for i in 0..<w.itemCount { for e in w.starts[i]..<w.starts[i + 1] { out[i * w.itemCount + Int(w.targets[e])] = w.weights[e] } }
        return out
    }

    /// reference: G = XᵀX + λI, P = G⁻¹, B = −P / diag(P), diag(B) = 0, X binary, λ = 1 (numpy.linalg.inv).
    func testEASEMatchesNumpy() throws {
        let model = try EASE.fit(try Self.matrix(), lambda: 1)
        assertClose(model.weights, [0.0, 0.0683229814, 0.3548387097, 0.4636871508, -0.0167597765, 0.0683229814, 0.0, 0.3548387097,
                                    -0.0167597765, 0.4636871508, 0.3416149068, 0.3416149068, 0.0, -0.0837988827, -0.0837988827,
                                    0.5155279503, -0.0186335404, -0.0967741935, 0.0, 0.4413407821, -0.0186335404, 0.5155279503,
                                    -0.0967741935, 0.4413407821, 0.0], accuracy: 1e-6, "EASE B")
    }

    /// reference: X = 1 for r ≥ 4, 0.5 for lower ratings; Y = 1[r ≥ 4]; Λ = diag(λ + 0.5·diag(XᵀX)), λ = 1;
    /// P = (XᵀX + Λ)⁻¹, C = P XᵀY, B = C − P·diag(diag(C)/diag(P)) (numpy).
    func testEASEVariantMatchesNumpy() throws {
        let options = EASE.Options(lambda: 1, popularityPenalty: 0.5, input: RelevanceWeights(threshold: 4, lowWeight: 0.5),
                                   relevanceTarget: true)
        let model = try EASE.fit(try Self.matrix(), options: options)
        assertClose(model.weights, [0.0, 0.059127999, 0.3443217094, 0.0410391392, -0.0135532615, 0.1714771794, 0.0, 0.022076551,
                                    0.0751086685, 0.1176860843, 0.4093237905, 0.0288231235, 0.0, -0.0682379183, 0.0741721376,
                                    0.1353543353, 0.1673821703, 0.0227817085, 0.0, 0.1698346731, -0.0598918612, 0.3439035034,
                                    -0.0901774318, 0.2827078912, 0.0], accuracy: 1e-6, "EASE variant B")
        // Scores weight each rated item by its input weight: user 1 has i0 (4 → 1), i2 (5 → 1), i3 (2 → 0.5).
        var scores = [Float](repeating: 0, count: 5)
        let m = try Self.matrix()
        scores.withUnsafeMutableBufferPointer { model.scores(user: 1, in: m, into: $0) }
        for j in 0..<5 {
            let expected = model.weights[0 * 5 + j] + model.weights[2 * 5 + j] + 0.5 * model.weights[3 * 5 + j]
            XCTAssertEqual(scores[j], expected, accuracy: 1e-6)
        }
    }

    /// reference: W_ij = (1/deg i)^0.8 Σ_{u∋i,j} (1/deg u)^0.8 / (deg j)^0.5, by explicit loops (numpy).
    func testRP3betaMatchesBruteForce() throws {
        let w = RP3beta(alpha: 0.8, beta: 0.5, neighbors: 10).fit(try Self.matrix())
        assertClose(dense(w), [0.0, 0.1228990698, 0.1581700935, 0.1913887293, 0.1228990698, 0.1228990698, 0.0, 0.1581700935,
                               0.1228990698, 0.1913887293, 0.172427286, 0.172427286, 0.0, 0.086213643, 0.086213643, 0.1913887293,
                               0.1228990698, 0.0790850468, 0.0, 0.1913887293, 0.1228990698, 0.1913887293, 0.0790850468,
                               0.1913887293, 0.0], accuracy: 1e-6, "RP3beta W")
        // Neighbour truncation keeps each row's largest weights (ties to the smaller item).
        let top2 = RP3beta(alpha: 0.8, beta: 0.5, neighbors: 2).fit(try Self.matrix())
        XCTAssertEqual(Array(top2.targets[top2.starts[0]..<top2.starts[1]]), [2, 3])
    }

    /// reference: for each j, sklearn.linear_model.ElasticNet(alpha=0.01, l1_ratio=0.1, positive=True,
    /// fit_intercept=False, tol=1e-12, max_iter=100000).fit(X[:, others], X[:, j]), X binary.
    func testSLIMMatchesScikitLearnElasticNet() throws {
        let m = try Self.matrix()
        let products = EASE.Products(m, options: EASE.Options(lambda: 0))
        let w = SLIM(alpha: 0.01, l1Ratio: 0.1, neighbors: 10, maxSweeps: 100_000, tolerance: 1e-12).fit(products, users: 6, input: .binary)
        assertClose(dense(w), [0.0, 0.0, 0.32936901, 0.49454906, 0.0, 0.0, 0.0, 0.32936901, 0.0, 0.49454906, 0.44721145, 0.44721145,
                               0.0, 0.0, 0.0, 0.62821622, 0.0, 0.0, 0.0, 0.49454906, 0.0, 0.62821622, 0.0, 0.49454906, 0.0],
                    accuracy: 1e-5, "SLIM W")
    }

    /// Parallel learners give the same result at one thread and at four.
    func testSameResultAtAnyThreadCount() throws {
        let data = try RecommendationPlugin().load(.dataset("sample"))
        let model = try RecommendationModel.train(RecipeConfiguration.resolve(for: RecommendationPlugin(), recipe: "mf",
                                                                              overrides: ["epochs=1", "factors=2"]),
                                                  on: RecommendationDataset.cast(data), context: RunContext(seed: 1))
        let m = model.seen
        let saved = Parallelism.threadCount
        defer { Parallelism.threadCount = saved }
        func fits() throws -> [[Float]] {
            var als = ImplicitALS()
            als.factors = 4
            als.sweeps = 3
            als.seed = 9
            let slim = SLIM(alpha: 1e-3, l1Ratio: 0.1, neighbors: 20, maxSweeps: 20).fit(EASE.Products(m, options: .init(lambda: 0)),
                                                                                       users: m.userCount, input: .binary)
            return [als.fit(m).itemFactors, RP3beta().fit(m).weights, slim.weights,
                    try EASE.fit(m, options: .init(lambda: 50, popularityPenalty: 0.5, input: RelevanceWeights(threshold: 4, lowWeight: 0.5),
                                                   relevanceTarget: true)).weights]
        }
        Parallelism.threadCount = 1
        let one = try fits()
        Parallelism.threadCount = 4
        XCTAssertEqual(try fits(), one)
    }

    /// Implicit ALS lowers its weighted objective from the initial factors and fits rated cells above unrated.
    func testImplicitALSFitsRatedCells() throws {
        let m = try Self.matrix()
        var als = ImplicitALS()
        als.factors = 3
        als.sweeps = 20
        als.regularization = 0.1
        als.alpha = 10
        let model = als.fit(m)
        var rated = 0.0, unrated = 0.0
        for u in 0..<6 {
            for i in 0..<5 {
                let s = Double(model.predict(user: u, item: i))
                if m.value(user: u, item: i) != nil { rated += s / 19 } else { unrated += s / 11 }
            }
        }
        XCTAssertGreaterThan(rated, 0.8)
        XCTAssertLessThan(unrated, rated - 0.4)
    }

    /// User-stratified folds: every rating in exactly one fold, each user's ratings spread evenly.
    func testUserStratifiedFolds() throws {
        let m = try Self.matrix()
        let folds = UserStratifiedFolds(m, k: 3, seed: 5)
        var total = 0
        for f in 0..<3 {
            let (train, heldOut) = try folds.split(m, holdingOut: f)
            XCTAssertEqual(train.count + heldOut.count, m.count)
            total += heldOut.count
            for u in 0..<6 { XCTAssertLessThanOrEqual(abs(heldOut.userDegree(u) - m.userDegree(u) / 3), 1) }
        }
        XCTAssertEqual(total, m.count)
        XCTAssertEqual(UserStratifiedFolds(m, k: 3, seed: 5).fold, folds.fold)
    }

    /// Coverage and novelty by hand: 4 training users; item degrees [4, 2, 1, 0].
    /// Lists [0, 1] and [1, 2]: novelty = mean(mean(log2 4/4, log2 4/2), mean(log2 4/2, log2 4/1)) = mean(0.5, 1.5) = 1;
    /// an unrated item counts as rated once (2 bits). Coverage of [0,1], [1,2] over 4 items = 3/4.
    func testNoveltyAndCoverageByHand() {
        var novelty = NoveltyAccumulator(degrees: [4, 2, 1, 0], users: 4, k: 2)
        novelty.add(ranked: [0, 1])
        novelty.add(ranked: [1, 2, 3])   // cut at k = 2
        XCTAssertEqual(novelty.novelty, 1, accuracy: 1e-12)
        XCTAssertEqual(novelty.selfInformation(3), 2, accuracy: 1e-12)
        novelty.add(ranked: [])
        XCTAssertEqual(novelty.lists, 2)
        var ranking = RankingAccumulator(maxK: 2, catalogueSize: 4, coverageK: 2)
        ranking.add(ranked: [0, 1], relevant: [1])
        ranking.add(ranked: [1, 2], relevant: [])
        XCTAssertEqual(ranking.coverage, 0.75, accuracy: 1e-12)
    }

    /// The held-out NDCG helper against PROTOCOL's definition on a hand-made case: user 0 trains on i0, holds
    /// out i1 (relevant, 5) and i2 (not relevant, 2); scores rank i0 > i2 > i1 > i3 > i4; i0 is excluded, so the
    /// list is [i2, i1, i3, i4]: one hit at rank 2 → NDCG = (1/log2 3) / 1.
    func testHeldOutRankingNDCG() throws {
        let train = try RatingMatrix(userCount: 1, itemCount: 5, users: [0], items: [0], values: [4])
        let heldOut = try RatingMatrix(userCount: 1, itemCount: 5, users: [0, 0], items: [1, 2], values: [5, 2])
        let users = HeldOutRanking.relevantItems(heldOut) { $0 >= 4 }
        XCTAssertEqual(users.count, 1)
        XCTAssertEqual(users[0].items, [1])
        let value = HeldOutRanking.ndcg(train: train, users: users) { _, s in
            for (i, v) in [9, 3, 5, 2, 1].enumerated() { s[i] = Float(v) }
        }
        XCTAssertEqual(value, 1 / log2(3.0), accuracy: 1e-12)
    }
}
