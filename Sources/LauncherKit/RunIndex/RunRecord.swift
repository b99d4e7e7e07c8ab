import Foundation
import SolutionKit

/// What the run index holds of one run folder, read from the folder's own files (they stay the source of truth).
struct RunRecord: Equatable, Sendable {
    struct Metric: Equatable, Sendable {
        var name: String
        /// nil when the run recorded a non-finite value.
        var value: Double?
        var higherIsBetter: Bool
    }

    /// The folder's path relative to the runs folder: `<plugin>/<folder>`.
    var id: String
    var kind: RunKind
    var plugin: String
    var pluginVersion: String
    var dataset: String
    var fingerprint: String
    var recipe: String
    var seed: UInt64
    var threads: Int
    var durationSeconds: Double
    var kitVersion: String
    /// ISO 8601, UTC.
    var createdAt: String
    var primaryMetric: String
    /// The model bundle: relative to the runs folder for a run's own bundle, else as recorded (absolute).
    var bundle: String
    /// In the plugin's order.
    var metrics: [Metric]
    /// Name and value as text, sorted by name.
    var hyperparameters: [(name: String, value: String)]

    static func == (a: RunRecord, b: RunRecord) -> Bool {
        a.id == b.id && a.kind == b.kind && a.plugin == b.plugin && a.pluginVersion == b.pluginVersion
            && a.dataset == b.dataset && a.fingerprint == b.fingerprint && a.recipe == b.recipe && a.seed == b.seed
            && a.threads == b.threads && a.durationSeconds == b.durationSeconds && a.kitVersion == b.kitVersion
            && a.createdAt == b.createdAt && a.primaryMetric == b.primaryMetric && a.bundle == b.bundle
            && a.metrics == b.metrics && a.hyperparameters.map(\.name) == b.hyperparameters.map(\.name)
            && a.hyperparameters.map(\.value) == b.hyperparameters.map(\.value)
    }

    func metric(_ name: String) -> Metric? { metrics.first(where: { $0.name == name }) }

    var primaryValue: Double? { metric(primaryMetric)?.value }

    /// A run reference printed for people and scripts: the folder under the runs folder.
    func folder(under root: String) -> String { (root as NSString).appendingPathComponent(id) }

    /// The bundle path as the user's shell sees it.
    func bundlePath(under root: String) -> String {
        bundle.hasPrefix("/") ? bundle : (root as NSString).appendingPathComponent(bundle)
    }
}

extension RunRecord {
    /// Reads the record of the folder `root/id` from its `metrics.json` and `hyperparameters.json`, with
    /// `bundle/manifest.json` filling what folders written before the index did not record. `directions` gives
    /// a plugin's higher-is-better metrics when the folder does not say.
    static func read(root: String, id: String, directions: (String) -> Set<String>?) throws -> RunRecord {
        let folder = URL(fileURLWithPath: root).appendingPathComponent(id)
        let metricsURL = folder.appendingPathComponent("metrics.json")
        guard let metricsData = FileManager.default.contents(atPath: metricsURL.path) else {
            throw IOError(path: metricsURL.path, reason: "no metrics.json: not a run folder")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let file: MetricsFile
        do {
            file = try decoder.decode(MetricsFile.self, from: metricsData)
        } catch {
            throw IOError(path: metricsURL.path, reason: "unreadable metrics.json: \(error)")
        }
        var manifest: JSONValue?
        if let data = FileManager.default.contents(atPath: folder.appendingPathComponent("bundle/manifest.json").path) {
            manifest = try? JSONDecoder().decode(JSONValue.self, from: data)
        }
        var hyperparameters: [(name: String, value: String)] = []
        if let data = FileManager.default.contents(atPath: folder.appendingPathComponent("hyperparameters.json").path),
           let configuration = try? decoder.decode(RecipeConfiguration.self, from: data) {
            hyperparameters = configuration.values.sorted { $0.key < $1.key }.map { ($0.key, $0.value.description) }
        }
        let higher = file.higherIsBetter.map(Set.init) ?? directions(file.plugin) ?? []
        let kind = file.kind ?? .run
        var bundle = file.bundle ?? "bundle"
        if !bundle.hasPrefix("/") { bundle = (id as NSString).appendingPathComponent(bundle) }
        return RunRecord(
            id: id, kind: kind, plugin: file.plugin,
            pluginVersion: file.pluginVersion ?? manifest?["plugin"]?["version"]?.stringValue ?? "",
            dataset: file.dataset,
            fingerprint: file.fingerprint ?? manifest?["training_data_fingerprint"]?.stringValue ?? "",
            recipe: file.recipe, seed: file.seed, threads: file.threads,
            durationSeconds: file.timings.totalSeconds,
            kitVersion: file.kitVersion ?? manifest?["kit_version"]?.stringValue ?? "",
            createdAt: file.createdAt ?? manifest?["created_at"]?.stringValue ?? "",
            primaryMetric: file.primary, bundle: bundle,
            metrics: file.metrics.map { Metric(name: $0.name, value: $0.value.isFinite ? $0.value : nil,
                                               higherIsBetter: higher.contains($0.name)) },
            hyperparameters: hyperparameters)
    }
}

extension MetricsFile {
    /// Reads `metrics.json` as any kit version wrote it: the fields added with the run index may be absent, and a
    /// metric value may be a number, a "nan"/"inf" string or null (read as NaN).
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        plugin = try c.decode(String.self, forKey: .plugin)
        dataset = try c.decode(String.self, forKey: .dataset)
        recipe = try c.decode(String.self, forKey: .recipe)
        primary = try c.decode(String.self, forKey: .primary)
        metrics = try c.decode([LenientValue].self, forKey: .metrics).map { MetricReport.Value(name: $0.name, value: $0.value) }
        seed = try c.decode(UInt64.self, forKey: .seed)
        threads = try c.decode(Int.self, forKey: .threads)
        timings = try c.decode(RunTimings.self, forKey: .timings)
        kind = try c.decodeIfPresent(RunKind.self, forKey: .kind)
        pluginVersion = try c.decodeIfPresent(String.self, forKey: .pluginVersion)
        fingerprint = try c.decodeIfPresent(String.self, forKey: .fingerprint)
        kitVersion = try c.decodeIfPresent(String.self, forKey: .kitVersion)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        bundle = try c.decodeIfPresent(String.self, forKey: .bundle)
        higherIsBetter = try c.decodeIfPresent([String].self, forKey: .higherIsBetter)
    }

    private struct LenientValue: Decodable {
        var name: String
        var value: Double
        enum CodingKeys: String, CodingKey { case name, value }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            value = (try? c.decode(Double.self, forKey: .value)) ?? .nan
        }
    }
}
