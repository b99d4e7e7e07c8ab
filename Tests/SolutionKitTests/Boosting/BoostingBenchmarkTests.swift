import Foundation
import XCTest
@testable import SolutionKit

/// The Swift side of `bench/gbdt/run.sh`: same settings as `lightgbm_bench.py`, timings written to
/// `bench/work/solutionkit.json`. Runs only when `BOOSTING_BENCH` is set, in a release build; it checks
/// nothing about time (tests never assert wall-clock), only records it.
final class BoostingBenchmarkTests: XCTestCase {
    override func setUpWithError() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
        guard ProcessInfo.processInfo.environment["BOOSTING_BENCH"] != nil else {
            throw XCTSkip("benchmark: set BOOSTING_BENCH=1 (bench/gbdt/run.sh does)")
        }
    }

    static var runs: Int { Int(ProcessInfo.processInfo.environment["BENCH_RUNS"] ?? "") ?? 5 }

    func measure(_ parameters: GradientBoostingParameters, train: (Tensor, [Double]), test: Tensor,
                 categorical: Set<Int>) throws -> (model: GradientBoostedModel, trainSeconds: Double, rowsPerSecond: Double) {
        var times: [Double] = []
        var model: GradientBoostedModel!
        for run in 0...Self.runs {
            let start = DispatchTime.now().uptimeNanoseconds
            model = try GradientBoostingTrainer(parameters: parameters)
                .fit(features: train.0, labels: train.1, categoricalFeatures: categorical)
            if run > 0 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
        }
        // 1,000,000 rows: the test rows repeated.
        let width = test.columns
        var big = [Float](repeating: 0, count: 1_000_000 * width)
        for r in 0..<1_000_000 {
            let source = (r % test.rows) * width
            for c in 0..<width { big[r * width + c] = test.scalars[source + c] }
        }
        let bigTensor = Tensor(shape: [1_000_000, width], scalars: big)
        let predictor = model.compactPredictor()
        _ = try predictor.rawPredictions(for: Tensor(shape: [1000, width], scalars: Array(big[0..<(1000 * width)])))
        var predictTimes: [Double] = []
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try predictor.predictions(for: bigTensor)
            predictTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return (model, median(times), 1_000_000 / median(predictTimes))
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }

    func testBenchmarkAgainstLightGBMSettings() throws {
        Parallelism.threadCount = 2
        var results: [String: [String: Double]] = [:]
        let california = try BoostingTestSupport.california()
        let c = try measure(GradientBoostingParameters(), train: california.train, test: california.test.0,
                            categorical: california.categorical)
        results["california"] = [
            "rmse": BoostingTestSupport.rmse(try c.model.predictions(for: california.test.0), california.test.1),
            "train_seconds": c.trainSeconds, "predict_rows_per_second": c.rowsPerSecond]
        let credit = try BoostingTestSupport.giveMeSomeCredit()
        var p = GradientBoostingParameters()
        p.objective = .binary
        let g = try measure(p, train: credit.train, test: credit.test.0, categorical: [])
        results["credit"] = [
            "auc": areaUnderROC(scores: try g.model.rawPredictions(for: credit.test.0), labels: credit.test.1),
            "train_seconds": g.trainSeconds, "predict_rows_per_second": g.rowsPerSecond]
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let work = root.appendingPathComponent("bench/work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(results).write(to: work.appendingPathComponent("solutionkit.json"))
        print(String(decoding: try encoder.encode(results), as: UTF8.self))
    }
}
