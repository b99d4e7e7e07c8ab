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

    /// Parses a numeric CSV with a header (empty fields and "NA" become NaN); `transform` may map a column.
    static func readCSV(_ url: URL, categorical: [String: [String: Float]] = [:]) throws
        -> (header: [String], rows: [[Float]]) {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false)
            .map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\"\r")) }
        var rows: [[Float]] = []
        rows.reserveCapacity(lines.count)
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            rows.append(fields.enumerated().map { i, raw in
                let field = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\"\r"))
                if let map = categorical[header[i]] { return map[field] ?? .nan }
                return field.isEmpty || field == "NA" ? .nan : Float(field) ?? .nan
            })
        }
        return (header, rows)
    }

    /// California housing with the PROTOCOL split (test = row_index % 5 == 0); ocean_proximity as codes.
    static func california() throws -> (train: (Tensor, [Double]), test: (Tensor, [Double]), categorical: Set<Int>) {
        let url = try dataset("california-housing").appendingPathComponent("housing.csv")
        let codes: [String: Float] = ["<1H OCEAN": 0, "INLAND": 1, "NEAR OCEAN": 2, "NEAR BAY": 3, "ISLAND": 4]
        let (header, rows) = try readCSV(url, categorical: ["ocean_proximity": codes])
        let target = header.firstIndex(of: "median_house_value")!
        let featureColumns = header.indices.filter { $0 != target }
        let categorical: Set<Int> = [featureColumns.firstIndex(of: header.firstIndex(of: "ocean_proximity")!)!]
        return (split(rows, featureColumns, target) { $0 % 5 != 0 },
                split(rows, featureColumns, target) { $0 % 5 == 0 }, categorical)
    }

    /// Give Me Some Credit with the PROTOCOL split (test = id % 5 == 0).
    static func giveMeSomeCredit() throws -> (train: (Tensor, [Double]), test: (Tensor, [Double])) {
        let url = try dataset("give-me-some-credit").appendingPathComponent("cs-training.csv")
        let (header, rows) = try readCSV(url)
        let target = header.firstIndex(of: "SeriousDlqin2yrs")!
        let featureColumns = header.indices.filter { $0 != target && $0 != 0 }
        let ids = rows.map { Int($0[0]) }
        return (split(rows, featureColumns, target) { ids[$0] % 5 != 0 },
                split(rows, featureColumns, target) { ids[$0] % 5 == 0 })
    }

    static func split(_ rows: [[Float]], _ columns: [Int], _ target: Int,
                      where keep: (Int) -> Bool) -> (Tensor, [Double]) {
        var scalars: [Float] = [], labels: [Double] = []
        for (i, row) in rows.enumerated() where keep(i) {
            for c in columns { scalars.append(row[c]) }
            labels.append(Double(row[target]))
        }
        return (Tensor(shape: [labels.count, columns.count], scalars: scalars), labels)
    }

    static func rmse(_ a: [Double], _ b: [Double]) -> Double {
        (zip(a, b).map { ($0 - $1) * ($0 - $1) }.reduce(0, +) / Double(a.count)).squareRoot()
    }
}
