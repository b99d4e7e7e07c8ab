import ArgumentParser
import Foundation
import SolutionKit

/// `launcher runs compare A B`: two runs' metrics and differing hyperparameters side by side, and an HTML page
/// with their charts overlaid.
struct RunsCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare", abstract: "Compare two runs: metrics, hyperparameter differences, and their charts overlaid (HTML).",
        discussion: "A run is named by its id as `launcher runs` lists it (<plugin>/<folder>), its folder's path, or a unique part of its folder name.")

    @OptionGroup var runs: RunsFolderOptions

    @Argument(help: "The first run.")
    var first: String

    @Argument(help: "The second run.")
    var second: String

    @Option(help: "Where the HTML page goes (default: <runs folder>/comparisons/<A>--<B>.html).")
    var html: String?

    func run() throws {
        let environment = LauncherEnvironment.active
        let index = try runs.openIndex()
        let records = try index.records()
        let a = try Self.resolve(first, in: records, index: index), b = try Self.resolve(second, in: records, index: index)
        environment.standardOutput.write(RunComparison(a: a, b: b, root: runs.folder).text())
        let page = RunComparison(a: a, b: b, root: runs.folder).page()
        let path = html ?? ((runs.folder as NSString).appendingPathComponent("comparisons") as NSString)
            .appendingPathComponent("\(Self.fileStem(a.id))--\(Self.fileStem(b.id)).html")
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try page.write(toFile: path)
        environment.standardOutput.write("comparison page: \(path)\n")
    }

    /// A run by id, folder path, or a part of its id that names exactly one run.
    static func resolve(_ reference: String, in records: [RunRecord], index: RunIndex) throws -> RunRecord {
        if let exact = records.first(where: { $0.id == reference }) { return exact }
        if FileManager.default.fileExists(atPath: reference), let id = try? index.identifier(of: reference),
           let byPath = records.first(where: { $0.id == id }) {
            return byPath
        }
        let matches = records.filter { $0.id.contains(reference) }
        guard matches.count == 1 else {
            throw ValidationError(matches.isEmpty ? "no run matches \(reference); `launcher runs` lists them"
                                  : "\(reference) matches \(matches.count) runs (\(matches.prefix(5).map(\.id).joined(separator: ", "))); give more of the name")
        }
        return matches[0]
    }

    static func fileStem(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}

/// What two runs have in common and where they differ, as text for the terminal and as an HTML page.
struct RunComparison {
    let a: RunRecord
    let b: RunRecord
    let root: String

    var names: (String, String) { ("A", "B") }

    var metricRows: [[String]] {
        RunsListing.metricNames([a, b]).map { name in
            let x = a.metric(name)?.value, y = b.metric(name)?.value
            let higher = (a.metric(name) ?? b.metric(name))?.higherIsBetter ?? false
            var better = ""
            if let x, let y, x != y { better = (higher ? y > x : y < x) ? "B" : "A" }
            return [name + (name == a.primaryMetric ? " (primary)" : ""), x.map(formatMetric) ?? "–", y.map(formatMetric) ?? "–",
                    (x != nil && y != nil) ? formatMetric(y! - x!) : "", better]
        }
    }

    /// Hyperparameters whose values differ (or that only one run has).
    var hyperparameterDifferences: [[String]] {
        let x = Dictionary(a.hyperparameters.map { ($0.name, $0.value) }, uniquingKeysWith: { v, _ in v })
        let y = Dictionary(b.hyperparameters.map { ($0.name, $0.value) }, uniquingKeysWith: { v, _ in v })
        return Set(x.keys).union(y.keys).sorted().compactMap { key in
            x[key] == y[key] ? nil : [key, x[key] ?? "–", y[key] ?? "–"]
        }
    }

    var summaryRows: [[String]] {
        [["run", a.id, b.id], ["plugin", "\(a.plugin) \(a.pluginVersion)", "\(b.plugin) \(b.pluginVersion)"],
         ["dataset", a.dataset, b.dataset], ["fingerprint", String(a.fingerprint.prefix(16)), String(b.fingerprint.prefix(16))],
         ["recipe", a.recipe, b.recipe], ["seed", "\(a.seed)", "\(b.seed)"],
         ["seconds", String(format: "%.1f", a.durationSeconds), String(format: "%.1f", b.durationSeconds)],
         ["created", a.createdAt, b.createdAt]]
    }

    func text() -> String {
        var text = TextTable.render(header: ["", "A", "B"], rows: summaryRows) + "\n"
        if a.fingerprint != b.fingerprint { text += "note: the runs were trained on different data (fingerprints differ)\n\n" }
        text += TextTable.render(header: ["metric", "A", "B", "B − A", "better"], rows: metricRows) + "\n"
        let differences = hyperparameterDifferences
        if differences.isEmpty {
            text += "Hyperparameters: identical (\(a.hyperparameters.count)).\n"
        } else {
            text += TextTable.render(header: ["hyperparameter", "A", "B"], rows: differences)
            text += "(\(differences.count) differ, \(Set(a.hyperparameters.map(\.name)).union(b.hyperparameters.map(\.name)).count - differences.count) the same)\n"
        }
        return text
    }

    /// The page: summary, metrics, differing hyperparameters, then every chart of either run, overlaid where
    /// both runs kept the chart's numbers, side by side otherwise.
    func page() -> HTMLReport {
        var page = HTMLReport(title: "Compare \(a.id) (A) with \(b.id) (B)")
        page.addHeading("Runs")
        page.addTable(headers: ["", "A", "B"], rows: summaryRows)
        if a.fingerprint != b.fingerprint { page.addParagraph("The runs were trained on different data (fingerprints differ).") }
        page.addHeading("Metrics")
        page.addTable(headers: ["metric", "A", "B", "B − A", "better"], rows: metricRows, alignRight: [1, 2, 3])
        page.addHeading("Hyperparameter differences")
        let differences = hyperparameterDifferences
        if differences.isEmpty { page.addParagraph("None: both runs used the same \(a.hyperparameters.count) values.") }
        else { page.addTable(headers: ["hyperparameter", "A", "B"], rows: differences) }
        page.addHeading("Charts")
        let chartsA = charts(of: a), chartsB = charts(of: b)
        var figures: [(name: String, title: String, svg: String)] = []
        // The recorded training curves (history.json) of both runs on one chart, whatever the plugin drew.
        if let x = history(of: a), let y = history(of: b),
           let overlaid = x.overlaid(with: y, names: names), !chartsA.contains(where: { $0.name == "training-curve" && $0.data != nil }) {
            figures.append(("training-history", "Training history: A and B overlaid", overlaid.chart.svg()))
        }
        var names = chartsA.map(\.name)
        for chart in chartsB where !names.contains(chart.name) { names.append(chart.name) }
        for name in names {
            let x = chartsA.first(where: { $0.name == name }), y = chartsB.first(where: { $0.name == name })
            if let dx = x?.data, let dy = y?.data, let overlaid = dx.overlaid(with: dy, names: self.names) {
                figures.append((name, "\(name): A and B overlaid", overlaid.chart.svg()))
                continue
            }
            if let x { figures.append((name, "\(name): A", x.svg)) }
            if let y { figures.append((name, "\(name): B", y.svg)) }
        }
        if figures.isEmpty { page.addParagraph("Neither run drew charts.") } else { page.addFigures(figures) }
        return page
    }

    /// The curves of a run's `history.json` as a line chart, nil when the run recorded none.
    func history(of record: RunRecord) -> ChartData? {
        let path = (record.folder(under: root) as NSString).appendingPathComponent("history.json")
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let curves = try? decoder.decode(TrainingCurves.self, from: data), !curves.series.isEmpty else { return nil }
        return .line(LineChart(title: "Training history", xLabel: "iteration", yLabel: "value",
                               series: curves.series.map { ChartSeries(name: $0.name, y: $0.values) }))
    }

    /// A run's charts as its folder holds them: `charts/<name>.svg`, with `<name>.json` when the numbers were kept.
    func charts(of record: RunRecord) -> [(name: String, svg: String, data: ChartData?)] {
        let folder = (record.folder(under: root) as NSString).appendingPathComponent("charts")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".svg") }.sorted()
        return files.compactMap { file in
            let path = (folder as NSString).appendingPathComponent(file)
            guard let svg = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            let name = String(file.dropLast(4))
            let data = FileManager.default.contents(atPath: (folder as NSString).appendingPathComponent(name + ".json"))
                .flatMap { try? ChartData(decoding: $0) }
            return (name, svg, data)
        }
    }
}
