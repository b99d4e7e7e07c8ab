import Foundation
import XCTest
@testable import SolutionKit

/// The 64-64-1 MLP on California housing with the PROTOCOL split (test = row_index % 5 == 0), run only in the
/// release test run. The features are prepared here with a minimal reader (median-imputed, standardised
/// numeric columns and a one-hot `ocean_proximity`, 13 features) so the test exercises the network stack alone.
final class CaliforniaMLPTests: XCTestCase {
    private struct Prepared {
        var trainInputs: Tensor, trainTargets: Tensor, testInputs: Tensor, testTargets: [Double]
    }

    private func prepare() throws -> Prepared {
        let file = try TrainingTestSupport.datasetsDirectory().appendingPathComponent("california-housing/housing.csv")
        guard FileManager.default.fileExists(atPath: file.path) else { throw XCTSkip("\(file.path) is absent") }
        let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").dropFirst()
        let categories = ["<1H OCEAN", "INLAND", "ISLAND", "NEAR BAY", "NEAR OCEAN"]
        var numeric: [[Double?]] = [], category: [Int] = [], target: [Double] = []
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(fields.count, 10)
            numeric.append((0..<8).map { Double(fields[$0]) })
            target.append(Double(fields[8])!)
            category.append(categories.firstIndex(of: fields[9].trimmingCharacters(in: .whitespacesAndNewlines))!)
        }
        XCTAssertEqual(numeric.count, 20640)
        let isTest = (0..<numeric.count).map { $0 % 5 == 0 }
        let trainRows = (0..<numeric.count).filter { !isTest[$0] }, testRows = (0..<numeric.count).filter { isTest[$0] }
        // Median imputation and standardisation, fitted on training rows only.
        var medians = [Double](), means = [Double](), deviations = [Double]()
        for column in 0..<8 {
            let present = trainRows.compactMap { numeric[$0][column] }.sorted()
            let median = present[present.count / 2]
            let values = trainRows.map { numeric[$0][column] ?? median }
            let mean = values.reduce(0, +) / Double(values.count)
            let deviation = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)).squareRoot()
            medians.append(median); means.append(mean); deviations.append(deviation)
        }
        func features(_ rows: [Int]) -> Tensor {
            var values = [Float]()
            values.reserveCapacity(rows.count * 13)
            for row in rows {
                for column in 0..<8 {
                    values.append(Float(((numeric[row][column] ?? medians[column]) - means[column]) / deviations[column]))
                }
                for index in 0..<5 { values.append(category[row] == index ? 1 : 0) }
            }
            return Tensor(shape: [rows.count, 13], scalars: values)
        }
        return Prepared(trainInputs: features(trainRows),
                        trainTargets: Tensor(shape: [trainRows.count, 1], scalars: trainRows.map { Float(target[$0] / 100_000) }),
                        testInputs: features(testRows), testTargets: testRows.map { target[$0] })
    }

    func testMLP64x64OnCaliforniaHousing() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
        let data = try prepare()
        XCTAssertEqual(data.trainInputs.shape, [16512, 13])
        let network = try Sequential(spec: .multilayerPerceptron(inputs: 13, hidden: [64, 64], outputs: 1), seed: 42)
        // scikit-learn's MLPRegressor defaults: adam 1e-3, batch 200, validation 10%, patience 10, tol 1e-4.
        let trainer = Trainer(network: network, loss: SquaredErrorLoss(), optimizer: Adam(learningRate: 1e-3),
                              configuration: TrainingConfiguration(epochs: 300, batchSize: 200, seed: 42,
                                                                   validationFraction: 0.1,
                                                                   earlyStopping: EarlyStopping(patience: 10, minDelta: 1e-4)))
        let started = Date()
        let history = try trainer.fit(inputs: data.trainInputs, targets: data.trainTargets)
        let seconds = Date().timeIntervalSince(started)
        let predictStarted = Date()
        let predictions = network.predict(data.testInputs)
        let predictSeconds = Date().timeIntervalSince(predictStarted)
        var squared = 0.0
        for (index, actual) in data.testTargets.enumerated() {
            let error = Double(predictions.scalars[index]) * 100_000 - actual
            squared += error * error
        }
        let rmse = (squared / Double(data.testTargets.count)).squareRoot()
        print("California MLP 64-64-1: \(history.epochs.count) epochs (best \(history.bestEpoch ?? 0)) in "
              + String(format: "%.2f s (%.1f ms/epoch), test RMSE %.0f, predict %d rows in %.1f ms",
                       seconds, 1000 * seconds / Double(history.epochs.count), rmse, data.testTargets.count,
                       predictSeconds * 1000))
        // scikit-learn's MLPRegressor 64-64 (adam, early stopping) measured 51,678 on this split (issue 3).
        XCTAssertLessThan(rmse, 56_000)
    }
}
