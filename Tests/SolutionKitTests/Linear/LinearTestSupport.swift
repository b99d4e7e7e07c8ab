import Foundation
import XCTest
@testable import SolutionKit

/// Locates `../shared/datasets` from the package root and reads the few numeric columns the linear-model
/// tests need (a deliberately tiny reader: the real CSV reader lives in the Data concern).
enum LinearTestSupport {
    /// `<package root>/../shared/datasets/<name>`, or an XCTSkip saying where it was looked for.
    static func datasetFolder(_ name: String) throws -> URL {
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let folder = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/datasets/\(name)")
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw XCTSkip("dataset folder \(folder.path) is absent")
        }
        return folder
    }

    /// California housing: features longitude, latitude, housing_median_age, total_rooms, population,
    /// households, median_income (total_bedrooms has gaps and is left out); target median_house_value.
    static func californiaNumeric() throws -> (x: Tensor, y: [Double]) {
        let text = try String(contentsOf: datasetFolder("california-housing").appendingPathComponent("housing.csv"),
                              encoding: .utf8)
        var scalars: [Float] = [], targets: [Double] = []
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            for column in [0, 1, 2, 3, 5, 6, 7] { scalars.append(Float(fields[column])!) }
            targets.append(Double(fields[8])!)
        }
        return (Tensor(shape: [targets.count, 7], scalars: scalars), targets)
    }

    /// German credit: the seven numeric attributes (duration, amount, instalment rate, residence, age,
    /// existing credits, dependants); label true for class 2 (bad).
    static func germanNumeric() throws -> (x: Tensor, labels: [Bool]) {
        let text = try String(contentsOf: datasetFolder("german-credit").appendingPathComponent("german.data"),
                              encoding: .utf8)
        var scalars: [Float] = [], labels: [Bool] = []
        for line in text.split(separator: "\n") where !line.isEmpty {
            let fields = line.split(separator: " ")
            for column in [1, 4, 7, 10, 12, 15, 17] { scalars.append(Float(fields[column])!) }
            labels.append(fields[20] == "2")
        }
        return (Tensor(shape: [labels.count, 7], scalars: scalars), labels)
    }

    /// The rows of `x` whose index satisfies `keep`.
    static func rows(of x: Tensor, where keep: (Int) -> Bool) -> Tensor {
        let columns = x.columns
        var scalars: [Float] = []
        var count = 0
        for row in 0..<x.rows where keep(row) {
            scalars.append(contentsOf: x.scalars[(row * columns)..<((row + 1) * columns)])
            count += 1
        }
        return Tensor(shape: [count, columns], scalars: scalars)
    }
}
