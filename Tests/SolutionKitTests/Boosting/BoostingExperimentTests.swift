import Foundation
import XCTest
@testable import SolutionKit

final class BoostingExperimentTests: XCTestCase {
    func testExperiment() throws {
        guard let spec = ProcessInfo.processInfo.environment["GBDT_EXP"] else { throw XCTSkip("no experiment") }
        let california = try BoostingTestSupport.california()
        let credit = try BoostingTestSupport.giveMeSomeCredit()
        for config in spec.split(separator: ";") {
            var p = GradientBoostingParameters()
            var dataset = "cal"
            var logTarget = false
            var useCategorical = true
            for kv in config.split(separator: ",") {
                let parts = kv.split(separator: "="); let k = String(parts[0]); let v = String(parts[1])
                switch k {
                case "data": dataset = v
                case "lr": p.learningRate = Double(v)!
                case "rounds": p.numberOfRounds = Int(v)!
                case "leaves": p.numberOfLeaves = Int(v)!
                case "mdl": p.minDataInLeaf = Int(v)!
                case "ff": p.featureFraction = Double(v)!
                case "bf": p.baggingFraction = Double(v)!; p.baggingFrequency = 1
                case "l2": p.lambdaL2 = Double(v)!
                case "log": logTarget = v == "1"
                case "depth": p.maxDepth = Int(v)!
                case "hess": p.minSumHessianInLeaf = Double(v)!
                case "cat": useCategorical = v == "1"
                case "maxbin": p.maxBin = Int(v)!
                case "mdib": p.minDataInBin = Int(v)!
                case "l1": p.lambdaL1 = Double(v)!
                default: fatalError(k)
                }
            }
            let start = Date()
            if dataset == "cal" {
                p.objective = .squaredError
                let y = logTarget ? california.train.1.map { log($0) } : california.train.1
                let model = try GradientBoostingTrainer(parameters: p)
                    .fit(features: california.train.0, labels: y, categoricalFeatures: useCategorical ? california.categorical : [])
                var pred = try model.predictions(for: california.test.0)
                if logTarget { pred = pred.map { exp($0) } }
                print("EXP \(config): rmse \(BoostingTestSupport.rmse(pred, california.test.1)) time \(Date().timeIntervalSince(start))")
            } else {
                p.objective = .binary
                let model = try GradientBoostingTrainer(parameters: p).fit(features: credit.train.0, labels: credit.train.1)
                let auc = areaUnderROC(scores: try model.rawPredictions(for: credit.test.0), labels: credit.test.1)
                print("EXP \(config): auc \(auc) time \(Date().timeIntervalSince(start))")
            }
        }
    }
}
