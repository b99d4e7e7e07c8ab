import XCTest
@testable import SolutionKit

final class RidgeRegressionTests: XCTestCase {
    // 15 × 3 float32 features, deliberately ill-conditioned: column 3 has std 0.1 around a mean of 100.
    static let x = Tensor(shape: [15, 3], scalars: [
        5.0012302, -0.012544632, 99.97259, 4.1094084, -7.546708, 99.90083, 5.0601435, 10.402152, 99.95078,
        4.379525, 1.8984203, 100.03569, 5.1054144, -12.30468, 99.99708, 5.695303, -16.442146, 99.95424,
        3.0987773, -15.895378, 99.81583, 4.764909, -15.674465, 100.02713, 5.156751, -4.8693094, 99.74832,
        4.461307, -3.4850094, 100.01133, 3.4698644, -7.7775326, 99.902145, 4.1911626, 7.608987, 99.91924,
        4.9674783, 5.843899, 99.94164, 4.888298, -1.8953586, 100.00638, 3.7749443, -2.2385976, 100.13588,
    ])
    static let y: [Double] = [3014.639, 3016.877, 3010.562, 3015.239, 3025.276, 3026.001, 3014.421, 3025.255,
                              3012.774, 3017.816, 3015.576, 3009.089, 3012.93, 3019.354, 3019.07]

    func testMatchesScikitLearnRidge() throws {
        // scikit-learn 1.9.1 Ridge(alpha=1.0).fit(X.astype(float64), y): coef_ and intercept_
        let model = try RidgeRegression(alpha: 1).fit(Self.x, targets: Self.y)
        let expected = [2.431865581996771, -0.4839617817072353, 3.1263018384065755]
        for j in 0..<3 { XCTAssertEqual(model.coefficients[j], expected[j], accuracy: 1e-8) }
        XCTAssertEqual(model.intercept, 2691.446114209095, accuracy: 1e-6)
    }

    func testMatchesScikitLearnWeightedRidge() throws {
        // scikit-learn 1.9.1 Ridge(alpha=2.5).fit(X, y, sample_weight=w)
        let weights: [Double] = [1, 2, 0.5, 1, 1, 3, 1, 1, 2, 1, 0.5, 1, 1, 2, 1]
        let model = try RidgeRegression(alpha: 2.5).fit(Self.x, targets: Self.y, sampleWeights: weights)
        let expected = [2.004837569676627, -0.484545093509297, 1.8292375276886077]
        for j in 0..<3 { XCTAssertEqual(model.coefficients[j], expected[j], accuracy: 1e-8) }
        XCTAssertEqual(model.intercept, 2822.957807307971, accuracy: 1e-6)
    }

    func testRecoversExactLinearFunctionOnManyRowsAndPredictsInParallel() throws {
        // 20,000 rows (several reduction chunks and blocks); y = 3 − 2·x0 + 0.5·x1 exactly, α tiny.
        var generator = SeededGenerator(seed: 3)
        let rows = 20_000
        var scalars = [Float](repeating: 0, count: rows * 2)
        var targets = [Double](repeating: 0, count: rows)
        for i in 0..<rows {
            scalars[2 * i] = generator.nextUnitFloat() * 4 - 2
            scalars[2 * i + 1] = Float(generator.nextGaussian())
            targets[i] = 3 - 2 * Double(scalars[2 * i]) + 0.5 * Double(scalars[2 * i + 1])
        }
        let x = Tensor(shape: [rows, 2], scalars: scalars)
        let model = try RidgeRegression(alpha: 1e-9).fit(x, targets: targets)
        XCTAssertEqual(model.coefficients[0], -2, accuracy: 1e-9)
        XCTAssertEqual(model.coefficients[1], 0.5, accuracy: 1e-9)
        XCTAssertEqual(model.intercept, 3, accuracy: 1e-9)
        let predictions = try model.predict(x)
        XCTAssertLessThan(try RootMeanSquaredError().evaluate(predictions: predictions, targets: targets), 1e-8)
        // Same result regardless of the thread count: the reduction has fixed chunk boundaries.
        let saved = Parallelism.threadCount
        defer { Parallelism.threadCount = saved }
        Parallelism.threadCount = 1
        XCTAssertEqual(try RidgeRegression(alpha: 1e-9).fit(x, targets: targets), model)
    }

    func testCodableRoundTrip() throws {
        let model = try RidgeRegression().fit(Self.x, targets: Self.y)
        let decoded = try JSONDecoder().decode(RidgeRegressionModel.self, from: JSONEncoder().encode(model))
        XCTAssertEqual(decoded, model)
        XCTAssertEqual(try decoded.predict(Self.x), try model.predict(Self.x))
    }

    func testErrors() {
        XCTAssertThrowsError(try RidgeRegression().fit(Tensor(zeros: [0, 3]), targets: [])) { error in
            XCTAssertEqual(error as? LinearModelError, .noRows)
        }
        var bad = Self.x
        bad.scalars[4] = .nan
        XCTAssertThrowsError(try RidgeRegression().fit(bad, targets: Self.y)) { error in
            XCTAssertEqual(error as? LinearModelError, .nonFiniteFeature(row: 1, column: 1))
            XCTAssertTrue("\(error)".contains("row 1, column 1"))
        }
        var badTargets = Self.y
        badTargets[7] = .infinity
        XCTAssertThrowsError(try RidgeRegression().fit(Self.x, targets: badTargets)) { error in
            XCTAssertEqual(error as? LinearModelError, .nonFiniteValue(field: "targets", row: 7))
        }
        XCTAssertThrowsError(try RidgeRegression().fit(Self.x, targets: [1])) { error in
            XCTAssertEqual(error as? LinearModelError, .countMismatch(field: "targets", expected: 15, got: 1))
        }
        XCTAssertThrowsError(try RidgeRegression(alpha: -1).fit(Self.x, targets: Self.y))
        // Duplicate columns without a penalty: singular normal equations, said clearly.
        let duplicated = Tensor(shape: [3, 2], scalars: [1, 1, 2, 2, 3, 3])
        XCTAssertThrowsError(try RidgeRegression(alpha: 0).fit(duplicated, targets: [1, 2, 3])) { error in
            XCTAssertTrue("\(error)".contains("singular"), "\(error)")
        }
        let model = RidgeRegressionModel(coefficients: [1, 2], intercept: 0)
        XCTAssertThrowsError(try model.predict(Self.x)) { error in
            XCTAssertEqual(error as? LinearModelError, .featureCountMismatch(expected: 2, got: 3))
        }
    }
}

final class LogisticRegressionTests: XCTestCase {
    static let x = Tensor(shape: [40, 3], scalars: [
        0.2031386, -0.4633076, 0.12726842, -1.1871946, -0.5793016, -0.19619597, 0.8987639, 1.145222, -1.3235278,
        -0.7946424, 0.6469034, -1.9924198, -0.46316987, -0.097286925, 1.257015, 0.6894039, -0.3272134, -0.3685759,
        -0.2501954, 1.5235294, -0.42802495, -0.3036804, 0.35258907, -0.12077045, -0.19728422, -1.1140672,
        -0.011521468, -0.44358122, 1.1661278, 0.6530885, -0.024143614, 0.66838104, -0.33986956, 1.0521264,
        -0.0053995606, 0.58338237, -1.2908932, 0.34668005, -1.6882042, -2.0353289, -0.3044769, -0.8999276,
        0.1640528, 2.2447567, -0.83172315, -0.62394357, 0.20540394, 0.4930133, -0.17640607, -0.20593034, 0.702463,
        0.51990765, -1.0336758, -0.07918132, 0.035286848, -1.0544846, 0.2598391, -0.85795647, 0.9720667,
        0.19274591, 0.08930649, -0.59102833, -0.11860982, -1.9977463, -1.1314075, 0.3628398, -2.128567, 0.8466085,
        -1.7460965, 0.7567385, -0.845497, 0.7789911, 0.13095121, -1.536835, 1.2491487, 1.4417071, -0.065804906,
        -0.27391627, -0.15986696, -0.9751523, 1.0985868, -0.5428919, -0.051190414, -0.7932964, -0.6260731,
        -1.2777251, 1.2570693, -0.15408757, 0.96592164, 0.013324597, -0.6944035, -0.32668525, -0.56023103,
        0.0079590995, -0.37526685, -0.29992172, -1.3785747, -0.8068459, 1.6540575, -0.67123324, -1.0540938,
        0.33732632, 1.4072722, -1.4540243, -0.20852184, -0.63205254, -1.7610195, 0.7349267, -0.023443919,
        0.071441844, -0.75231147, 0.45478415, -0.53929734, -0.14290321, -1.1082608, -1.2161027, 1.3355318,
        -0.5071047, 0.29168037, -0.033790436,
    ])
    static let labels = [1, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0,
                         0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0]

    private func assertCoefficients(_ model: LogisticRegressionModel, _ expected: [Double], _ intercept: Double,
                                    file: StaticString = #filePath, line: UInt = #line) {
        for j in 0..<3 {
            XCTAssertEqual(model.coefficients[j], expected[j], accuracy: 1e-8, file: file, line: line)
        }
        XCTAssertEqual(model.intercept, intercept, accuracy: 1e-8, file: file, line: line)
        XCTAssertTrue(model.converged, file: file, line: line)
    }

    // Reference values: scikit-learn 1.9.1 LogisticRegression(solver="newton-cholesky", tol=1e-12) on the
    // same float32 data cast to float64 (the default lbfgs solver agrees to ~3e-4 at its tol=1e-4).
    func testMatchesScikitLearnDefaultC() throws {
        let model = try LogisticRegression().fit(Self.x, labels: Self.labels)
        assertCoefficients(model, [1.8905162105019562, -1.4858031678691548, 0.25657518793319783], -0.7036349641484839)
        XCTAssertLessThan(model.iterations, 15)
    }

    func testMatchesScikitLearnStrongPenalty() throws {
        let model = try LogisticRegression(inverseRegularization: 0.1).fit(Self.x, labels: Self.labels)
        assertCoefficients(model, [0.5824918837533102, -0.5030523662980655, 0.16261298020329987], -0.5100146417741764)
    }

    func testMatchesScikitLearnBalancedClassWeights() throws {
        let model = try LogisticRegression(classWeighting: .balanced).fit(Self.x, labels: Self.labels)
        assertCoefficients(model, [1.9241193097385063, -1.5221721675925215, 0.28463161228122974], -0.3229496279359539)
    }

    func testMatchesScikitLearnSampleWeights() throws {
        let weights = (0..<40).map { Double($0 % 3) + 0.5 }
        let model = try LogisticRegression().fit(Self.x, labels: Self.labels, sampleWeights: weights)
        assertCoefficients(model, [2.03334026572543, -1.803699034833256, -0.027612745612813374], -0.7997183899492736)
    }

    func testGradientOfObjectiveMatchesFiniteDifferences() throws {
        let targets = Self.labels.map(Double.init)
        let weights = (0..<40).map { Double($0 % 3) + 0.5 }
        let objective = LogisticObjective(x: Self.x, targets: targets, weights: weights, penalty: 0.7)
        let theta = [0.3, -0.2, 0.5, 0.1]
        let analytic = objective.evaluate(theta).gradient
        let h = 1e-6
        for j in 0..<4 {
            var plus = theta, minus = theta
            plus[j] += h
            minus[j] -= h
            let numeric = (objective.evaluate(plus).loss - objective.evaluate(minus).loss) / (2 * h)
            XCTAssertEqual(analytic[j], numeric, accuracy: 1e-6 * max(1, abs(numeric)))
        }
    }

    func testSeparableDataStaysFiniteAndPredicts() throws {
        let x = Tensor(shape: [6, 1], scalars: [-3, -2, -1, 1, 2, 3])
        let model = try LogisticRegression().fit(x, labels: [false, false, false, true, true, true])
        XCTAssertTrue(model.coefficients[0].isFinite && model.coefficients[0] > 0)
        XCTAssertEqual(try model.predict(x), [false, false, false, true, true, true])
        let probabilities = try model.predictProbabilities(x)
        XCTAssertTrue(probabilities.allSatisfy { $0 > 0 && $0 < 1 })
        let decoded = try JSONDecoder().decode(LogisticRegressionModel.self, from: JSONEncoder().encode(model))
        XCTAssertEqual(try decoded.predictProbabilities(x), probabilities)
    }

    func testErrors() {
        XCTAssertThrowsError(try LogisticRegression().fit(Self.x, labels: [Int](repeating: 1, count: 40))) { error in
            XCTAssertEqual(error as? LinearModelError, .singleClass(label: true))
            XCTAssertTrue("\(error)".contains("both classes"))
        }
        var badLabels = Self.labels
        badLabels[3] = 2
        XCTAssertThrowsError(try LogisticRegression().fit(Self.x, labels: badLabels)) { error in
            XCTAssertEqual(error as? LinearModelError, .invalidLabel(row: 3, value: 2))
        }
        XCTAssertThrowsError(try LogisticRegression().fit(Tensor(zeros: [0, 3]), labels: [Bool]())) { error in
            XCTAssertEqual(error as? LinearModelError, .noRows)
        }
        var bad = Self.x
        bad.scalars[119] = -.infinity
        XCTAssertThrowsError(try LogisticRegression().fit(bad, labels: Self.labels)) { error in
            XCTAssertEqual(error as? LinearModelError, .nonFiniteFeature(row: 39, column: 2))
        }
        XCTAssertThrowsError(try LogisticRegression(inverseRegularization: 0).fit(Self.x, labels: Self.labels)) { error in
            XCTAssertTrue("\(error)".contains("C = 0"), "\(error)")
        }
        var weights = [Double](repeating: 1, count: 40)
        weights[5] = -1
        XCTAssertThrowsError(try LogisticRegression().fit(Self.x, labels: Self.labels, sampleWeights: weights)) { error in
            XCTAssertEqual(error as? LinearModelError, .negativeWeight(field: "sampleWeights", row: 5))
        }
    }
}
