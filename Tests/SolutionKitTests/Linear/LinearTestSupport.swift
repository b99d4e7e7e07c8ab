import Foundation
import XCTest
@testable import SolutionKit

/// Locates `../shared/datasets` from the package root and reads, with the kit's CSV reader, the few numeric
/// columns the linear-model tests need.
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
        let table = try Table(csvFile: datasetFolder("california-housing").appendingPathComponent("housing.csv").path)
        let names = ["longitude", "latitude", "housing_median_age", "total_rooms", "population", "households", "median_income"]
        return (try matrix(table, names), try table.numericColumn(named: "median_house_value").values)
    }

    /// German credit: the seven numeric attributes (duration, amount, instalment rate, residence, age,
    /// existing credits, dependants); label true for class 2 (bad).
    static func germanNumeric() throws -> (x: Tensor, labels: [Bool]) {
        let path = try datasetFolder("german-credit").appendingPathComponent("german.data").path
        let table = try Table(csvFile: path, options: CSVOptions(delimiter: UInt8(ascii: " "), hasHeader: false))
        let names = [2, 5, 8, 11, 13, 16, 18].map { "col\($0)" }
        return (try matrix(table, names), try table.numericColumn(named: "col21").values.map { $0 == 2 })
    }

    /// The named numeric columns as a rows × columns matrix.
    private static func matrix(_ table: Table, _ names: [String]) throws -> Tensor {
        let columns = try names.map { try table.numericColumn(named: $0).values }
        var scalars = [Float](repeating: 0, count: table.rowCount * names.count)
        for row in 0..<table.rowCount {
            for (j, column) in columns.enumerated() { scalars[row * names.count + j] = Float(column[row]) }
        }
        return Tensor(shape: [table.rowCount, names.count], scalars: scalars)
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
