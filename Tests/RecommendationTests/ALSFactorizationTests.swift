import SolutionKit
import XCTest

/// The explicit ALS learner: one row's ridge solve against a hand-solved system, convergence and determinism on a
/// small low-rank matrix. (The `als` recipe's bundle round trip runs in the conformance suite, which covers every
/// recipe.)
final class ALSFactorizationTests: XCTestCase {
    /// k = 1, two ratings with features x₁ = (1, 1), x₂ = (1, 2) and targets t = (1, 3); λ_b = 1, λ = 0.5 (so the
    /// factor penalty is λ·n = 1). XᵀX = [[2, 3], [3, 5]], Xᵀt = (4, 7); with the penalties the system is
    /// [[3, 3], [3, 6]]·w = (4, 7), det 9, so w = ((6·4 − 3·7)/9, (3·7 − 3·4)/9) = (1/3, 1).
    func testSolveRowMatchesHandSolvedTwoByTwo() {
        let features: [Float] = [1, 1, 1, 2], targets: [Float] = [1, 3]
        var gram = [Float](repeating: 0, count: 4), rhs = [Float](repeating: 0, count: 2)
        var system = [Double](repeating: 0, count: 4), solution = [Double](repeating: 0, count: 2)
        ALSFactorization.solveRow(features: features, targets: targets, count: 2, k: 1, regularization: 0.5,
                                  biasRegularization: 1, gram: &gram, rhs: &rhs, system: &system, solution: &solution)
        XCTAssertEqual(solution[0], 1.0 / 3.0, accuracy: 1e-6)
        XCTAssertEqual(solution[1], 1, accuracy: 1e-6)
    }

    /// Cholesky on [[4, 2], [2, 3]]·x = (2, 1): x = [[3, −2], [−2, 4]]/8 · (2, 1) = (0.5, 0).
    func testCholeskySolveAndRefusal() {
        var a: [Double] = [4, 2, 2, 3], b: [Double] = [2, 1]
        XCTAssertTrue(ALSFactorization.choleskySolve(&a, &b, dimension: 2))
        XCTAssertEqual(b[0], 0.5, accuracy: 1e-12)
        XCTAssertEqual(b[1], 0, accuracy: 1e-12)
        var singular: [Double] = [1, 1, 1, 1], c: [Double] = [1, 1]
        XCTAssertFalse(ALSFactorization.choleskySolve(&singular, &c, dimension: 2))
    }

    /// A 60 × 40 rank-3 matrix plus noise, 40% observed: the training RMSE falls from the first sweep to the last
    /// (and never rises by more than rounding), ends well below the noise-free spread of the ratings, and the same
    /// seed gives the same model.
    func testTrainingRMSEDecreasesAcrossSweepsAndIsDeterministic() throws {
        var g = SeededGenerator(seed: 5)
        let U = 60, I = 40, r = 3
        let a = (0..<(U * r)).map { _ in g.nextGaussian() }, b = (0..<(I * r)).map { _ in g.nextGaussian() }
        var users: [Int32] = [], items: [Int32] = [], values: [Float] = []
        for u in 0..<U {
            for i in 0..<I where g.next() % 10 < 4 {
                var v = 3.0 + 0.3 * g.nextGaussian()
                for f in 0..<r { v += 0.5 * a[u * r + f] * b[i * r + f] }
                users.append(Int32(u)); items.append(Int32(i)); values.append(Float(v))
            }
        }
        let matrix = try RatingMatrix(userCount: U, itemCount: I, users: users, items: items, values: values)
        var als = ALSFactorization()
        als.factors = 3
        als.sweeps = 8
        als.regularization = 0.01
        als.biasRegularization = 0.1
        als.seed = 11
        var curve: [Double] = []
        let model = als.fit(matrix) { _, rmse in curve.append(rmse) }
        XCTAssertEqual(curve.count, 8)
        for s in 1..<curve.count { XCTAssertLessThanOrEqual(curve[s], curve[s - 1] + 1e-4, "sweep \(s): \(curve)") }
        XCTAssertLessThan(curve.last!, curve.first! * 0.9, "\(curve)")
        let spread = (values.map { Double($0) }.reduce(0) { $0 + ($1 - matrix.mean) * ($1 - matrix.mean) } / Double(values.count)).squareRoot()
        XCTAssertLessThan(curve.last!, 0.5 * spread, "\(curve) against spread \(spread)")
        XCTAssertEqual(model, als.fit(matrix))
    }
}
