import Foundation
import SolutionKit

/// Writes what `run` produces into `runs/<plugin>/<timestamp>-<recipe>/`: `bundle/`, `metrics.json`,
/// `report.md`, `report.html`, `charts/*.svg` (and `charts/*.json` for overlayable charts), `tables/*.json`,
/// `hyperparameters.json`, `data-profile.json` and `history.json`. `evaluate` writes the same folder, named
/// `<timestamp>-<recipe>-evaluate`, without a bundle of its own: its metrics.json names the bundle it measured.
///
/// Everything is written into a hidden temporary folder that is renamed into place at the end, so an
/// interrupted run leaves no half-written folder.
struct RunFolder {
    let plugin: any DomainPlugin
    let dataset: any DomainDataset
    let configuration: RecipeConfiguration
    let model: any TrainedModel
    let report: MetricReport
    let seed: UInt64
    let threads: Int
    let createdAt: Date
    /// Wall-clock seconds of each stage, recorded so a run says what it cost.
    let timings: RunTimings
    /// What made the folder.
    var kind: RunKind = .run
    /// For `evaluate`: the bundle that was measured (the folder then holds no bundle of its own).
    var evaluatedBundle: String? = nil
    /// Extra files (relative path → bytes), e.g. `selection/leaderboard.csv` of `--recipe auto`.
    var attachments: [(path: String, data: Data)] = []

    /// Writes the folder at exactly `target` (which must not exist), through a hidden temporary sibling.
    func write(at target: URL) throws {
        let fileManager = FileManager.default
        let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).partial-\(getpid())")
        try? fileManager.removeItem(at: temporary)
        do {
            try TemporaryFiles.removingFolderOnFatalSignals(temporary.path) {
                try fileManager.createDirectory(at: temporary, withIntermediateDirectories: true)
                try writeContents(into: temporary)
                guard rename(temporary.path, target.path) == 0 else {
                    throw IOError(path: target.path, reason: "could not move the finished run folder into place: \(String(cString: strerror(errno)))")
                }
            }
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw error
        }
    }

    /// Writes the folder under `root` and returns its path.
    func write(under root: String) throws -> String {
        let fileManager = FileManager.default
        let pluginFolder = URL(fileURLWithPath: root).appendingPathComponent(plugin.id)
        try fileManager.createDirectory(at: pluginFolder, withIntermediateDirectories: true)
        let stem = "\(FolderTimestamp.stem(createdAt))-\(configuration.recipe)" + (kind == .run ? "" : "-\(kind.rawValue)")
        var suffix = 1
        func nextFreeTarget() -> URL {
            while true {
                let candidate = pluginFolder.appendingPathComponent(suffix == 1 ? stem : "\(stem)-\(suffix)")
                suffix += 1
                if !fileManager.fileExists(atPath: candidate.path) { return candidate }
            }
        }
        var target = nextFreeTarget()
        let temporary = pluginFolder.appendingPathComponent(".\(stem).partial-\(getpid())")
        try? fileManager.removeItem(at: temporary)
        do {
            try TemporaryFiles.removingFolderOnFatalSignals(temporary.path) {
                try fileManager.createDirectory(at: temporary, withIntermediateDirectories: false)
                try writeContents(into: temporary)
                // Another process finishing in the same second may take the name between the check and the
                // rename; renaming onto its (non-empty) folder fails, and the next suffix is tried.
                while rename(temporary.path, target.path) != 0 {
                    guard errno == ENOTEMPTY || errno == EEXIST, suffix < 10_000 else {
                        throw IOError(path: target.path, reason: "could not move the finished run folder into place: \(String(cString: strerror(errno)))")
                    }
                    target = nextFreeTarget()
                }
            }
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw error
        }
        return target.path
    }

    private func writeContents(into folder: URL) throws {
        let encoder = JSONValue.encoder()
        if evaluatedBundle == nil {
            try ModelBundle.save(model, plugin: plugin, trainingData: dataset, metrics: report, seed: seed,
                                 createdAt: createdAt, to: folder.appendingPathComponent("bundle").path)
        }
        try encoder.encode(metricsFile).write(to: folder.appendingPathComponent("metrics.json"))
        try encoder.encode(dataset.profile).write(to: folder.appendingPathComponent("data-profile.json"))
        try encoder.encode(configuration).write(to: folder.appendingPathComponent("hyperparameters.json"))
        if let history = model.history {
            try encoder.encode(history).write(to: folder.appendingPathComponent("history.json"))
        }
        if !report.charts.isEmpty {
            let charts = folder.appendingPathComponent("charts")
            try FileManager.default.createDirectory(at: charts, withIntermediateDirectories: false)
            for chart in report.charts {
                try Data(chart.svg.utf8).write(to: charts.appendingPathComponent(try fileName(chart.name, ext: "svg")))
                if let data = chart.data {
                    try data.encoded().write(to: charts.appendingPathComponent(try fileName(chart.name, ext: "json")))
                }
            }
        }
        if !report.tables.isEmpty {
            let tables = folder.appendingPathComponent("tables")
            try FileManager.default.createDirectory(at: tables, withIntermediateDirectories: false)
            for table in report.tables {
                try encoder.encode(table.content).write(to: tables.appendingPathComponent(try fileName(table.name, ext: "json")))
            }
        }
        for attachment in attachments {
            let url = folder.appendingPathComponent(attachment.path)
            guard url.standardizedFileURL.path.hasPrefix(folder.standardizedFileURL.path + "/"),
                  !attachment.path.contains("..") else {
                throw InternalError("attachment path \(attachment.path) leaves the run folder")
            }
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try attachment.data.write(to: url)
        }
        try Data(markdown().utf8).write(to: folder.appendingPathComponent("report.md"))
        try Data(htmlReport().html.utf8).write(to: folder.appendingPathComponent("report.html"))
    }

    var metricsFile: MetricsFile {
        let higher = Set(plugin.metrics.filter(\.higherIsBetter).map(\.name))
        return MetricsFile(plugin: plugin.id, dataset: dataset.name, recipe: configuration.recipe,
                           primary: report.primary, metrics: report.values, seed: seed, threads: threads, timings: timings,
                           kind: kind, pluginVersion: plugin.version, fingerprint: dataset.fingerprint,
                           kitVersion: SolutionKitInfo.version, createdAt: ISO8601DateFormatter().string(from: createdAt),
                           bundle: evaluatedBundle ?? "bundle",
                           higherIsBetter: report.values.map(\.name).filter(higher.contains))
    }

    /// Chart and table names become file names: refuse anything that could escape the folder.
    private func fileName(_ name: String, ext: String) throws -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        guard !name.isEmpty, !name.hasPrefix("."), name.allSatisfy(allowed.contains) else {
            throw InternalError("plugin \(plugin.id) named a chart or table \"\(name)\"; use letters, digits, - and _ only")
        }
        return "\(name).\(ext)"
    }

    func markdown() -> String {
        let recipe = plugin.recipes.first(where: { $0.name == configuration.recipe })
        let isoFormatter = ISO8601DateFormatter()
        var md = "# \(plugin.id): \(configuration.recipe) on \(dataset.name)\n\n"
        md += "- plugin: \(plugin.id) \(plugin.version)\n"
        md += "- dataset: \(dataset.name) (\(dataset.source)), \(dataset.trainingCount) training rows, \(dataset.evaluationCount) evaluation rows\n"
        if !dataset.summary.isEmpty { md += "- data: \(dataset.summary)\n" }
        md += "- training-data fingerprint: `\(dataset.fingerprint)`\n"
        md += "- seed: \(seed), threads: \(threads), created: \(isoFormatter.string(from: createdAt))\n\n"
        md += "## Metrics\n\n| metric | value |\n|---|---|\n"
        for value in report.values {
            let name = value.name == report.primary ? "**\(value.name)** (primary)" : value.name
            md += "| \(name) | \(formatMetric(value.value)) |\n"
        }
        if let note = report.nonFiniteNote { md += "\nNote: \(note).\n" }
        md += "\n## Hyperparameters\n\n| hyperparameter | value |\n|---|---|\n"
        let ordered = recipe.map { configuration.orderedValues(for: $0) }
            ?? configuration.values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        for (key, value) in ordered { md += "| \(key) | \(value) |\n" }
        if let history = model.history, !history.series.isEmpty {
            md += "\n## Training history\n\n| series | iterations | first | last | best |\n|---|---|---|---|---|\n"
            for series in history.series where !series.values.isEmpty {
                md += "| \(series.name) | \(series.values.count) | \(formatMetric(series.values.first!)) | "
                    + "\(formatMetric(series.values.last!)) | \(formatMetric(series.values.min()!)) (min) |\n"
            }
            if let best = history.bestIteration { md += "\nWeights kept from iteration \(best).\n" }
        }
        for section in report.sections {
            md += "\n## \(section.title)\n\n\(section.markdown)\n"
        }
        if !report.charts.isEmpty {
            md += "\n## Charts\n"
            for chart in report.charts { md += "\n### \(chart.title)\n\n![\(chart.title)](charts/\(chart.name).svg)\n" }
        }
        return md
    }
}

/// `metrics.json`: metric values in the plugin's order with the primary one named, and what the run index
/// records of the run. The fields after `timings` were added with the index; folders written before lack them.
struct MetricsFile: Codable {
    var plugin: String
    var dataset: String
    var recipe: String
    var primary: String
    var metrics: [MetricReport.Value]
    var seed: UInt64
    var threads: Int
    var timings: RunTimings
    var kind: RunKind?
    var pluginVersion: String?
    var fingerprint: String?
    var kitVersion: String?
    /// ISO 8601, UTC.
    var createdAt: String?
    /// The model bundle: relative to the folder ("bundle") for runs, the measured bundle's path for evaluations.
    var bundle: String?
    /// The metrics (of `metrics`) for which a larger value is better.
    var higherIsBetter: [String]?

    enum CodingKeys: String, CodingKey {
        case plugin, dataset, recipe, primary, metrics, seed, threads, timings
        case kind, pluginVersion, fingerprint, kitVersion, createdAt, bundle, higherIsBetter
    }
}

/// What made a run folder.
enum RunKind: String, Codable, CaseIterable, Sendable {
    case run
    case evaluate
    case tune
}

/// Wall-clock seconds spent loading, training and evaluating in a run.
struct RunTimings: Codable {
    var loadSeconds: Double
    var trainingSeconds: Double
    var evaluationSeconds: Double

    var totalSeconds: Double { loadSeconds + trainingSeconds + evaluationSeconds }
}

/// The closing table of `run` and `evaluate`.
func metricsTable(_ report: MetricReport) -> String {
    TextTable.render(header: ["metric", "value"], rows: report.values.map {
        [$0.name == report.primary ? "\($0.name) *" : $0.name, formatMetric($0.value)]
    }) + "(* primary)\n" + (report.nonFiniteNote.map { "note: \($0)\n" } ?? "")
}
