import Foundation
import SolutionKit

/// Checks that a plugin honours the contract, in the spirit of scikit-learn's `check_estimator`.
///
/// No XCTest here: `run` returns a report a test asserts on (`XCTAssertTrue(report.isPassing, "\(report)")`),
/// so the same suite can run from any harness.
public enum ConformanceSuite {
    public static func run(_ plugin: any DomainPlugin, fixture: ConformanceFixture) -> ConformanceReport {
        let checker = Checker(plugin: plugin, fixture: fixture)
        checker.runAll()
        return checker.report
    }
}

final class Checker {
    let plugin: any DomainPlugin
    let fixture: ConformanceFixture
    var report: ConformanceReport
    let workspace: URL

    init(plugin: any DomainPlugin, fixture: ConformanceFixture) {
        self.plugin = plugin
        self.fixture = fixture
        report = ConformanceReport(plugin: plugin.id)
        workspace = FileManager.default.temporaryDirectory
            .appendingPathComponent("solutionkit-conformance-\(plugin.id)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    }

    func check(_ name: String, _ body: () throws -> Void) {
        do {
            try body()
            report.passed.append(name)
        } catch let failure as ConformanceFailure {
            report.failures.append(failure)
        } catch let skip as Skip {
            report.skipped.append("\(name): \(skip.reason)")
        } catch {
            report.failures.append(ConformanceFailure(check: name, message: "threw \(type(of: error)): \(error)"))
        }
    }

    func runAll() {
        do {
            try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        } catch {
            report.failures.append(ConformanceFailure(check: "workspace", message: "cannot create \(workspace.path): \(error)"))
            return
        }
        defer { try? FileManager.default.removeItem(at: workspace) }

        check("declarations") { try checkDeclarations() }
        for descriptor in plugin.datasets {
            check("dataset \(descriptor.name) loads") { try checkDataset(descriptor) }
        }
        for recipe in plugin.recipes {
            check("recipe \(recipe.name) trains and evaluates") { try checkRecipe(recipe) }
            check("bundle round trip [\(recipe.name)]") { try checkRoundTrip(recipe) }
            check("evaluation-only data is evaluated whole [\(recipe.name)]") { try checkEvaluationOnly(recipe) }
            check("same seed gives identical weight files [\(recipe.name)]") { try checkDeterminism(recipe) }
        }
        if let recipe = plugin.recipes.first {
            check("scorer keeps row order and counts rows") { try checkRowOrder(recipe) }
            check("scorer rejects a bad row with a reason") { try checkBadRow(recipe) }
            check("a sharding scorer's shards add up to the whole output") { try checkShards(recipe) }
        }
    }

    // MARK: Checks

    func checkDeclarations() throws {
        let name = "declarations"
        let idPattern = plugin.id.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }
        try expect(!plugin.id.isEmpty && idPattern, name, "id \"\(plugin.id)\" must be lowercase letters, digits and hyphens")
        try expect(!plugin.version.isEmpty, name, "version is empty")
        try expect(!plugin.recipes.isEmpty, name, "declares no recipe")
        try expect(!plugin.metrics.isEmpty, name, "declares no metric")
        let primaries = plugin.metrics.filter(\.isPrimary)
        try expect(primaries.count == 1, name, "must declare exactly one primary metric, found \(primaries.map(\.name))")
        for (kind, names) in [("recipe", plugin.recipes.map(\.name)), ("metric", plugin.metrics.map(\.name)),
                              ("dataset", plugin.datasets.map(\.name))] {
            try expect(Set(names).count == names.count, name, "\(kind) names are not unique: \(names)")
        }
        for recipe in plugin.recipes {
            let keys = recipe.hyperparameters.map(\.name)
            try expect(Set(keys).count == keys.count, name, "recipe \(recipe.name) repeats a hyperparameter: \(keys)")
            for spec in recipe.hyperparameters {
                try expect(spec.isDefaultValid, name, "recipe \(recipe.name): default \(spec.defaultValue) of \(spec.name) is not \(spec.constraint.allowedDescription)")
            }
        }
        _ = try PluginRegistry([plugin])
    }

    func checkDataset(_ descriptor: DatasetDescriptor) throws {
        let name = "dataset \(descriptor.name) loads"
        let data: any DomainDataset
        do {
            data = try plugin.load(.dataset(descriptor.name))
        } catch let missing as DatasetNotFound {
            throw Skip(reason: "files absent (\(missing))")
        }
        try expect(data.trainingCount > 0, name, "no training rows")
        try expect(data.evaluationCount > 0, name, "no evaluation rows")
        try expect(isHexDigest(data.fingerprint), name, "fingerprint \"\(data.fingerprint)\" is not a sha256 hex digest")
    }

    func checkRecipe(_ recipe: Recipe) throws {
        let name = "recipe \(recipe.name) trains and evaluates"
        let (model, data) = try train(recipe, seed: fixture.seed)
        try expect(model.configuration.recipe == recipe.name, name,
                   "the model says recipe \(model.configuration.recipe), trained with \(recipe.name)")
        let report = try plugin.evaluate(model, on: data, context: RunContext(seed: fixture.seed))
        guard let primary = plugin.primaryMetric?.name else {
            throw ConformanceFailure(check: name, message: "the plugin declares no primary metric")
        }
        try expect(report.primary == primary, name, "report's primary metric is \(report.primary), declared \(primary)")
        for metric in plugin.metrics {
            try expect(report[metric.name] != nil, name, "declared metric \(metric.name) is missing from the report")
        }
        try expect(report.primaryValue?.isFinite == true, name, "primary metric \(primary) is \(String(describing: report.primaryValue))")
    }

    func checkRoundTrip(_ recipe: Recipe) throws {
        let name = "bundle round trip [\(recipe.name)]"
        let (model, data) = try train(recipe, seed: fixture.seed)
        let context = RunContext(seed: fixture.seed)
        let original = try plugin.evaluate(model, on: data, context: context)
        let first = try ModelBundle.save(model, plugin: plugin, trainingData: data, metrics: original, seed: fixture.seed,
                                         to: path("roundtrip-\(recipe.name)-1"))
        let loaded = try ModelBundle.load(from: first.path, expectingPlugin: plugin.id)
        try expect(loaded.manifest.recipe == recipe.name, name, "manifest recipe is \(loaded.manifest.recipe)")
        try expect(loaded.manifest.trainingDataFingerprint == data.fingerprint, name, "manifest fingerprint differs from the data's")
        let configuration = try loaded.configuration(for: plugin)
        try expect(configuration == model.configuration, name, "hyperparameters changed in the bundle: \(configuration.values) vs \(model.configuration.values)")

        let rebuilt = try plugin.model(from: loaded)
        let again = try plugin.evaluate(rebuilt, on: data, context: context)
        guard let a = original.primaryValue else {
            throw ConformanceFailure(check: name, message: "the report has no value for its primary metric \(original.primary)")
        }
        let b = again.primaryValue ?? .nan
        try expect(abs(a - b) <= 1e-6 * max(1, abs(a)), name,
                   "primary metric \(original.primary) was \(a) before saving and \(b) after loading")
        let second = try ModelBundle.save(rebuilt, plugin: plugin, trainingData: data, metrics: again, seed: fixture.seed,
                                          to: path("roundtrip-\(recipe.name)-2"))
        try expectSameFiles(first.path, second.path, name, what: "a model rebuilt from its bundle writes different files")

        let scoredFirst = try score(plugin.scorer(for: loaded), input: fixture.scoringInput, tag: "rt1-\(recipe.name)")
        let scoredSecond = try score(plugin.scorer(for: try ModelBundle.load(from: second.path, expectingPlugin: plugin.id)),
                                     input: fixture.scoringInput, tag: "rt2-\(recipe.name)")
        try expect(scoredFirst.output == scoredSecond.output, name, "the two bundles score the input differently")
        try expect(scoredFirst.summary.rowsScored > 0, name, "the scorer scored no row of the fixture input")
    }

    /// `evaluate --model DIR --data FILE` loads the file as evaluation data only: no training split is made.
    func checkEvaluationOnly(_ recipe: Recipe) throws {
        let name = "evaluation-only data is evaluated whole [\(recipe.name)]"
        let (model, data) = try train(recipe, seed: fixture.seed)
        var request = fixture.trainingData
        request.isEvaluationOnly = true
        let whole = try plugin.load(request)
        try expect(whole.trainingCount == 0, name, "evaluation-only data still has \(whole.trainingCount) training rows")
        try expect(whole.evaluationCount >= data.evaluationCount && whole.evaluationCount > 0, name,
                   "evaluation-only data has \(whole.evaluationCount) evaluation rows, fewer than the split's \(data.evaluationCount)")
        let report = try plugin.evaluate(model, on: whole, context: RunContext(seed: fixture.seed))
        try expect(report.primaryValue?.isFinite == true, name, "primary metric on evaluation-only data is \(String(describing: report.primaryValue))")
    }

    func checkDeterminism(_ recipe: Recipe) throws {
        let name = "same seed gives identical weight files [\(recipe.name)]"
        var paths: [String] = []
        for attempt in 1...2 {
            let (model, data) = try train(recipe, seed: fixture.seed)
            let bundle = try ModelBundle.save(model, plugin: plugin, trainingData: data, metrics: nil, seed: fixture.seed,
                                              to: path("determinism-\(recipe.name)-\(attempt)"))
            paths.append(bundle.path)
        }
        try expectSameFiles(paths[0], paths[1], name, what: "two trainings with seed \(fixture.seed) differ")
    }

    func checkRowOrder(_ recipe: Recipe) throws {
        let name = "scorer keeps row order and counts rows"
        let scorer = try bundledScorer(recipe)
        let (header, rows) = splitInput(fixture.scoringInput)
        try expect(rows.count >= 2, name, "the fixture's scoring input needs at least two rows")
        let forward = try score(scorer, input: fixture.scoringInput, tag: "forward")
        try expectBalanced(forward.summary, rows: rows.count, name)
        try expect(forward.summary.rowsRejected == 0, name, "valid fixture rows were rejected: \(forward.rejects)")
        let forwardRows = try dataLines(forward, name)
        try expect(forwardRows.count == rows.count, name, "\(rows.count) rows in, \(forwardRows.count) scored rows out")

        let reversedInput = (header.map { [$0] } ?? []) + rows.reversed()
        let backward = try score(scorer, input: reversedInput.joined(separator: "\n") + "\n", tag: "backward")
        try expectBalanced(backward.summary, rows: rows.count, name)
        let backwardRows = try dataLines(backward, name)
        try expect(backwardRows == forwardRows.reversed(), name,
                   "scoring the rows in reverse order did not give the scores in reverse order: \(forwardRows) vs \(backwardRows)")
    }

    func checkBadRow(_ recipe: Recipe) throws {
        let name = "scorer rejects a bad row with a reason"
        let scorer = try bundledScorer(recipe)
        let (header, rows) = splitInput(fixture.scoringInput)
        try expect(!rows.isEmpty, name, "the fixture's scoring input has no rows")
        var lines = header.map { [$0] } ?? []
        lines.append(rows[0])
        lines.append(fixture.invalidRow)
        lines.append(contentsOf: rows.dropFirst())
        let badLineNumber = (header == nil ? 0 : 1) + 2
        let result = try score(scorer, input: lines.joined(separator: "\n") + "\n", tag: "bad-row")
        try expectBalanced(result.summary, rows: rows.count + 1, name)
        try expect(result.summary.rowsRejected == 1, name, "expected 1 rejected row, got \(result.summary.rowsRejected)")
        try expect(result.summary.rowsScored == rows.count, name, "expected \(rows.count) scored rows, got \(result.summary.rowsScored)")
        let rejectLines = result.rejects.split(separator: "\n").map(String.init)
        let reasonLine = rejectLines.first(where: { $0.range(of: "\\b\(badLineNumber)\\b", options: .regularExpression) != nil })
        try expect(reasonLine != nil, name, "the rejects output does not name line \(badLineNumber): \(result.rejects)")
        try expect(reasonLine!.count > "\(badLineNumber)".count + 3, name, "the reject for line \(badLineNumber) gives no reason: \(reasonLine!)")
        let clean = try score(scorer, input: fixture.scoringInput, tag: "clean")
        try expect(try dataLines(result, name) == dataLines(clean, name), name,
                   "the valid rows around a bad row were scored differently or out of order")
    }

    /// With `supportsSharding`, shard i of N must read exactly the rows k with k mod N = i, in order: interleaving
    /// the shards' outputs by that rule gives the unsharded output row for row.
    func checkShards(_ recipe: Recipe) throws {
        let name = "a sharding scorer's shards add up to the whole output"
        let scorer = try bundledScorer(recipe)
        guard scorer.supportsSharding else { return }
        let (_, rows) = splitInput(fixture.scoringInput)
        let whole = try dataLines(try score(scorer, input: fixture.scoringInput, tag: "unsharded"), name)
        let count = min(3, rows.count)
        var shards: [[String]] = []
        for index in 0..<count {
            let scored = try score(scorer, input: fixture.scoringInput, tag: "shard-\(index)",
                                   shard: RowShard(index: index, count: count)!)
            let expected = (0..<rows.count).filter { $0 % count == index }.count
            try expectBalanced(scored.summary, rows: expected, name)
            shards.append(try dataLines(scored, name))
        }
        let interleaved = (0..<whole.count).compactMap { k in
            k / count < shards[k % count].count ? shards[k % count][k / count] : nil
        }
        try expect(interleaved == whole && shards.map(\.count).reduce(0, +) == whole.count, name,
                   "the \(count) shards' rows, interleaved (row k from shard k mod \(count)), are not the unsharded output: \(shards) vs \(whole)")
    }

    // MARK: Helpers

    struct Skip: Error { var reason: String }

    struct Scored {
        var output: String
        var rejects: String
        var summary: ScoringSummary
    }

    func path(_ component: String) -> String { workspace.appendingPathComponent(component).path }

    func train(_ recipe: Recipe, seed: UInt64) throws -> (any TrainedModel, any DomainDataset) {
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: recipe.name,
                                                            overrides: fixture.overrides[recipe.name] ?? [])
        let data = try plugin.load(fixture.trainingData)
        let model = try plugin.train(configuration, on: data, context: RunContext(seed: seed))
        return (model, data)
    }

    func bundledScorer(_ recipe: Recipe) throws -> any BatchScorer {
        let target = path("scoring-\(recipe.name)")
        if !FileManager.default.fileExists(atPath: target) {
            let (model, data) = try train(recipe, seed: fixture.seed)
            try ModelBundle.save(model, plugin: plugin, trainingData: data, metrics: nil, seed: fixture.seed, to: target)
        }
        return try plugin.scorer(for: ModelBundle.load(from: target, expectingPlugin: plugin.id))
    }

    func score(_ scorer: any BatchScorer, input: String, tag: String, shard: RowShard = .whole) throws -> Scored {
        let outputPath = path("scored-\(tag).out"), rejectsPath = path("scored-\(tag).rejects")
        let output = try OutputSink.file(atomicallyAt: outputPath)
        let rejects = try OutputSink.file(atomicallyAt: rejectsPath)
        let summary = try scorer.score(MemoryByteSource(input, name: "fixture"), into: output, rejects: rejects,
                                       options: ScoringOptions(format: fixture.format, values: fixture.scoringOptions,
                                                              shard: shard))
        try output.commit()
        try rejects.commit()
        defer {
            try? FileManager.default.removeItem(atPath: outputPath)
            try? FileManager.default.removeItem(atPath: rejectsPath)
        }
        return Scored(output: try String(contentsOfFile: outputPath, encoding: .utf8),
                      rejects: try String(contentsOfFile: rejectsPath, encoding: .utf8), summary: summary)
    }

    func splitInput(_ text: String) -> (header: String?, rows: [String]) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        let header = fixture.hasHeader && !lines.isEmpty ? lines.removeFirst() : nil
        return (header, lines)
    }

    /// The scored rows of an output, without its header line if it has one.
    func dataLines(_ scored: Scored, _ name: String) throws -> [String] {
        let lines = scored.output.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        if lines.count == scored.summary.rowsScored { return lines }
        try expect(lines.count == scored.summary.rowsScored + 1, name,
                   "\(scored.summary.rowsScored) rows scored but the output has \(lines.count) lines")
        return Array(lines.dropFirst())
    }

    func expectBalanced(_ summary: ScoringSummary, rows: Int, _ name: String) throws {
        try expect(summary.isBalanced, name, "rows read \(summary.rowsRead) != scored \(summary.rowsScored) + rejected \(summary.rowsRejected)")
        try expect(summary.rowsRead == rows, name, "\(rows) rows given, the scorer read \(summary.rowsRead)")
    }

    func expectSameFiles(_ first: String, _ second: String, _ name: String, what: String) throws {
        let a = try ModelBundle.load(from: first), b = try ModelBundle.load(from: second)
        let filesA = a.manifest.files, filesB = b.manifest.files
        try expect(filesA.map(\.name) == filesB.map(\.name), name, "\(what): files \(filesA.map(\.name)) vs \(filesB.map(\.name))")
        for (x, y) in zip(filesA, filesB) where x.sha256 != y.sha256 {
            throw ConformanceFailure(check: name, message: "\(what): \(x.name) is not byte-identical")
        }
    }

    func isHexDigest(_ text: String) -> Bool {
        text.count == 64 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }

    func expect(_ condition: Bool, _ name: String, _ message: @autoclosure () -> String) throws {
        if !condition { throw ConformanceFailure(check: name, message: message()) }
    }
}
