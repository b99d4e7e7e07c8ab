@testable import CreditRisk
import SolutionKit
import XCTest

/// Reason codes are the inputs that cost the applicant the most points.
final class ReasonCodeTests: XCTestCase {
    /// A hand-made scorecard over three inputs; the reasons must be the largest shortfalls from each input's best bin.
    func testScorecardReasonsAreTheLargestShortfallsFromTheBestBin() throws {
        let table = try Table(columns: [
            .numeric("income", NumericColumn(values: [1000, 2000, 3000, 4000])),
            .numeric("age", NumericColumn(values: [20, 30, 40, 50])),
            .categorical("housing", CategoricalColumn(["own", "rent", "free", "own"])),
        ])
        let preprocessor = try TabularPreprocessor(fittingOn: table, standardizes: false)
        let layout = FeatureLayout(preprocessor)
        func bin(_ label: String, _ woe: Double) -> WoEBin { WoEBin(label: label, count: 1, bads: 0, woe: woe) }
        // income: <= 1500 → 10 points, (1500, 2500] → 30, > 2500 → 50 (best).
        let income = FeatureBinning(name: "income", isCategorical: false, upperBounds: [1500, 2500, .greatestFiniteMagnitude], binOfCategory: [],
                                    bins: [bin("<= 1500", -1), bin("(1500, 2500]", 0), bin("> 2500", 1)], missingBin: nil,
                                    informationValue: 0.5, trend: "descending")
        // age: <= 25 → 20, > 25 → 24 (best).
        let age = FeatureBinning(name: "age", isCategorical: false, upperBounds: [25, .greatestFiniteMagnitude], binOfCategory: [],
                                 bins: [bin("<= 25", -0.2), bin("> 25", 0.2)], missingBin: nil, informationValue: 0.1, trend: "descending")
        // housing categories in the preprocessor's order (free, own, rent): rent → 5, own/free → 40 (best).
        let housing = FeatureBinning(name: "housing", isCategorical: true, upperBounds: [], binOfCategory: [0, 0, 1],
                                     bins: [bin("free | own", 1), bin("rent", -1)], missingBin: nil, informationValue: 0.4,
                                     trend: "categorical")
        let card = Scorecard(entries: [
            .init(input: 0, binning: income, coefficient: -1, points: [10, 30, 50], neutralPoints: 30),
            .init(input: 1, binning: age, coefficient: -1, points: [20, 24], neutralPoints: 22),
            .init(input: 2, binning: housing, coefficient: -1, points: [40, 5], neutralPoints: 22),
        ], intercept: 0, scaling: ScoreScaling(), allBinnings: [income, age, housing])
        XCTAssertEqual(layout.names, ["income", "age", "housing"])
        let model = CreditModel(configuration: CreditRecipes.scorecard.defaultConfiguration, preprocessor: preprocessor,
                                estimator: .scorecard(card), scaling: ScoreScaling(),
                                decision: CostDecision(threshold: 0.5, costFalseNegative: 5, costFalsePositive: 1),
                                baseline: [Float](repeating: 0, count: preprocessor.featureCount), history: nil)
        let applicants = try Table(columns: [
            .numeric("income", NumericColumn(values: [1200, 2000, 4000])),
            .numeric("age", NumericColumn(values: [22, 22, 60])),
            .categorical("housing", CategoricalColumn(["own", "rent", "own"])),
        ])
        let predictions = try model.predict(features: try preprocessor.transform(applicants))
        func texts(_ name: String) -> [String] {
            guard case .texts(let values) = predictions.columns.first(where: { $0.name == name })!.values else { return [] }
            return values
        }
        // Applicant 0: income shortfall 40, age 4, housing 0 → income, age.
        XCTAssertEqual(texts("reason_1")[0], "income: <= 1500 (-40 points)")
        XCTAssertEqual(texts("reason_2")[0], "age: <= 25 (-4 points)")
        XCTAssertEqual(texts("reason_3")[0], "")
        // Applicant 1: housing 35, income 20, age 4.
        XCTAssertEqual([texts("reason_1")[1], texts("reason_2")[1], texts("reason_3")[1]],
                       ["housing: rent (-35 points)", "income: (1500, 2500] (-20 points)", "age: <= 25 (-4 points)"])
        // Applicant 2 sits in every best bin: no reasons.
        XCTAssertEqual([texts("reason_1")[2], texts("reason_2")[2], texts("reason_3")[2]], ["", "", ""])
        // The score is the sum of the points: 10 + 20 + 40 = 70 for applicant 0.
        guard case .numbers(let scores) = predictions.columns[1].values else { return XCTFail("score column") }
        XCTAssertEqual(scores[0], 70, accuracy: 0.05)
        XCTAssertEqual(scores[2], 50 + 24 + 40, accuracy: 0.05)
    }

    /// For trees, the reasons are the inputs with the largest positive TreeSHAP contributions toward default.
    func testTreeReasonsAreTheLargestPositiveTreeSHAPContributions() throws {
        let path = try SyntheticCredit.file(self, count: 600)
        let plugin = CreditRiskPlugin()
        let data = try CreditDataset.cast(try plugin.load(.file(path, options: ["target": "bad"])))
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: "gbdt", overrides: ["rounds=40", "min_data_in_leaf=10"])
        let model = try CreditModel.cast(try plugin.train(configuration, on: data, context: RunContext(seed: 3)))
        guard case .gbdt(let trees, _, let fast) = model.estimator else { return XCTFail("not a tree model") }
        let features = try model.preprocessor.transform(try data.features.selectingRows(data.split.test))
        let phi = try trees.contributions(for: model.layout.rawView(features))
        let predictions = try model.predict(features: features)
        guard case .texts(let first) = predictions.columns.first(where: { $0.name == "reason_1" })!.values,
              case .texts(let second) = predictions.columns.first(where: { $0.name == "reason_2" })!.values else {
            return XCTFail("reason columns")
        }
        let names = model.layout.names
        var checked = 0
        for r in 0..<features.rows {
            let contributions = (0..<names.count).map { phi[r, $0] }
            let order = contributions.indices.filter { contributions[$0] > 1e-9 }.sorted { contributions[$0] > contributions[$1] }
            if let top = order.first {
                XCTAssertTrue(first[r].hasPrefix(names[top] + ":"), "row \(r): \(first[r]) vs \(contributions)")
                checked += 1
            } else {
                XCTAssertEqual(first[r], "")
            }
            if order.count > 1 { XCTAssertTrue(second[r].hasPrefix(names[order[1]] + ":"), "row \(r)") }
            // Contributions plus the expected value are the model's log-odds.
            let z = contributions.reduce(0, +) + phi[r, names.count]
            XCTAssertEqual(z, try model.logOdds(features.gatheringRows([r]))[0], accuracy: 1e-6)
        }
        XCTAssertGreaterThan(checked, 10)
        // The tabulated TreeSHAP equals the recursive one of the core.
        let tabulated = fast.contributions(for: model.layout.rawView(features))
        XCTAssertEqual(tabulated.count, phi.values.count)
        for (a, b) in zip(tabulated, phi.values) { XCTAssertEqual(a, b, accuracy: 1e-9) }
    }

    func testTopReasonsOrderAndTies() {
        let losses: [Double] = [1, 5, 5, 0, -2, 3]
        let top = ReasonCodes.top(losses: losses, rows: 1, inputs: 6) { _, k, loss in "\(k):\(loss)" }
        XCTAssertEqual(top.map { $0[0] }, ["1:5.0", "2:5.0", "5:3.0"])
    }

    func testCostThresholdMinimisesTrainingCost() {
        // Declining the two riskiest (one good, one bad) saves 5 − 1; declining the third (good) costs 1 more.
        let p = [0.9, 0.8, 0.3, 0.1]
        let bad = [true, false, false, false]
        let t = CostDecision.minimisingCost(probabilities: p, bad: bad, costFalseNegative: 5, costFalsePositive: 1)
        XCTAssertEqual(t, 0.85, accuracy: 1e-12)
        let rule = CostDecision(threshold: t, costFalseNegative: 5, costFalsePositive: 1)
        XCTAssertEqual(rule.expectedCost(probabilities: p, bad: bad), 0)
        XCTAssertEqual(CostDecision.bayesThreshold(costFalseNegative: 5, costFalsePositive: 1), 1.0 / 6, accuracy: 1e-12)
    }

    func testScoreScaling() {
        let scaling = ScoreScaling()
        // 600 points at 50:1 good:bad, 20 more per doubling.
        XCTAssertEqual(scaling.score(probability: 1.0 / 51), 600, accuracy: 1e-9)
        XCTAssertEqual(scaling.score(probability: 1.0 / 101), 620, accuracy: 1e-9)
    }
}
