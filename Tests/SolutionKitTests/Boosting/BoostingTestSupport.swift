import Foundation
import XCTest
@testable import SolutionKit

/// Helpers for the boosting tests: synthetic data and the shared datasets.
enum BoostingTestSupport {
    /// `../shared/datasets` relative to the package root, found from this file's path.
    static var datasetsRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/datasets")
    }

    /// The dataset folder, or a skip naming what is missing.
    static func dataset(_ name: String) throws -> URL {
        let url = datasetsRoot.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("dataset folder \(url.path) is absent")
        }
        return url
    }

    /// A matrix with `rows` rows of `features` uniform values in [0, 1), seeded.
    static func uniformMatrix(rows: Int, features: Int, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        return Tensor(shape: [rows, features], scalars: (0..<(rows * features)).map { _ in generator.nextUnitFloat() })
    }

    /// A smooth nonlinear regression target with noise, over the first three features.
    static func friedmanLike(_ x: Tensor, seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        let f = x.columns
        return (0..<x.rows).map { r in
            // Missing inputs count as the middle of the range, so labels stay finite.
            func value(_ v: Float) -> Double { v.isNaN ? 0.5 : Double(v) }
            let a = value(x.scalars[r * f]), b = value(x.scalars[r * f + 1]), c = value(x.scalars[r * f + 2])
            return 10 * sin(.pi * a * b) + 20 * (c - 0.5) * (c - 0.5) + 0.5 * generator.nextGaussian()
        }
    }

    /// A labelled matrix from a table read by the kit's CSV reader: numeric columns as values (NaN when
    /// missing), categorical columns as their codes; rows are those for which `keep(row)` is true.
    static func matrix(_ table: Table, features: [Int], target: Int, where keep: (Int) -> Bool)
        -> (Tensor, [Double]) {
        var scalars: [Float] = [], labels: [Double] = []
        let label = table.columns[target].numeric!
        for r in 0..<table.rowCount where keep(r) {
            for c in features {
                switch table.columns[c].storage {
                case .numeric(let column): scalars.append(column.missing[r] ? .nan : Float(column.values[r]))
                case .categorical(let column): scalars.append(column.codes[r] < 0 ? .nan : Float(column.codes[r]))
                }
            }
            labels.append(label.values[r])
        }
        return (Tensor(shape: [labels.count, features.count], scalars: scalars), labels)
    }

    /// California housing with the PROTOCOL split (test = row_index % 5 == 0); ocean_proximity categorical.
    static func california() throws -> (train: (Tensor, [Double]), test: (Tensor, [Double]), categorical: Set<Int>,
                                        names: [String]) {
        let path = try dataset("california-housing").appendingPathComponent("housing.csv").path
        let table = try Table(csvFile: path)
        let target = table.columnNames.firstIndex(of: "median_house_value")!
        let features = table.columns.indices.filter { $0 != target }
        let categorical = Set(features.indices.filter { table.columns[features[$0]].kind == .categorical })
        return (matrix(table, features: features, target: target) { $0 % 5 != 0 },
                matrix(table, features: features, target: target) { $0 % 5 == 0 },
                categorical, features.map { table.columnNames[$0] })
    }

    /// Give Me Some Credit with the PROTOCOL split (test = id % 5 == 0, id = first column).
    static func giveMeSomeCredit() throws -> (train: (Tensor, [Double]), test: (Tensor, [Double])) {
        let path = try dataset("give-me-some-credit").appendingPathComponent("cs-training.csv").path
        let table = try Table(csvFile: path)
        let target = table.columnNames.firstIndex(of: "SeriousDlqin2yrs")!
        let features = table.columns.indices.filter { $0 != target && $0 != 0 }
        let ids = table.columns[0].numeric!.values.map { Int($0) }
        return (matrix(table, features: features, target: target) { ids[$0] % 5 != 0 },
                matrix(table, features: features, target: target) { ids[$0] % 5 == 0 })
    }

    static func rmse(_ a: [Double], _ b: [Double]) -> Double {
        (zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(a.count)).squareRoot()
    }
}
