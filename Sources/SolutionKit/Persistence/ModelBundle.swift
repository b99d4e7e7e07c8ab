import Foundation

/// A verified model bundle: a directory with `manifest.json`, optional `weights.bin` + `weights.json`, and
/// JSON files. Loading checks the format, the plugin and every checksum before anything is returned; it only
/// reads data (floats and JSON), never code.
public struct ModelBundle: Sendable {
    public let path: String
    public let manifest: BundleManifest
    /// Weight arrays by name.
    public let arrays: [String: NamedArray]
    /// Plugin JSON files by name.
    public let jsonFiles: [String: Data]

    // MARK: Reading

    /// Loads and verifies a bundle; with `plugin`, also refuses a bundle written by another plugin.
    public static func load(from path: String, expectingPlugin plugin: String? = nil) throws -> ModelBundle {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw BundleError.notABundle(path: path, reason: "no such folder")
        }
        guard isDirectory.boolValue else { throw BundleError.notABundle(path: path, reason: "a file, expected a folder") }
        guard let manifestData = try BundleFileReader.read(bundle: path, name: "manifest.json", limit: manifestByteLimit) else {
            throw BundleError.notABundle(path: path, reason: "no manifest.json")
        }
        let header: BundleManifest.Header
        do {
            header = try JSONDecoder().decode(BundleManifest.Header.self, from: manifestData)
        } catch {
            throw BundleError.malformed(path: path, file: "manifest.json", reason: "not a JSON object: \(error)")
        }
        guard header.format == BundleManifest.formatName else {
            throw BundleError.wrongFormat(path: path, found: header.format ?? "(missing)")
        }
        guard let version = header.formatVersion else {
            throw BundleError.malformed(path: path, file: "manifest.json", reason: "format_version is missing")
        }
        guard version <= BundleManifest.currentFormatVersion else {
            throw BundleError.newerFormat(path: path, found: version, supported: BundleManifest.currentFormatVersion)
        }
        let manifest: BundleManifest
        do {
            manifest = try JSONDecoder().decode(BundleManifest.self, from: manifestData)
        } catch {
            throw BundleError.malformed(path: path, file: "manifest.json", reason: "\(describe(error))")
        }
        if let plugin, manifest.plugin.id != plugin {
            throw BundleError.wrongPlugin(path: path, found: manifest.plugin.id, expected: plugin)
        }

        var contents: [String: Data] = [:]
        let files = BundleCheck(bundle: path, file: "manifest.json").at("files")
        for (position, entry) in manifest.files.enumerated() {
            guard isPlainFileName(entry.name), entry.name != "manifest.json" else {
                throw files.at(position).at("name").failure("\"\(entry.name)\" is not a plain file name of the bundle")
            }
            guard contents[entry.name] == nil else {
                throw files.at(position).at("name").failure("\"\(entry.name)\" is listed twice")
            }
            guard let data = try BundleFileReader.read(bundle: path, name: entry.name, expectedBytes: entry.bytes) else {
                throw BundleError.missingFile(path: path, file: entry.name)
            }
            guard SHA256.hash(data).hexString == entry.sha256.lowercased() else {
                throw BundleError.checksumMismatch(path: path, file: entry.name)
            }
            contents[entry.name] = data
        }

        var arrays: [String: NamedArray] = [:]
        switch (contents[WeightFile.dataName], contents[WeightFile.indexName]) {
        case let (data?, index?):
            arrays = try WeightFile.decode(data: data, index: index, bundlePath: path)
        case (nil, nil):
            break
        case (_?, nil):
            throw BundleError.missingFile(path: path, file: WeightFile.indexName)
        case (nil, _?):
            throw BundleError.missingFile(path: path, file: WeightFile.dataName)
        }
        contents[WeightFile.dataName] = nil
        contents[WeightFile.indexName] = nil
        return ModelBundle(path: path, manifest: manifest, arrays: arrays, jsonFiles: contents)
    }

    /// The weight array with this name, or an error listing the ones present.
    public func array(_ name: String) throws -> NamedArray {
        guard let array = arrays[name] else {
            throw BundleError.missingArray(path: path, name: name, available: arrays.keys.sorted())
        }
        return array
    }

    /// Decodes one of the bundle's JSON files.
    public func decodeJSONFile<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
        guard let data = jsonFiles[name] else {
            throw BundleError.missingJSONFile(path: path, name: name, available: jsonFiles.keys.sorted())
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            var reason = Self.describe(error)
            // JSONDecoder says only "not valid JSON" for a number it cannot hold (1e400); JSONSerialization names it.
            if case DecodingError.dataCorrupted(let context) = error, context.codingPath.isEmpty {
                do { _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) } catch let detail as NSError {
                    if let text = detail.userInfo[NSDebugDescriptionErrorKey] as? String { reason += " (\(text))" }
                }
            }
            throw BundleError.malformed(path: path, file: name, reason: reason)
        }
    }

    /// The recorded hyperparameters checked against the plugin's recipe.
    public func configuration(for plugin: any DomainPlugin) throws -> RecipeConfiguration {
        guard let recipe = plugin.recipes.first(where: { $0.name == manifest.recipe }) else {
            throw check("manifest.json").at("recipe").failure(
                "plugin \(plugin.id) has no recipe \"\(manifest.recipe)\"; it has \(plugin.recipes.map(\.name).joined(separator: ", "))")
        }
        return try RecipeConfiguration.validated(manifest.hyperparameters, for: recipe, source: "\(path)/manifest.json")
    }

    // MARK: Writing

    /// What the manifest records besides the model's own contents.
    public struct Provenance: Sendable {
        public var plugin: BundleManifest.PluginStamp
        public var trainingDataFingerprint: String
        public var metrics: [MetricReport.Value]
        public var seed: UInt64
        public var createdAt: Date

        public init(plugin: BundleManifest.PluginStamp, trainingDataFingerprint: String,
                    metrics: [MetricReport.Value] = [], seed: UInt64, createdAt: Date = Date()) {
            self.plugin = plugin
            self.trainingDataFingerprint = trainingDataFingerprint
            self.metrics = metrics
            self.seed = seed
            self.createdAt = createdAt
        }
    }

    /// Writes a bundle atomically: everything goes into a hidden temporary folder beside `path`, which is
    /// renamed into place at the end, so `path` either holds a whole bundle or does not exist.
    @discardableResult
    public static func write(_ contents: BundleContents, configuration: RecipeConfiguration,
                             provenance: Provenance, to path: String) throws -> ModelBundle {
        let target = URL(fileURLWithPath: path).standardized
        let fileManager = FileManager.default
        guard !fileManager.fileExists(atPath: target.path) else { throw BundleError.alreadyExists(path: path) }
        for name in contents.jsonFiles.keys {
            guard isPlainFileName(name), name != "manifest.json", name != WeightFile.dataName,
                  name != WeightFile.indexName else { throw BundleError.invalidFileName(name) }
        }

        var files: [(String, Data)] = []
        if !contents.arrays.isEmpty {
            let (data, index) = try WeightFile.encode(contents.arrays)
            files.append((WeightFile.dataName, data))
            files.append((WeightFile.indexName, index))
        }
        for name in contents.jsonFiles.keys.sorted() { files.append((name, contents.jsonFiles[name]!)) }

        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        let manifest = BundleManifest(
            format: BundleManifest.formatName, formatVersion: BundleManifest.currentFormatVersion,
            plugin: provenance.plugin, recipe: configuration.recipe, hyperparameters: configuration.values,
            inputSchema: contents.inputSchema, trainingDataFingerprint: provenance.trainingDataFingerprint,
            metrics: provenance.metrics, seed: provenance.seed, createdAt: formatter.string(from: provenance.createdAt),
            kitVersion: SolutionKitInfo.version,
            files: files.map { .init(name: $0.0, sha256: SHA256.hash($0.1).hexString, bytes: $0.1.count) },
            extra: contents.manifestFields)
        files.append(("manifest.json", try JSONValue.encoder().encode(manifest)))

        let parent = target.deletingLastPathComponent()
        try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        let temporary = parent.appendingPathComponent(".\(target.lastPathComponent).partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try TemporaryFiles.removingFolderOnFatalSignals(temporary.path) {
                try fileManager.createDirectory(at: temporary, withIntermediateDirectories: false)
                for (name, data) in files {
                    try data.write(to: temporary.appendingPathComponent(name))
                }
                guard rename(temporary.path, target.path) == 0 else {
                    throw IOError(path: path, reason: "could not move the finished bundle into place: \(String(cString: strerror(errno)))")
                }
            }
        } catch {
            try? fileManager.removeItem(at: temporary)
            throw error
        }
        return try load(from: target.path)
    }

    /// The manifest is small metadata; a larger one is refused before it is read.
    static let manifestByteLimit = 64 << 20

    static func isPlainFileName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("/") && !name.contains("\\") && name != "." && name != ".." && !name.hasPrefix(".")
    }

    private static func describe(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing field \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context),
             DecodingError.dataCorrupted(let context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            return "field \(field.isEmpty ? "(root)" : field): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }
}

extension ModelBundle {
    /// Saves a trained model for a plugin: the convenience `run` and the conformance suite use.
    @discardableResult
    public static func save(_ model: any TrainedModel, plugin: any DomainPlugin, trainingData: any DomainDataset,
                            metrics: MetricReport?, seed: UInt64, createdAt: Date = Date(),
                            to path: String) throws -> ModelBundle {
        try write(model.bundleContents(), configuration: model.configuration,
                  provenance: Provenance(plugin: .init(id: plugin.id, version: plugin.version),
                                         trainingDataFingerprint: trainingData.fingerprint,
                                         metrics: metrics?.values ?? [], seed: seed, createdAt: createdAt),
                  to: path)
    }
}
