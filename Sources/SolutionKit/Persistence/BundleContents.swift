import Foundation

/// A named float array of a model (a weight matrix, a bias, a scaler's means), row-major.
public struct NamedArray: Equatable, Sendable {
    public var name: String
    public var shape: [Int]
    public var values: [Float]

    /// Fails (a programming error) when the shape does not match the value count.
    public init(name: String, shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count,
                     "array \(name): shape \(shape) holds \(shape.reduce(1, *)) values, got \(values.count)")
        self.name = name
        self.shape = shape
        self.values = values
    }
}

/// What a trained model asks to have written into its bundle.
public struct BundleContents: Sendable {
    /// Weights, written as little-endian float32 into `weights.bin` with the index `weights.json`.
    public var arrays: [NamedArray]
    /// Extra JSON files (trees, vocabularies, preprocessing), by file name, e.g. "trees.json".
    public var jsonFiles: [String: Data]
    /// The columns or fields the model reads, recorded in the manifest and checked by scorers.
    public var inputSchema: JSONValue
    /// Plugin-specific manifest fields (target name, class labels, ...).
    public var manifestFields: [String: JSONValue]

    public init(arrays: [NamedArray] = [], jsonFiles: [String: Data] = [:], inputSchema: JSONValue = .null,
                manifestFields: [String: JSONValue] = [:]) {
        self.arrays = arrays
        self.jsonFiles = jsonFiles
        self.inputSchema = inputSchema
        self.manifestFields = manifestFields
    }

    /// Adds an Encodable value as a JSON file, encoded reproducibly (sorted keys).
    public mutating func addJSONFile<T: Encodable>(_ name: String, _ value: T) throws {
        jsonFiles[name] = try JSONValue.encoder().encode(value)
    }
}
