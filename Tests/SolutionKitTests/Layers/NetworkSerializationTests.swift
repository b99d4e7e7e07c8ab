import XCTest
@testable import SolutionKit

final class NetworkSerializationTests: XCTestCase {
    private func makeNetwork(seed: UInt64) throws -> Sequential {
        try Sequential(spec: .multilayerPerceptron(inputs: 4, hidden: [16, 8], outputs: 1, dropout: 0.1), seed: seed)
    }

    func testSpecJSONRoundTripRebuildsAnIdenticalPredictor() throws {
        let original = try makeNetwork(seed: 1)
        let json = try JSONEncoder().encode(original.networkSpec)
        let decoded = try JSONDecoder().decode(NetworkSpec.self, from: json)
        XCTAssertEqual(decoded, original.networkSpec)

        let rebuilt = try Sequential(spec: decoded, seed: 999) // different seed: weights come from the load
        XCTAssertNotEqual(rebuilt.namedParameters().map(\.tensor), original.namedParameters().map(\.tensor))
        try rebuilt.loadParameters(original.namedParameters())

        let inputs = NNGradientCheck.randomTensor([300, 4], seed: 5)
        XCTAssertEqual(rebuilt.predict(inputs, batchSize: 64), original.predict(inputs, batchSize: 64))
    }

    func testParameterNamesAreQualifiedByPosition() throws {
        let network = try Sequential(specs: [
            .dense(inputs: 2, outputs: 3, initializer: .heNormal), .relu,
            .sequential([.dropout(rate: 0.2), .dense(inputs: 3, outputs: 1, initializer: .glorotUniform)]),
        ], seed: 0)
        XCTAssertEqual(network.namedParameters().map(\.name), ["0.weight", "0.bias", "2.1.weight", "2.1.bias"])
        XCTAssertEqual(network.namedParameters().map(\.tensor.shape), [[2, 3], [3], [3, 1], [1]])
    }

    func testWrongShapeGivesAClearErrorAndLeavesTheNetworkUntouched() throws {
        let network = try makeNetwork(seed: 1)
        let before = network.namedParameters().map(\.tensor)
        var stored = try Sequential(spec: .multilayerPerceptron(inputs: 4, hidden: [17, 8], outputs: 1), seed: 2)
            .namedParameters()
        XCTAssertThrowsError(try network.loadParameters(stored)) { error in
            XCTAssertEqual(error as? ParameterLoadingError,
                           .shapeMismatch(name: "0.weight", expected: [4, 16], found: [4, 17]))
            XCTAssertEqual("\(error)", "parameter '0.weight' should have shape [4, 16], found [4, 17]")
        }
        XCTAssertEqual(network.namedParameters().map(\.tensor), before)

        stored = network.namedParameters()
        stored[1].name = "0.offset"
        XCTAssertThrowsError(try network.loadParameters(stored)) { error in
            XCTAssertEqual(error as? ParameterLoadingError, .nameMismatch(position: 1, expected: "0.bias", found: "0.offset"))
        }
        XCTAssertThrowsError(try network.loadParameters(Array(network.namedParameters().dropLast()))) { error in
            XCTAssertEqual(error as? ParameterLoadingError, .countMismatch(expected: 6, found: 5))
        }
        stored = network.namedParameters()
        stored[2].tensor.scalars[0] = .nan
        XCTAssertThrowsError(try network.loadParameters(stored)) { error in
            XCTAssertEqual(error as? ParameterLoadingError, .nonFiniteValue(name: "3.weight"))
        }
    }

    func testInvalidSpecsAreRejectedWithReasons() throws {
        XCTAssertThrowsError(try Sequential(specs: [.dense(inputs: 0, outputs: 3, initializer: .heNormal)], seed: 0)) {
            XCTAssertTrue("\($0)".contains("dense sizes must be positive"), "\($0)")
        }
        XCTAssertThrowsError(try Sequential(specs: [.dropout(rate: 1.5)], seed: 0)) {
            XCTAssertTrue("\($0)".contains("dropout rate must be in [0, 1)"), "\($0)")
        }
        var future = NetworkSpec(layers: [.relu])
        future.formatVersion = 2
        XCTAssertThrowsError(try Sequential(spec: future, seed: 0)) {
            XCTAssertEqual($0 as? NetworkSpecError, .unsupportedFormatVersion(found: 2, supported: 1))
        }
    }

    func testPredictIsIndependentOfThreadCount() throws {
        let network = try makeNetwork(seed: 3)
        let inputs = NNGradientCheck.randomTensor([1001, 4], seed: 8)
        let saved = Parallelism.threadCount
        defer { Parallelism.threadCount = saved }
        Parallelism.threadCount = 1
        let single = network.predict(inputs, batchSize: 100)
        Parallelism.threadCount = 2
        let parallel = network.predict(inputs, batchSize: 100)
        XCTAssertEqual(single.shape, [1001, 1])
        XCTAssertTrue(single == parallel, "same batches must give bit-identical outputs whatever the thread count")
        // Another batch size changes only the BLAS blocking, hence the last bits.
        let whole = network.forward(inputs, training: false)
        let largest = zip(whole.scalars, single.scalars).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(largest, 1e-5)
    }
}
