import Foundation
import XCTest
@testable import SolutionKit

/// Data helpers for the training tests.
enum TrainingTestSupport {
    /// `../shared/datasets` beside the package root, found from this file's path.
    static func datasetsDirectory(filePath: String = #filePath) throws -> URL {
        var root = URL(fileURLWithPath: filePath)
        for _ in 0..<4 { root.deleteLastPathComponent() } // Training, SolutionKitTests, Tests, package root
        let datasets = root.deletingLastPathComponent().appendingPathComponent("shared/datasets")
        guard FileManager.default.fileExists(atPath: datasets.path) else {
            throw XCTSkip("datasets folder \(datasets.path) is absent")
        }
        return datasets
    }

    /// y = sin(x₁) + x₂² with x uniform on [−2, 2]²: a small nonlinear regression problem.
    static func nonlinearRegression(rows: Int, seed: UInt64) -> (inputs: Tensor, targets: Tensor) {
        var generator = SeededGenerator(seed: seed)
        var inputs = [Float](), targets = [Float]()
        for _ in 0..<rows {
            let x1 = Float(generator.nextUnitDouble() * 4 - 2), x2 = Float(generator.nextUnitDouble() * 4 - 2)
            inputs += [x1, x2]
            targets.append(sin(x1) + x2 * x2)
        }
        return (Tensor(shape: [rows, 2], scalars: inputs), Tensor(shape: [rows, 1], scalars: targets))
    }

    /// The coefficient of determination, 1 − SS_res / SS_tot.
    static func rSquared(_ predictions: Tensor, _ targets: Tensor) -> Double {
        let mean = targets.scalars.reduce(0.0) { $0 + Double($1) } / Double(targets.count)
        var residual = 0.0, total = 0.0
        for index in 0..<targets.count {
            let y = Double(targets.scalars[index])
            residual += (y - Double(predictions.scalars[index])) * (y - Double(predictions.scalars[index]))
            total += (y - mean) * (y - mean)
        }
        return 1 - residual / total
    }
}
