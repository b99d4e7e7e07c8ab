import Foundation
import SolutionKit
import XCTest
@testable import DigitRecognition

/// PROTOCOL: sklearn digits, 5 folds (fold = row_index % 5), mean accuracy. Release run only (about 30 s).
final class SklearnDigitsFoldTests: XCTestCase {
    func testCNNDeepWithBatchNormReachesTheTargetOverFiveFolds() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
        let folder = try DigitTestSupport.sharedDataset("sklearn-digits")
        let plugin = DigitRecognitionPlugin()
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: "cnn-deep",
                                                            overrides: ["batch_norm=true", "epochs=40", "schedule=cosine"])
        var accuracies: [Double] = []
        for fold in 0..<5 {
            let data = try DigitDatasets.loadDigitsCSV(path: folder + "/digits.csv.gz", name: "sklearn-digits", fold: fold,
                                                       evaluationOnly: false)
            XCTAssertEqual(data.split.test.count, fold < 2 ? 360 : 359)
            let model = try DigitModel.train(configuration, on: data, context: RunContext(seed: 42))
            accuracies.append(try DigitEvaluation.evaluate(model, on: data)["accuracy"]!)
        }
        let mean = accuracies.reduce(0, +) / 5
        print("sklearn digits, cnn-deep batch_norm=true epochs=40 cosine: folds \(accuracies), mean \(mean)")
        XCTAssertGreaterThanOrEqual(mean, 0.985, "folds \(accuracies)")
    }
}
