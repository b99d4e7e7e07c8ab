import Foundation
import SolutionKit

/// A small but real domain defined only in the test target: fit y = slope·x + intercept by least squares.
///
/// It reads `x,y` CSV with its own tiny parser, so it exercises the launcher, bundles and the conformance
/// suite exactly as a real plugin does, without depending on the core's data or model code.
struct LineFitPlugin: DomainPlugin {
    var id = "line-fit"
    var version = "1.0.0"
    var summary = "Fits a straight line y = a·x + b to x,y points (test plugin)."
    /// When set, the scorer miscounts rows: used to prove the launcher refuses an unbalanced summary.
    var breaksRowCount = false

    var datasets: [DatasetDescriptor] {
        [DatasetDescriptor(name: "sample", summary: "200 generated points on y = 3x - 2 with Gaussian noise (seeded).",
                           location: "generated in memory", formats: ["CSV with a header naming x and the target column"]),
         DatasetDescriptor(name: "shared-points", summary: "points.csv in the shared datasets folder line-fit-points.",
                           location: "shared datasets folder line-fit-points", formats: [])]
    }

    var recipes: [Recipe] {
        [Recipe(name: "exact", summary: "Closed-form ridge least squares.", hyperparameters: [
            .real("l2", default: 0, in: 0...1000, "Ridge penalty on the slope."),
            .boolean("fit_intercept", default: true, "Learn b; false fits a line through the origin."),
         ]),
         Recipe(name: "sgd", summary: "Mini-batch gradient descent on the squared error, seeded shuffling.", hyperparameters: [
            .integer("epochs", default: 60, in: 1...10_000, "Passes over the training rows."),
            .real("learning_rate", default: 0.05, in: 1e-6...1, "Step size."),
            .integer("batch_size", default: 16, in: 1...1024, "Rows per gradient step."),
            .boolean("fit_intercept", default: true, "Learn b; false fits a line through the origin."),
            .choice("loss", default: "squared", from: ["squared", "absolute"], "The loss minimised."),
         ])]
    }

    var metrics: [MetricDescriptor] {
        [MetricDescriptor(name: "rmse", summary: "root mean squared error", higherIsBetter: false, isPrimary: true),
         MetricDescriptor(name: "mae", summary: "mean absolute error", higherIsBetter: false),
         MetricDescriptor(name: "r2", summary: "coefficient of determination", higherIsBetter: true)]
    }

    func load(_ request: DataRequest) throws -> any DomainDataset {
        switch request.source {
        case .dataset("sample"):
            var generator = SeededGenerator(seed: 2024)
            var xs: [Float] = [], ys: [Float] = []
            for _ in 0..<200 {
                let x = Float(generator.nextUnitDouble() * 10 - 5)
                xs.append(x)
                ys.append(3 * x - 2 + Float(generator.nextGaussian() * 0.5))
            }
            let bytes = zip(xs, ys).flatMap { Array("\($0),\($1)\n".utf8) }
            return PointSet(name: "sample", source: "generated", fingerprint: DatasetFingerprint.sha256(of: bytes),
                            xs: xs, ys: ys, isEvaluationOnly: request.isEvaluationOnly)
        case .dataset("shared-points"):
            let folder = try DatasetLocator().folder(named: "line-fit-points")
            return try PointSet.read(path: folder + "/points.csv", target: request.target ?? "y",
                                     isEvaluationOnly: request.isEvaluationOnly)
        case .dataset(let name):
            throw DataRequestError.unknownDataset(name, plugin: id, known: datasets.map(\.name))
        case .file(let path):
            return try PointSet.read(path: path, target: request.target ?? "y", isEvaluationOnly: request.isEvaluationOnly)
        }
    }

    func train(_ configuration: RecipeConfiguration, on data: any DomainDataset, context: RunContext) throws -> any TrainedModel {
        let points = try PointSet.cast(data)
        let rows = points.trainingRows
        guard rows.count >= 2 else { throw DataRequestError("\(points.source): need at least 2 training rows, found \(rows.count)") }
        let fitIntercept = try configuration.boolean("fit_intercept")
        switch configuration.recipe {
        case "exact":
            let l2 = try configuration.real("l2")
            var sx = 0.0, sy = 0.0
            for i in rows { sx += Double(points.xs[i]); sy += Double(points.ys[i]) }
            let n = Double(rows.count)
            let mx = fitIntercept ? sx / n : 0, my = fitIntercept ? sy / n : 0
            var sxx = 0.0, sxy = 0.0
            for i in rows {
                let dx = Double(points.xs[i]) - mx
                sxx += dx * dx
                sxy += dx * (Double(points.ys[i]) - my)
            }
            let slope = sxy / (sxx + l2)
            return LineModel(configuration: configuration, slope: Float(slope), intercept: Float(my - slope * mx), history: nil)
        case "sgd":
            let epochs = try configuration.integer("epochs"), rate = Float(try configuration.real("learning_rate"))
            let batch = try configuration.integer("batch_size"), absolute = try configuration.text("loss") == "absolute"
            var generator = context.generator(stream: 1)
            var order = rows
            var slope: Float = 0, intercept: Float = 0
            var losses: [Double] = []
            context.progress.begin("training line-fit sgd", total: epochs, unit: "epoch")
            for _ in 0..<epochs {
                order.shuffle(using: &generator)
                var start = 0
                while start < order.count {
                    let end = min(start + batch, order.count)
                    var gSlope: Float = 0, gIntercept: Float = 0
                    for i in order[start..<end] {
                        let error = slope * points.xs[i] + intercept - points.ys[i]
                        let g = absolute ? (error > 0 ? 1 : (error < 0 ? -1 : 0)) : 2 * error
                        gSlope += g * points.xs[i]
                        gIntercept += g
                    }
                    let scale = rate / Float(end - start)
                    slope -= scale * gSlope
                    if fitIntercept { intercept -= scale * gIntercept }
                    start = end
                }
                var loss = 0.0
                for i in rows { let e = Double(slope * points.xs[i] + intercept - points.ys[i]); loss += e * e }
                losses.append(loss / Double(rows.count))
                context.progress.advance()
            }
            context.progress.finish()
            return LineModel(configuration: configuration, slope: slope, intercept: intercept,
                             history: TrainingCurves(series: [.init(name: "train_mse", values: losses)]))
        default:
            _ = try recipe(named: configuration.recipe)
            throw InternalError("recipe \(configuration.recipe) has no training code")
        }
    }

    func evaluate(_ model: any TrainedModel, on data: any DomainDataset, context: RunContext) throws -> MetricReport {
        guard let line = model as? LineModel else { throw InternalError("line-fit was given a \(type(of: model))") }
        let points = try PointSet.cast(data)
        let rows = points.evaluationRows
        guard !rows.isEmpty else { throw DataRequestError("\(points.source): no evaluation rows") }
        var squared = 0.0, absolute = 0.0, mean = 0.0
        for i in rows { mean += Double(points.ys[i]) }
        mean /= Double(rows.count)
        var total = 0.0
        var residuals: [Double] = []
        for i in rows {
            let error = Double(line.predict(points.xs[i])) - Double(points.ys[i])
            residuals.append(error)
            squared += error * error
            absolute += abs(error)
            total += (Double(points.ys[i]) - mean) * (Double(points.ys[i]) - mean)
        }
        let n = Double(rows.count)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\">"
        for (k, r) in residuals.enumerated() {
            svg += "<circle cx=\"\(Int(Double(k) * 200 / n))\" cy=\"\(Int(50 - max(-50, min(50, r * 10))))\" r=\"1\"/>"
        }
        svg += "</svg>"
        return MetricReport(values: [.init(name: "rmse", value: (squared / n).squareRoot()), .init(name: "mae", value: absolute / n),
                                     .init(name: "r2", value: 1 - squared / total)],
                            primary: "rmse",
                            sections: [.init(title: "Fitted line", markdown: "y = \(line.slope)·x + \(line.intercept)")],
                            charts: [.init(name: "residuals", title: "Residuals by row", svg: svg)],
                            tables: [.init(name: "coefficients", content: .object(["slope": .number(Double(line.slope)),
                                                                                    "intercept": .number(Double(line.intercept))]))])
    }

    func model(from bundle: ModelBundle) throws -> any TrainedModel {
        let coefficients = try bundle.array("coefficients")
        guard coefficients.shape == [2] else {
            throw BundleError.malformed(path: bundle.path, file: "weights.json", reason: "coefficients must have shape [2], found \(coefficients.shape)")
        }
        return LineModel(configuration: try bundle.configuration(for: self), slope: coefficients.values[0],
                         intercept: coefficients.values[1], history: nil)
    }

    func scorer(for bundle: ModelBundle) throws -> any BatchScorer {
        guard let model = try self.model(from: bundle) as? LineModel else { throw InternalError("not a line model") }
        return LineScorer(model: model, breaksRowCount: breaksRowCount)
    }
}

struct LineModel: TrainedModel {
    var configuration: RecipeConfiguration
    var slope: Float
    var intercept: Float
    var history: TrainingCurves?

    func predict(_ x: Float) -> Float { slope * x + intercept }

    func bundleContents() throws -> BundleContents {
        BundleContents(arrays: [NamedArray(name: "coefficients", shape: [2], values: [slope, intercept])],
                       inputSchema: .object(["columns": .array([.object(["name": .string("x"), "type": .string("number")])])]),
                       manifestFields: ["target": .string("y")])
    }
}

/// Points with the PROTOCOL-style split: evaluation = row_index % 5 == 0, unless all of it is evaluation data.
struct PointSet: DomainDataset {
    var name: String
    var source: String
    var fingerprint: String
    var xs: [Float]
    var ys: [Float]
    var isEvaluationOnly: Bool

    var trainingRows: [Int] { isEvaluationOnly ? [] : xs.indices.filter { $0 % 5 != 0 } }
    var evaluationRows: [Int] { isEvaluationOnly ? Array(xs.indices) : xs.indices.filter { $0 % 5 == 0 } }
    var trainingCount: Int { trainingRows.count }
    var evaluationCount: Int { evaluationRows.count }
    var summary: String { "\(xs.count) points (x, y)" }

    static func cast(_ data: any DomainDataset) throws -> PointSet {
        guard let points = data as? PointSet else { throw InternalError("line-fit was given a \(type(of: data))") }
        return points
    }

    static func read(path: String, target: String, isEvaluationOnly: Bool) throws -> PointSet {
        let reader = LineReader(try FileByteSource(path: path))
        guard let header = try reader.next() else { throw DataRequestError("\(path): empty file, expected a header line") }
        let names = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let xColumn = names.firstIndex(of: "x") else { throw DataRequestError("\(path): line 1: no column named x in \(names)") }
        guard let yColumn = names.firstIndex(of: target) else {
            throw DataRequestError("\(path): line 1: no target column named \(target) in \(names)")
        }
        var xs: [Float] = [], ys: [Float] = []
        var lineNumber = 1
        while let line = try reader.next() {
            lineNumber += 1
            if line.isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == names.count else {
                throw DataRequestError("\(path): line \(lineNumber): expected \(names.count) fields, found \(fields.count)")
            }
            for (column, label) in [(xColumn, "x"), (yColumn, target)] {
                guard let v = Float(fields[column].trimmingCharacters(in: .whitespaces)), v.isFinite else {
                    throw DataRequestError("\(path): line \(lineNumber): field \(label): \"\(fields[column])\" is not a finite number")
                }
                if column == xColumn { xs.append(v) } else { ys.append(v) }
            }
        }
        let name = URL(fileURLWithPath: path).lastPathComponent
        return PointSet(name: name, source: path, fingerprint: try DatasetFingerprint.sha256(ofFiles: [path]),
                        xs: xs, ys: ys, isEvaluationOnly: isEvaluationOnly)
    }
}

/// Splits a byte source into lines (without the newline, a trailing \r removed), reading 64 KiB at a time.
final class LineReader {
    private let source: any ByteSource
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false
    private let block = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)

    init(_ source: any ByteSource) { self.source = source }
    deinit { block.deallocate() }

    func next() throws -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 10) {
                var end = newline
                if end > start && buffer[end - 1] == 13 { end -= 1 }
                let line = String(decoding: buffer[start..<end], as: UTF8.self)
                start = newline + 1
                return line
            }
            if finished {
                guard start < buffer.count else { return nil }
                let line = String(decoding: buffer[start...], as: UTF8.self)
                start = buffer.count
                return line
            }
            buffer.removeFirst(start)
            start = 0
            let n = try source.read(into: block)
            if n == 0 { finished = true } else { buffer.append(contentsOf: block[0..<n]) }
        }
    }
}

/// Scores `x` (CSV with a header, or JSON lines) into `prediction`, passing an `id` column through.
struct LineScorer: BatchScorer {
    var model: LineModel
    var breaksRowCount: Bool

    func score(_ input: any ByteSource, into output: OutputSink, rejects: OutputSink?, options: ScoringOptions) throws -> ScoringSummary {
        var summary = ScoringSummary()
        let reader = LineReader(input)
        try rejects?.write("line,reason\n")
        func reject(_ line: Int, _ reason: String) throws {
            summary.rowsRejected += 1
            try rejects?.write("\(line),\"\(reason.replacingOccurrences(of: "\"", with: "\"\""))\"\n")
        }
        var lineNumber = 0
        switch options.format {
        case .csv:
            guard let header = try reader.next() else { throw DataRequestError("\(input.name): empty input, expected a header line") }
            lineNumber = 1
            let names = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let xColumn = names.firstIndex(of: "x") else {
                throw DataRequestError("\(input.name): line 1: the model needs column x; the header has \(names.joined(separator: ", "))")
            }
            let idColumn = names.firstIndex(of: "id")
            let extra = names.filter { $0 != "x" && $0 != "id" }
            if !extra.isEmpty { summary.notes.append("ignored extra columns: \(extra.joined(separator: ", "))") }
            try output.write(idColumn == nil ? "prediction\n" : "id,prediction\n")
            while let line = try reader.next() {
                lineNumber += 1
                if line.isEmpty { continue }
                summary.rowsRead += 1
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                guard fields.count == names.count else {
                    try reject(lineNumber, "expected \(names.count) fields, found \(fields.count)"); continue
                }
                let text = fields[xColumn].trimmingCharacters(in: .whitespaces)
                guard let x = Float(text), x.isFinite else {
                    try reject(lineNumber, "field x: \"\(text)\" is not a finite number"); continue
                }
                try output.write(idColumn.map { "\(fields[$0]),\(model.predict(x))\n" } ?? "\(model.predict(x))\n")
                summary.rowsScored += 1
            }
        case .jsonl:
            while let line = try reader.next() {
                lineNumber += 1
                if line.isEmpty { continue }
                summary.rowsRead += 1
                guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                    try reject(lineNumber, "not a JSON object"); continue
                }
                guard let x = (object["x"] as? NSNumber)?.floatValue, x.isFinite else {
                    try reject(lineNumber, "field x is missing or not a finite number"); continue
                }
                let id = object["id"].map { "\"id\":\(JSONValue.string("\($0)").jsonText)," } ?? ""
                try output.write("{\(id)\"prediction\":\(model.predict(x))}\n")
                summary.rowsScored += 1
            }
        }
        if breaksRowCount { summary.rowsRead += 1 }
        return summary
    }
}

extension JSONValue {
    var jsonText: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self) }
}
