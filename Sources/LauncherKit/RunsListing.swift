import Foundation
import SolutionKit

/// The three forms of `launcher runs`: a table for people, JSON and CSV for scripts.
enum RunsListing {
    /// Metric columns: those of every listed run, in the order they first appear.
    static func metricNames(_ records: [RunRecord]) -> [String] {
        var names: [String] = [], seen = Set<String>()
        for record in records { for metric in record.metrics where seen.insert(metric.name).inserted { names.append(metric.name) } }
        return names
    }

    static func table(_ records: [RunRecord], sortMetric: String?) -> String {
        guard !records.isEmpty else { return "No runs.\n" }
        let plugins = Set(records.map(\.plugin))
        // One plugin: a column per metric. Several: the plugin and its primary metric.
        var header = ["run"]
        if plugins.count > 1 { header.append("plugin") }
        header += ["recipe", "dataset", "seed", "seconds"]
        let metrics = plugins.count == 1 ? metricNames(records) : (sortMetric.map { [$0] } ?? [])
        header += metrics.map { $0 == sortMetric ? "\($0) ↓" : $0 }
        if plugins.count > 1 { header.append("primary") }
        header.append("created")
        let rows = records.map { record -> [String] in
            var row = [record.id]
            if plugins.count > 1 { row.append(record.plugin) }
            row += [record.recipe + (record.kind == .run ? "" : " (\(record.kind.rawValue))"), record.dataset, "\(record.seed)",
                    String(format: "%.1f", record.durationSeconds)]
            row += metrics.map { name in record.metric(name).map { $0.value.map(formatMetric) ?? "nan" } ?? "" }
            if plugins.count > 1 { row.append("\(record.primaryMetric)=\(record.primaryValue.map(formatMetric) ?? "nan")") }
            row.append(record.createdAt)
            return row
        }
        return TextTable.render(header: header, rows: rows) + "\(records.count) run\(records.count == 1 ? "" : "s")\n"
    }

    static func json(_ records: [RunRecord], root: String) throws -> String {
        let array = JSONValue.array(records.map { record in
            .object([
                "id": .string(record.id), "folder": .string(record.folder(under: root)), "kind": .string(record.kind.rawValue),
                "plugin": .string(record.plugin), "plugin_version": .string(record.pluginVersion),
                "dataset": .string(record.dataset), "fingerprint": .string(record.fingerprint), "recipe": .string(record.recipe),
                "seed": .number(Double(record.seed)), "threads": .number(Double(record.threads)),
                "duration_seconds": .number(record.durationSeconds), "kit_version": .string(record.kitVersion),
                "created_at": .string(record.createdAt), "primary_metric": .string(record.primaryMetric),
                "bundle": .string(record.bundlePath(under: root)),
                "metrics": .object(Dictionary(record.metrics.map { ($0.name, $0.value.map(JSONValue.number) ?? .null) },
                                              uniquingKeysWith: { a, _ in a })),
                "hyperparameters": .object(Dictionary(record.hyperparameters.map { ($0.name, JSONValue.string($0.value)) },
                                                      uniquingKeysWith: { a, _ in a })),
            ])
        })
        return String(decoding: try JSONValue.encoder().encode(array), as: UTF8.self) + "\n"
    }

    static func csv(_ records: [RunRecord], root: String) -> String {
        let metrics = metricNames(records)
        var hyperparameters: [String] = [], seen = Set<String>()
        for record in records { for h in record.hyperparameters where seen.insert(h.name).inserted { hyperparameters.append(h.name) } }
        hyperparameters.sort()
        var lines = [(["id", "kind", "plugin", "plugin_version", "dataset", "fingerprint", "recipe", "seed", "threads",
                       "duration_seconds", "kit_version", "created_at", "primary_metric", "bundle"]
                      + metrics.map { "metric:\($0)" } + hyperparameters.map { "hp:\($0)" }).map(field).joined(separator: ",")]
        for record in records {
            let values = Dictionary(record.hyperparameters.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
            let cells = [record.id, record.kind.rawValue, record.plugin, record.pluginVersion, record.dataset, record.fingerprint,
                         record.recipe, "\(record.seed)", "\(record.threads)", "\(record.durationSeconds)", record.kitVersion,
                         record.createdAt, record.primaryMetric, record.bundlePath(under: root)]
                + metrics.map { name in record.metric(name).map { $0.value.map { "\($0)" } ?? "nan" } ?? "" }
                + hyperparameters.map { values[$0] ?? "" }
            lines.append(cells.map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
