import CreditRisk
import Foundation
import SolutionKit
import SolutionKitConformance
import XCTest

/// Paths and helpers shared by the credit-risk tests.
enum CreditTestSupport {
    /// The package root, found from this file's path.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var germanSample: String { packageRoot.appendingPathComponent("samples/credit-risk/german.data").path }

    /// The shared datasets folder, or a skip when it is absent.
    static func sharedDataset(_ name: String) throws -> String {
        let folder = packageRoot.appendingPathComponent("../shared/datasets/\(name)").standardized.path
        guard FileManager.default.fileExists(atPath: folder) else {
            throw XCTSkip("shared dataset \(name) is absent at \(folder)")
        }
        return folder
    }

    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("credit-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    static func write(_ text: String, to url: URL) throws {
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Trains and evaluates one recipe on one request.
    static func run(_ recipe: String, _ request: DataRequest, overrides: [String] = [], seed: UInt64 = 42) throws -> MetricReport {
        let plugin = CreditRiskPlugin()
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: recipe, overrides: overrides)
        let data = try plugin.load(request)
        let context = RunContext(seed: seed)
        let model = try plugin.train(configuration, on: data, context: context)
        return try plugin.evaluate(model, on: data, context: context)
    }

    /// Mean of AUC and expected cost over the five PROTOCOL folds of German credit.
    static func germanFolds(_ recipe: String, path: String, overrides: [String] = []) throws -> (auc: Double, cost: Double) {
        var auc = 0.0, cost = 0.0
        for fold in 0..<5 {
            let report = try run(recipe, .file(path, options: ["split": "row", "fold": String(fold)]), overrides: overrides)
            auc += report["roc_auc"]! / 5
            cost += report["expected_cost"]! / 5
        }
        return (auc, cost)
    }
}

/// A small generated applicant file with real signal: income and age lower the risk, renting and a "cash" purpose
/// raise it. Deterministic (its own linear congruential sequence), so tests need no data files.
enum SyntheticCredit {
    static let header = "id,income,age,purpose,housing,bad"

    static func rows(count: Int = 400, seed: UInt64 = 1) -> [String] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let purposes = ["car", "cash", "furniture", "education"]
        let housings = ["own", "rent", "free"]
        var lines: [String] = []
        for i in 0..<count {
            let income = (1000 + 4000 * uniform()).rounded()
            let age = (20 + 50 * uniform()).rounded()
            let purpose = purposes[Int(uniform() * 4) % 4]
            let housing = housings[Int(uniform() * 3) % 3]
            var z = 1.0 - income / 1200 - (age - 20) / 25
            if housing == "rent" { z += 1.2 }
            if purpose == "cash" { z += 1.0 }
            let p = 1 / (1 + exp(-z))
            let bad = uniform() < p ? 1 : 0
            lines.append("a\(i),\(Int(income)),\(Int(age)),\(purpose),\(housing),\(bad)")
        }
        return lines
    }

    static func csv(count: Int = 400, seed: UInt64 = 1) -> String {
        ([header] + rows(count: count, seed: seed)).joined(separator: "\n") + "\n"
    }

    /// Writes the file and returns its path.
    /// The generated file to train on, four applicants to score and tiny training settings: the fixture of the
    /// conformance suite and of the bundle edit tests.
    static func conformanceFixture(_ test: XCTestCase) throws -> ConformanceFixture {
        ConformanceFixture(
            trainingData: .file(try file(test), options: ["target": "bad"]),
            scoringInput: "id,income,age,purpose,housing\nx1,2500,40,car,own\nx2,1200,22,cash,rent\nx3,,35,education,free\nx4,4100,61,furniture,own\n",
            invalidRow: "x5,lots,30,car,own", overrides: ["gbdt": ["rounds=20"], "mlp": ["epochs=3"]])
    }

    static func file(_ test: XCTestCase, count: Int = 400) throws -> String {
        let url = try CreditTestSupport.temporaryFolder(test).appendingPathComponent("applicants.csv")
        try CreditTestSupport.write(csv(count: count), to: url)
        return url.path
    }
}
