@testable import CreditRisk
import Foundation
import SolutionKit
import XCTest

/// Reason texts written as bytes for the scorer are the Strings `predict` gives, and those are what the recursive
/// TreeSHAP of the core implies.
final class ReasonTextTests: XCTestCase {
    func testFourSignificantDigitsMatchTheCLibrary() {
        var g = SeededGenerator(seed: 5)
        var values: [Float] = [0.0001, 0.00012345, 0.001, 0.0099995, 0.5, 0.88551908, 1.5, 9.9995, 99.995, 999.95, 9999.4,
                               9999.5, 12345.6, 1e-5, 0.1234567, 2.5, 0.00025, -0.75, -1234.5678, 1e7, 3.4e38]
        for _ in 0..<20_000 {
            let exponent = Float(Int.random(in: -6...6, using: &g))
            values.append(Float.random(in: 1..<10, using: &g) * powf(10, exponent) * (Bool.random(using: &g) ? 1 : -1))
        }
        for value in values {
            var column = UTF8TextColumn()
            ReasonText.appendFourSignificant(value, to: &column)
            column.finishText()
            XCTAssertEqual(column[0], String(format: "%.4g", Double(value)), "\(value)")
        }
    }

    func testWholeNumbersMatchTheCLibrary() {
        for value in [0.0, 1, 7, 10, 99, 100, 12345, 1e14, 1e16] {
            var column = UTF8TextColumn()
            ReasonText.appendWholeNumber(value, to: &column)
            column.finishText()
            XCTAssertEqual(column[0], String(format: "%.0f", value))
        }
    }

    func testTreeReasonsAsBytesEqualTheRecursiveTreeSHAPReasons() throws {
        let path = try SyntheticCredit.file(self, count: 800)
        let plugin = CreditRiskPlugin()
        let data = try CreditDataset.cast(try plugin.load(.file(path, options: ["target": "bad"])))
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: "gbdt", overrides: ["rounds=60", "min_data_in_leaf=10"])
        let trained = try CreditModel.cast(try plugin.train(configuration, on: data, context: RunContext(seed: 4)))
        guard case .gbdt(let trees, let predictor, _) = trained.estimator else { return XCTFail("not a tree model") }
        var features = try trained.preprocessor.transform(try data.features.selectingRows(data.split.test))
        // Some missing values, which the one-hot layout marks in the indicator columns.
        let layout = trained.layout
        for r in stride(from: 0, to: features.rows, by: 7) {
            for input in layout.inputs where input.indicatorColumn >= 0 {
                features.scalars[r * features.columns + input.indicatorColumn] = 1
            }
        }
        let raw = layout.rawView(features)
        // The texts as they were before cell tables: recursive TreeSHAP, ReasonCodes.top and String formatting.
        let phi = try trees.contributions(for: raw)
        let inputs = layout.inputs.count
        var losses = [Double](repeating: 0, count: raw.rows * inputs)
        for r in 0..<raw.rows { for k in 0..<inputs { losses[r * inputs + k] = trained.scaling.factor * phi[r, k] } }
        let expected = ReasonCodes.top(losses: losses, rows: raw.rows, inputs: inputs) { r, k, loss in
            ReasonCodes.format(name: layout.names[k], value: layout.describe(k, raw: raw.scalars[r * inputs + k]), points: loss)
        }
        let expectedP = try predictor.rawPredictions(for: raw).map { 1 / (1 + exp(-$0)) }
        for rows in [CreditModel.ReasonRows.all, .declined, .none] {
            let model = trained.with(reasonRows: rows)
            let strings = try model.predict(features: features), bytes = try model.predictForOutput(features: features)
            guard case .numbers(let p) = strings.columns[0].values, case .texts(let decisions) = strings.columns[2].values else {
                return XCTFail("columns")
            }
            XCTAssertEqual(p, expectedP, "probabilities are bit-identical whatever the reasons option")
            for c in 0..<ReasonCodes.count {
                guard case .texts(let text) = strings.columns[3 + c].values,
                      case .utf8Texts(let column) = bytes.columns[3 + c].values else { return XCTFail("reason columns") }
                XCTAssertEqual(column.count, text.count)
                for r in 0..<text.count {
                    XCTAssertEqual(column[r], text[r])
                    let wanted = rows == .all || (rows == .declined && decisions[r] == "decline") ? expected[c][r] : ""
                    XCTAssertEqual(text[r], wanted, "\(rows) row \(r) reason \(c + 1)")
                }
            }
        }
    }
}
