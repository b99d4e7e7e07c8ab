import Foundation
import XCTest
@testable import SolutionKit

/// A tuning harness, not a check: `GBDT_EXP="data=gmsc,lr=0.02,rounds=800;cat=0"` runs each configuration
/// (keys: data, lr, rounds, leaves, mdl, ff, bf, l1, l2, log, depth, hess, cat, maxbin, mdib, es) on the PROTOCOL
/// split and prints its test metric and time; `es=N` holds out every tenth training row for early stopping, and
/// `GBDT_DUMP=1` prints California's first three trees for a node-by-node comparison with LightGBM's
/// `trees_to_dataframe()`. Skipped unless `GBDT_EXP` is set.
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
                case "es": p.earlyStoppingRounds = Int(v)!
                case "l1": p.lambdaL1 = Double(v)!
                default: throw XCTSkip("unknown experiment key \(k)")
                }
            }
            let start = Date()
            if dataset == "cal" {
                p.objective = .squaredError
                let y = logTarget ? california.train.1.map { log($0) } : california.train.1
                var trainX = california.train.0, trainY = y
                var validation: BoostingValidationSet? = nil
                if p.earlyStoppingRounds != nil {
                    // Every tenth training row is held out for early stopping.
                    let width = trainX.columns
                    var tx: [Float] = [], ty: [Double] = [], vx: [Float] = [], vy: [Double] = []
                    for r in 0..<trainX.rows {
                        let row = trainX.scalars[(r * width)..<((r + 1) * width)]
                        if r % 10 == 0 { vx += row; vy.append(y[r]) } else { tx += row; ty.append(y[r]) }
                    }
                    trainX = Tensor(shape: [ty.count, width], scalars: tx); trainY = ty
                    validation = BoostingValidationSet(features: Tensor(shape: [vy.count, width], scalars: vx), labels: vy)
                }
                let model = try GradientBoostingTrainer(parameters: p)
                    .fit(features: trainX, labels: trainY, categoricalFeatures: useCategorical ? california.categorical : [],
                         validation: validation)
                if let best = model.bestIteration { print("EXP best iteration \(best)") }
                if ProcessInfo.processInfo.environment["GBDT_DUMP"] != nil {
                    for (t, tree) in model.trees.prefix(3).enumerated() {
                        for n in 0..<tree.internalNodeCount {
                            print("TREE \(t) node \(n) f\(tree.splitFeature[n]) thr \(tree.threshold[n]) cats \(tree.leftCategories[n]) gain \(tree.splitGain[n]) count \(tree.internalCount[n])")
                        }
                    }
                }
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
