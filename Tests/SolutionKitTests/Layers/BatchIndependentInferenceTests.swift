import XCTest
@testable import SolutionKit

/// A row's output must not depend on which other rows share its batch: `score --shard-*`, single HTTP requests and
/// whole files all give the same bytes only if one image alone and the same image among others score identically.
final class BatchIndependentInferenceTests: XCTestCase {
    func testARowScoresTheSameAloneAndInBatchesOfAnySize() {
        let width = 5408   // the size of the cnn recipe's flattened features: large enough for OpenBLAS's tiled paths
        let network = Sequential([Dense(inputs: width, outputs: 128, seed: 1), ReLU(), Dense(inputs: 128, outputs: 10, seed: 2)])
        var generator = SeededGenerator(seed: 7)
        let rows = 37
        let inputs = Tensor(shape: [rows, width], scalars: (0..<(rows * width)).map { _ in Float(generator.next() % 1000) / 999 })
        let together = network.predict(inputs, batchSize: 256)
        for count in [1, 2, 3, 15, 16, 17] {
            var subset = Tensor(zeros: [0])
            subset.assignRows(of: inputs, in: 0..<count)
            let apart = network.predict(subset, batchSize: 256)
            XCTAssertEqual(Array(apart.scalars), Array(together.scalars[0..<(count * 10)]), "\(count) row(s) alone")
        }
    }
}
