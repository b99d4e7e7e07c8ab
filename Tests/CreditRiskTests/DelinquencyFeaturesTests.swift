@testable import CreditRisk
import Foundation
import SolutionKit
import SolutionKitConformance
import XCTest

/// The gbdt recipe's derived columns for tables with Give Me Some Credit's past-due counts.
final class DelinquencyFeaturesTests: XCTestCase {
    func trained(_ overrides: [String] = [], file: String? = nil) throws -> CreditModel {
        let path = try file ?? SyntheticDelinquency.file(self)
        let plugin = CreditRiskPlugin()
        let data = try plugin.load(.file(path, options: ["target": SyntheticDelinquency.target]))
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: "gbdt",
                                                            overrides: ["rounds=20", "min_data_in_leaf=20"] + overrides)
        return try CreditModel.cast(try plugin.train(configuration, on: data, context: RunContext(seed: 7)))
    }

    /// Applicants as the scorer would see them, with the trained model's preprocessing.
    func features(_ model: CreditModel, _ rows: [[Double?]]) throws -> Tensor {
        let names = SyntheticDelinquency.featureNames
        let table = try Table(columns: names.indices.map { c in
            .numeric(names[c], NumericColumn(values: rows.map { $0[c] ?? 0 }, missing: rows.map { $0[c] == nil }))
        })
        return try model.preprocessor.transform(table)
    }

    func testDerivedColumnsFollowTheFormulasAndTheCodes() throws {
        let model = try trained()
        XCTAssertEqual(model.layout.names.suffix(2), ["WeightedDaysLate", "AnyDaysLate"])
        XCTAssertEqual(model.layout.inputs.count, SyntheticDelinquency.featureNames.count + 2)
        guard case .gbdt(let trees, _, _) = model.estimator else { return XCTFail("not a tree model") }
        XCTAssertEqual(trees.featureCount, model.layout.inputs.count)

        // Columns: utilisation, age, 30-59, 60-89, 90+.
        let x = try features(model, [
            [0.5, 40, 1, 0, 2],      // late: 1 + 0 + 3 × 2 = 7
            [25, 50, 0, 0, 0],       // utilisation above 10, never late
            [0.2, 30, 98, 98, 98],   // the file's code for "refused": unknown lateness
            [nil, 35, 2, 0, 0],      // missing utilisation
        ])
        let raw = model.layout.rawView(x), tree = model.layout.treeView(x)
        let width = model.layout.inputs.count
        func value(_ t: Tensor, _ r: Int, _ k: Int) -> Float { t.scalars[r * width + k] }
        let weighted = width - 2, any = width - 1
        XCTAssertEqual(value(raw, 0, weighted), 7)
        XCTAssertEqual(value(raw, 0, any), 1)
        XCTAssertEqual(value(raw, 1, weighted), 0)
        XCTAssertEqual(value(raw, 1, any), 0)
        XCTAssertTrue(value(raw, 2, weighted).isNaN)
        XCTAssertEqual(value(raw, 2, any), 0)
        XCTAssertEqual(value(raw, 3, weighted), 2)
        XCTAssertEqual(value(raw, 3, any), 1)
        // Trees read utilisation above 10 as missing; reasons describe the applicant's own value.
        XCTAssertEqual(value(raw, 1, 0), 25)
        XCTAssertTrue(value(tree, 1, 0).isNaN)
        XCTAssertEqual(value(tree, 0, 0), 0.5)
        XCTAssertTrue(value(tree, 3, 0).isNaN)
        for r in 0..<4 { for k in 1..<width { XCTAssertEqual(value(raw, r, k).bitPattern, value(tree, r, k).bitPattern) } }
        // Scores read the tree view: equal to the trees' own prediction of it.
        let expected = try trees.rawPredictions(for: tree)
        let scored = try model.logOdds(x)
        for r in 0..<4 { XCTAssertEqual(scored[r], expected[r], accuracy: 1e-12) }
    }

    func testNoneKeepsTheTablesColumnsOnly() throws {
        let model = try trained(["credit_features=none"])
        XCTAssertNil(model.layout.derived)
        XCTAssertEqual(model.layout.names, SyntheticDelinquency.featureNames)
    }

    func testTablesWithoutThePastDueCountsGetNoDerivedColumns() throws {
        let path = try SyntheticCredit.file(self)
        let plugin = CreditRiskPlugin()
        let data = try plugin.load(.file(path, options: ["target": "bad"]))
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: "gbdt", overrides: ["rounds=5"])
        let model = try CreditModel.cast(try plugin.train(configuration, on: data, context: RunContext(seed: 1)))
        XCTAssertNil(model.layout.derived)
        XCTAssertEqual(model.layout.names, ["income", "age", "purpose", "housing"])
    }

    /// The whole plugin contract (bundle round trip, same seed same files, row order, bad rows) with the derived
    /// columns in play.
    func testTheConformanceSuitePassesWithDerivedColumns() throws {
        let fixture = ConformanceFixture(
            trainingData: .file(try SyntheticDelinquency.file(self), options: ["target": SyntheticDelinquency.target]),
            scoringInput: SyntheticDelinquency.header(withTarget: false) + "\nq1,0.3,45,0,0,0\nq2,40,23,98,98,98\n"
                + "q3,NA,31,2,NA,1\nq4,0.9,60,1,1,1\n",
            invalidRow: "q5,0.2,old,0,0,0", overrides: ["gbdt": ["rounds=15"], "mlp": ["epochs=2"]])
        let report = ConformanceSuite.run(CreditRiskPlugin(), fixture: fixture)
        XCTAssertTrue(report.isPassing, "\(report)")
        XCTAssertTrue(report.passed.contains("bundle round trip [gbdt]"), "\(report)")
    }

    func testABundleWhoseDerivedColumnsDoNotFitIsRefused() throws {
        let path = try SyntheticDelinquency.file(self)
        let model = try trained(file: path)
        let folder = try CreditTestSupport.temporaryFolder(self).appendingPathComponent("bundle").path
        let plugin = CreditRiskPlugin()
        let data = try plugin.load(.file(path, options: ["target": SyntheticDelinquency.target]))
        try ModelBundle.save(model, plugin: plugin, trainingData: data, metrics: nil, seed: 7, to: folder)
        let file = URL(fileURLWithPath: folder).appendingPathComponent("derived_features.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.contains("pastDue"), text)
        let damaged = text.replacingOccurrences(of: "\"pastDue\" : [", with: "\"pastDue\" : [40,")
        XCTAssertNotEqual(damaged, text)
        try damaged.write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try plugin.model(from: try ModelBundle.load(from: folder, expectingPlugin: plugin.id))) { error in
            XCTAssertTrue("\(error)".contains("derived_features.json"), "\(error)")
        }
    }
}

/// A generated file with Give Me Some Credit's column names: lateness raises the risk, age lowers it; some rows carry
/// the codes 98, utilisation above 10, or missing values.
enum SyntheticDelinquency {
    static let target = "SeriousDlqin2yrs"
    static let featureNames = [DelinquencyFeatures.utilizationColumn, "age"] + DelinquencyFeatures.pastDueColumns

    static func header(withTarget: Bool) -> String {
        (["id"] + featureNames + (withTarget ? [target] : [])).joined(separator: ",")
    }

    static func csv(count: Int = 600, seed: UInt64 = 5) -> String {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var lines = [header(withTarget: true)]
        for i in 0..<count {
            var utilization = uniform() * 1.2
            if uniform() < 0.03 { utilization = 20 + 1000 * uniform() }
            let age = (21 + 60 * uniform()).rounded()
            var late = (0..<3).map { _ in uniform() < 0.2 ? Double(Int(uniform() * 4)) : 0 }
            if uniform() < 0.02 { late = [98, 98, 98] }
            let counted = late[0] >= 96 ? 1.0 : late[0] + 2 * late[1] + 3 * late[2]
            let z = -2.5 + 0.8 * counted + 1.5 * min(utilization, 1) - (age - 21) / 30
            let bad = uniform() < 1 / (1 + exp(-z)) ? 1 : 0
            let texts = [uniform() < 0.05 ? "NA" : String(format: "%.4f", utilization), String(Int(age))]
                + late.map { String(Int($0)) }
            lines.append("\(i + 1)," + texts.joined(separator: ",") + ",\(bad)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func file(_ test: XCTestCase) throws -> String {
        let url = try CreditTestSupport.temporaryFolder(test).appendingPathComponent("borrowers.csv")
        try CreditTestSupport.write(csv(), to: url)
        return url.path
    }
}
