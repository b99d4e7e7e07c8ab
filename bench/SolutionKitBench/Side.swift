// The kit's side of one `bench/run.sh` comparison: one process = one sample, printed as a JSON line on stdout
// (the driver, bench/ab.py, alternates it with the reference library's side and takes medians).
//
//   SolutionKitBench side gbdt --dataset california|credit --trees N [--predict-rows R] [--threads T]
//       trains on the PROTOCOL split (timed), scores R rows (the test rows repeated) with `ForestScorer` and with
//       the previous `CompactTreePredictor` (timed), and times single-row calls.
//   SolutionKitBench side predict --model MODEL.json --dataset california|credit --rows R --predictor forest|compact|tables
//       scores R rows once on one thread: for instruction counts under valgrind (subtract runs of two sizes).
//   SolutionKitBench side save --dataset california|credit --trees N --out MODEL.json
import Foundation
import SolutionKit

struct SideOptions {
    var values: [String: String] = [:]
    init(_ arguments: ArraySlice<String>) throws {
        var rest = arguments
        while let key = rest.popFirst() {
            guard key.hasPrefix("--"), let value = rest.popFirst() else {
                throw SideError("expected --option value pairs, got \(key)")
            }
            values[String(key.dropFirst(2))] = value
        }
    }
    func string(_ key: String, _ fallback: String? = nil) throws -> String {
        guard let value = values[key] ?? fallback else { throw SideError("missing --\(key)") }
        return value
    }
    func int(_ key: String, _ fallback: Int? = nil) throws -> Int {
        guard let value = values[key].flatMap(Int.init) ?? fallback else { throw SideError("--\(key) needs an integer") }
        return value
    }
}

struct SideError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A PROTOCOL split of one of the two GBDT datasets, with the settings shared with bench/gbdt/lightgbm_side.py.
func gbdtDataset(_ name: String, datasets: String) throws
    -> (train: LabelledMatrix, test: LabelledMatrix, categorical: Set<Int>, parameters: GradientBoostingParameters) {
    var parameters = GradientBoostingParameters()
    switch name {
    case "california":
        let d = try load(datasets + "/california-housing/housing.csv", target: "median_house_value") { _, row in row % 5 == 0 }
        return (d.train, d.test, d.categorical, parameters)
    case "credit":
        let d = try load(datasets + "/give-me-some-credit/cs-training.csv", target: "SeriousDlqin2yrs", idColumn: true) { ids, row in
            Int(ids[row]) % 5 == 0
        }
        parameters.objective = .binary
        return (d.train, d.test, [], parameters)
    default:
        throw SideError("unknown dataset \(name) (california or credit)")
    }
}

/// `rows` rows: the test rows repeated.
func repeated(_ test: Tensor, rows: Int) -> Tensor {
    let width = test.columns
    var big = [Float](repeating: 0, count: rows * width)
    for r in 0..<rows {
        let source = (r % test.rows) * width
        for c in 0..<width { big[r * width + c] = test.scalars[source + c] }
    }
    return Tensor(shape: [rows, width], scalars: big)
}

func printJSON(_ object: [String: Any]) throws {
    let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    print(String(decoding: data, as: UTF8.self))
}

func runSide(_ arguments: ArraySlice<String>, datasets defaultDatasets: String) throws {
    guard let mode = arguments.first else { throw SideError("side needs a mode: gbdt, predict or save") }
    let options = try SideOptions(arguments.dropFirst())
    let datasets = try options.string("datasets", defaultDatasets)
    Parallelism.threadCount = try options.int("threads", 2)
    let data = try gbdtDataset(try options.string("dataset"), datasets: datasets)
    switch mode {
    case "gbdt", "save":
        var parameters = data.parameters
        parameters.numberOfRounds = try options.int("trees", 100)
        var model: GradientBoostedModel!
        let trainSeconds = try seconds {
            model = try GradientBoostingTrainer(parameters: parameters)
                .fit(features: data.train.features, labels: data.train.labels, categoricalFeatures: data.categorical)
        }
        if mode == "save" {
            try model.jsonData().write(to: URL(fileURLWithPath: try options.string("out")))
            return
        }
        let rows = try options.int("predict-rows", 1_000_000)
        let big = repeated(data.test.features, rows: rows)
        let scorer = try model.forestScorer(), compact = model.compactPredictor()
        _ = try scorer.rawPredictions(for: data.test.features)
        var forestOut: [Double] = [], compactOut: [Double] = []
        let forestSeconds = try seconds { forestOut = try scorer.predictions(for: big) }
        let compactSeconds = try seconds { compactOut = try compact.predictions(for: big) }
        guard forestOut.map(\.bitPattern) == compactOut.map(\.bitPattern) else {
            throw SideError("ForestScorer and CompactTreePredictor disagree")
        }
        // Single rows, on the calling thread: the median of many calls.
        let one = repeated(data.test.features, rows: 1)
        var singles: [Double] = []
        for _ in 0..<2_000 { singles.append(try seconds { _ = try scorer.rawPredictions(for: one, parallel: false) }) }
        let predicted = try model.predictions(for: data.test.features)
        let metric: [String: Double] = data.parameters.objective == .squaredError
            ? ["rmse": try RootMeanSquaredError().evaluate(predictions: predicted, targets: data.test.labels)]
            : ["auc": try AreaUnderROC().evaluate(scores: predicted, labels: data.test.labels.map { Int($0) })]
        try printJSON([
            "train_seconds": trainSeconds, "predict_seconds": forestSeconds, "compact_predict_seconds": compactSeconds,
            "predict_rows": rows, "rows_per_second": Double(rows) / forestSeconds,
            "single_row_microseconds": median(singles) * 1e6, "metric": metric,
            "threads": ["kit_workers": Parallelism.threadCount,
                        "OPENBLAS_NUM_THREADS": ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "unset",
                        "OMP_WAIT_POLICY": ProcessInfo.processInfo.environment["OMP_WAIT_POLICY"] ?? "unset"],
        ])
    case "predict":
        let model = try GradientBoostedModel(jsonData: try Data(contentsOf: URL(fileURLWithPath: try options.string("model"))))
        let big = repeated(data.test.features, rows: try options.int("rows"))
        var out: [Double] = []
        switch try options.string("predictor") {
        case "forest": let scorer = try model.forestScorer(); out = try scorer.rawPredictions(for: big, parallel: false)
        case "compact":
            let compact = model.compactPredictor()
            out = [Double](repeating: 0, count: big.rows)
            big.scalars.withUnsafeBufferPointer { x in out.withUnsafeMutableBufferPointer { o in
                compact.predictRaw(rows: x.baseAddress!, count: big.rows, output: o.baseAddress!)
            } }
        case "tables":   // FastTreeSHAP's cell tables without explanations: what the credit plugin scored with
            out = FastTreeSHAP(model: model, explaining: false).rawPredictions(for: big, parallel: false)
        default: throw SideError("--predictor is forest, compact or tables")
        }
        try printJSON(["rows": big.rows, "checksum": out.reduce(0, +)])
    default:
        throw SideError("unknown mode \(mode)")
    }
}
