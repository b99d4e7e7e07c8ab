// The Swift side of `bench/gbdt/run.sh`: the same settings as `lightgbm_bench.py` on the PROTOCOL splits,
// training time (median of BENCH_RUNS runs after a warm-up) and prediction throughput on 1,000,000 rows.
// Writes bench/work/solutionkit.json. Usage: solutionkit-bench [datasets folder]; `side ...`: see Side.swift.
// Environment: BENCH_RUNS (timed runs, default 5); for bench/gbdt/compare_trees.py also
// BENCH_MIN_DATA_IN_LEAF (overrides min_data_in_leaf on both datasets), BENCH_DUMP_CALIFORNIA_MODEL and
// BENCH_DUMP_CREDIT_MODEL (paths: the model's JSON is written there) and BENCH_ONLY=california|credit.
import Foundation
import SolutionKit

struct LabelledMatrix {
    var features: Tensor
    var labels: [Double]
}

/// A CSV read by the kit, as tree features (raw numbers, NaN for missing, category positions) and labels.
/// `idColumn`: the first column is a row id, used by `testRow` but not a feature (as in lightgbm_bench.py).
func load(_ path: String, target: String, idColumn: Bool = false, testRow: ([Double], Int) -> Bool)
    throws -> (train: LabelledMatrix, test: LabelledMatrix, categorical: Set<Int>) {
    var table = try Table(csvFile: path)
    let labels = try table.removeColumn(named: target).numeric!.values
    let firstColumn = table.columns[0].numeric?.values ?? []
    if idColumn { _ = try table.removeColumn(named: table.columnNames[0]) }
    let isTest = (0..<table.rowCount).map { testRow(firstColumn, $0) }
    let trainRows = isTest.indices.filter { !isTest[$0] }, testRows = isTest.indices.filter { isTest[$0] }
    let preprocessor = try TabularPreprocessor(fittingOn: table, rows: trainRows, unseenCategories: .ignore, layout: .native)
    func part(_ rows: [Int]) throws -> LabelledMatrix {
        LabelledMatrix(features: try preprocessor.transform(try table.selectingRows(rows)), labels: rows.map { labels[$0] })
    }
    return (try part(trainRows), try part(testRows), Set(preprocessor.categoricalFeatureIndices))
}

func median(_ values: [Double]) -> Double {
    if values.isEmpty { return .nan }   // BENCH_RUNS=0: only the warm-up fit, no timing
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func measure(_ parameters: GradientBoostingParameters, train: LabelledMatrix, test: Tensor, categorical: Set<Int>,
             runs: Int) throws -> (model: GradientBoostedModel, trainSeconds: Double, rowsPerSecond: Double) {
    var model: GradientBoostedModel!
    var times: [Double] = []
    for run in 0...runs {
        let t = try seconds {
            model = try GradientBoostingTrainer(parameters: parameters)
                .fit(features: train.features, labels: train.labels, categoricalFeatures: categorical)
        }
        if run > 0 { times.append(t) }
    }
    // 1,000,000 rows: the test rows repeated.
    let width = test.columns
    var big = [Float](repeating: 0, count: 1_000_000 * width)
    for r in 0..<1_000_000 {
        let source = (r % test.rows) * width
        for c in 0..<width { big[r * width + c] = test.scalars[source + c] }
    }
    let bigTensor = Tensor(shape: [1_000_000, width], scalars: big)
    let predictor = try model.forestScorer()
    _ = try predictor.predictions(for: test)
    var predictTimes: [Double] = []
    for _ in 0..<3 { predictTimes.append(try seconds { _ = try predictor.predictions(for: bigTensor) }) }
    return (model, median(times), 1_000_000 / median(predictTimes))
}

let arguments = CommandLine.arguments
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
if arguments.count > 1 && arguments[1] == "side" {   // one sample of a bench/run.sh comparison (Side.swift)
    do {
        try runSide(arguments.dropFirst(2), datasets: root.appendingPathComponent("../shared/datasets").standardized.path)
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        exit(1)
    }
}
let datasets = arguments.count > 1 ? arguments[1] : root.appendingPathComponent("../shared/datasets").standardized.path
let environment = ProcessInfo.processInfo.environment
let runs = Int(environment["BENCH_RUNS"] ?? "") ?? 5
var sameSettings = GradientBoostingParameters()
if let minData = Int(environment["BENCH_MIN_DATA_IN_LEAF"] ?? "") { sameSettings.minDataInLeaf = minData }
Parallelism.threadCount = 2

let only = environment["BENCH_ONLY"]
do {
    var results: [String: [String: Double]] = [:]
    if only != "credit" {
    let california = try load(datasets + "/california-housing/housing.csv", target: "median_house_value") { _, row in row % 5 == 0 }
    let c = try measure(sameSettings, train: california.train, test: california.test.features,
                        categorical: california.categorical, runs: runs)
    results["california"] = [
        "rmse": try RootMeanSquaredError().evaluate(predictions: try c.model.predictions(for: california.test.features),
                                                   targets: california.test.labels),
        "train_seconds": c.trainSeconds, "predict_rows_per_second": c.rowsPerSecond]
    if let path = environment["BENCH_DUMP_CALIFORNIA_MODEL"] {
        try c.model.jsonData().write(to: URL(fileURLWithPath: path))
    }
    }
    if only != "california" {

    let credit = try load(datasets + "/give-me-some-credit/cs-training.csv", target: "SeriousDlqin2yrs", idColumn: true) { ids, row in
        Int(ids[row]) % 5 == 0
    }
    var binary = sameSettings
    binary.objective = .binary
    let g = try measure(binary, train: credit.train, test: credit.test.features, categorical: [], runs: runs)
    results["credit"] = [
        "auc": try AreaUnderROC().evaluate(scores: try g.model.rawPredictions(for: credit.test.features),
                                           labels: credit.test.labels.map { Int($0) }),
        "train_seconds": g.trainSeconds, "predict_rows_per_second": g.rowsPerSecond]
    if let path = environment["BENCH_DUMP_CREDIT_MODEL"] {
        try g.model.jsonData().write(to: URL(fileURLWithPath: path))
    }
    }
    if only != nil {   // a partial run for compare_trees.py: leave the benchmark's JSON alone
        print(results)
        exit(0)
    }

    let work = root.appendingPathComponent("bench/work")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try encoder.encode(results).write(to: work.appendingPathComponent("solutionkit.json"))
    print(String(decoding: try encoder.encode(results), as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("error: \(error)\n".utf8))
    exit(1)
}
