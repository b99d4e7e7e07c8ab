import Foundation
import SolutionKit

extension RunFolder {
    /// `report.html`: the whole run on one self-contained page, in the order a reader asks: what ran, how well,
    /// the pictures, the settings, the data, then the plugin's detail tables.
    /// `bundleLocation` says where the run's own bundle is, seen from the page.
    func htmlReport(bundleLocation: String = "bundle/ (in this folder)") -> HTMLReport {
        let recipe = plugin.recipes.first(where: { $0.name == configuration.recipe })
        let qualifier = [RunKind.evaluate: " (evaluation)", .tune: " (tuned by cross-validation)"][kind] ?? ""
        var page = HTMLReport(title: "\(plugin.id): \(configuration.recipe) on \(dataset.name)\(qualifier)")
        page.addHeading("Summary")
        var summary: [(key: String, value: String)] = [
            ("plugin", "\(plugin.id) \(plugin.version)"),
            ("command", kind.rawValue),
            ("dataset", "\(dataset.name) (\(dataset.source))"),
            ("rows", "\(dataset.trainingCount) training, \(dataset.evaluationCount) evaluation"),
            ("data fingerprint", dataset.fingerprint),
            ("recipe", configuration.recipe),
            ("seed", "\(seed)"),
            ("threads", "\(threads)"),
            ("created", ISO8601DateFormatter().string(from: createdAt)),
            ("timings", String(format: "load %.2f s, training %.2f s, evaluation %.2f s (total %.2f s)",
                               timings.loadSeconds, timings.trainingSeconds, timings.evaluationSeconds, timings.totalSeconds)),
            ("kit version", SolutionKitInfo.version),
        ]
        summary.append(("model bundle", evaluatedBundle ?? bundleLocation))
        page.addKeyValues(summary)

        page.addHeading("Metrics")
        let directions = Dictionary(plugin.metrics.map { ($0.name, $0.higherIsBetter) }, uniquingKeysWith: { a, _ in a })
        page.addTable(headers: ["metric", "value", "better"], rows: report.values.map { value in
            [value.name == report.primary ? "\(value.name) (primary)" : value.name, formatMetric(value.value),
             directions[value.name].map { $0 ? "higher" : "lower" } ?? ""]
        }, alignRight: [1], emphasizedRows: Set(report.values.indices.filter { report.values[$0].name == report.primary }))
        if let note = report.nonFiniteNote { page.addParagraph("Note: \(note).") }

        if !report.charts.isEmpty {
            page.addHeading("Charts")
            page.addFigures(report.charts.map { ($0.name, $0.title, $0.svg) })
        }

        page.addHeading("Hyperparameters")
        let ordered = recipe.map { configuration.orderedValues(for: $0) }
            ?? configuration.values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let defaults = Dictionary((recipe?.hyperparameters ?? []).map { ($0.name, $0.defaultValue) }, uniquingKeysWith: { a, _ in a })
        let changed = Set(ordered.indices.filter { index in defaults[ordered[index].0].map { $0 != ordered[index].1 } ?? false })
        page.addTable(headers: ["hyperparameter", "value", "default"], rows: ordered.map { key, value in
            [key, value.description, defaults[key]?.description ?? ""]
        }, emphasizedRows: changed)
        if !changed.isEmpty { page.addParagraph("Values in bold differ from the recipe's defaults.") }

        if let history = model.history, !history.series.isEmpty {
            page.addHeading("Training history")
            page.addTable(headers: ["series", "iterations", "first", "last", "best (min)"], rows: history.series.filter { !$0.values.isEmpty }.map { s in
                [s.name, "\(s.values.count)", formatMetric(s.values.first!), formatMetric(s.values.last!),
                 formatMetric(s.values.filter(\.isFinite).min() ?? .nan)]
            }, alignRight: [1, 2, 3, 4])
            if let best = history.bestIteration { page.addParagraph("Weights kept from iteration \(best).") }
        }

        page.addHeading("Data")
        if !dataset.summary.isEmpty { page.addParagraph(dataset.summary) }
        Self.addProfile(dataset.profile, to: &page)

        for section in report.sections where section.title != "Data" {
            page.addHeading(section.title)
            page.addMarkdown(section.markdown)
        }
        return page
    }

    /// The data profile: facts, one row per column, and each labelled count.
    static func addProfile(_ profile: DataProfile, to page: inout HTMLReport) {
        if !profile.facts.isEmpty { page.addKeyValues(profile.facts.map { ($0.name, $0.value) }) }
        if !profile.columns.isEmpty {
            page.addHeading("Columns", level: 3)
            page.addTable(headers: ["column", "kind", "missing", "distinct", "min", "mean", "max", "commonest values"],
                          rows: profile.columns.map { column in
                              [column.name, column.kind.rawValue, String(format: "%.1f%%", 100 * column.missingShare),
                               "\(column.distinctCount)", column.minimum.map(formatMetric) ?? "", column.mean.map(formatMetric) ?? "",
                               column.maximum.map(formatMetric) ?? "",
                               column.commonest.map { "\($0.value) (\($0.count))" }.joined(separator: ", ")]
                          }, alignRight: [2, 3, 4, 5, 6])
        }
        for counts in profile.counts {
            page.addHeading(counts.title, level: 3)
            let total = max(1, counts.counts.reduce(0) { $0 + $1.count })
            page.addTable(headers: ["value", "count", "share"], rows: counts.counts.map {
                [$0.value, "\($0.count)", String(format: "%.1f%%", 100 * Double($0.count) / Double(total))]
            }, alignRight: [1, 2])
        }
    }
}
