/// A dataset a plugin offers by name, as `describe` shows it.
public struct DatasetDescriptor: Codable, Equatable, Sendable {
    /// The name given to `--dataset`.
    public var name: String
    public var summary: String
    /// Where it is found, for people: "samples/price-prediction/housing-sample.csv",
    /// "shared datasets folder california-housing", ...
    public var location: String
    /// Formats `--data` accepts for this kind of data, e.g. ["CSV with a header row"].
    public var formats: [String]

    public init(name: String, summary: String, location: String, formats: [String] = []) {
        self.name = name
        self.summary = summary
        self.location = location
        self.formats = formats
    }
}

/// What to load: a named dataset or a file, plus string options the plugin understands.
public struct DataRequest: Equatable, Sendable {
    public enum Source: Equatable, Sendable {
        /// A dataset declared in `DomainPlugin.datasets`.
        case dataset(String)
        /// A file given with `--data`.
        case file(String)
    }

    public var source: Source
    /// Plugin-specific options such as "target" or "positive".
    public var options: [String: String]
    /// True when the whole input is evaluation data (`evaluate --model`): no training split is made.
    public var isEvaluationOnly: Bool
    /// A separately labelled evaluation file (`--test`), with a `.file` source: the data file is then all training
    /// rows and this file all test rows.
    public var testFile: String?
    /// The seed of a random split (the run's `--seed`).
    public var seed: UInt64
    /// The column kinds of the model the data is evaluated with (`evaluate --model`), applied to the columns a
    /// file has so it is read as the model was trained; `types=` still wins.
    public var modelColumnKinds: [String: ColumnKind] = [:]

    public init(_ source: Source, options: [String: String] = [:], isEvaluationOnly: Bool = false,
                testFile: String? = nil, seed: UInt64 = 42) {
        self.source = source
        self.options = options
        self.isEvaluationOnly = isEvaluationOnly
        self.testFile = testFile
        self.seed = seed
    }

    public static func dataset(_ name: String, options: [String: String] = [:]) -> DataRequest {
        DataRequest(.dataset(name), options: options)
    }

    public static func file(_ path: String, options: [String: String] = [:], isEvaluationOnly: Bool = false,
                            testFile: String? = nil) -> DataRequest {
        DataRequest(.file(path), options: options, isEvaluationOnly: isEvaluationOnly, testFile: testFile)
    }

    /// The `--test` file when it applies: a `.file` source that is not evaluation-only.
    public var separateTestFile: String? {
        guard case .file = source, !isEvaluationOnly else { return nil }
        return testFile
    }

    /// The target column, when given (`--target`).
    public var target: String? { options["target"] }

    /// A name for messages: the dataset name or the path.
    public var displayName: String {
        switch source {
        case .dataset(let name): return "dataset \(name)"
        case .file(let path): return path
        }
    }
}

/// Thrown by a loader when a request cannot be satisfied as asked (unknown dataset name, missing option).
public struct DataRequestError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }

    /// An unknown dataset name, listing the ones the plugin declares.
    public static func unknownDataset(_ name: String, plugin: String, known: [String]) -> DataRequestError {
        DataRequestError("plugin \(plugin) has no dataset named \"\(name)\"; known datasets: \(known.joined(separator: ", "))")
    }

    public var description: String { message }
}
