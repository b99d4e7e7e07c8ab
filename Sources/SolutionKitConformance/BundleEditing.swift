import Foundation
import SolutionKit

/// Hand edits of a saved bundle, as a hostile user makes them: change one value of one JSON file (or one float of
/// `weights.bin`) and recompute the manifest's checksums so the edit passes the checksum test and reaches the
/// loader's own checks. Tests use it to reproduce a reported crash; `BundleEditFuzzer` to make thousands.
public enum BundleEditing {
    /// Marks a value to be written as raw JSON text (`9223372036854775807`, `1e400`), which `JSONValue` cannot hold.
    static let rawMarker = "\u{1}raw:"

    /// The value to write at a key path: a JSON value, or raw JSON text.
    public enum Replacement {
        case value(JSONValue)
        case raw(String)
        /// Removes the key or the array element.
        case remove
    }

    /// Sets the value at `keyPath` (object keys and array positions, e.g. `["layers", "0", "dense", "inputs"]`) of
    /// `file` in the bundle at `bundle`, then reseals the manifest.
    public static func edit(bundle: String, file: String, keyPath: [String], to replacement: Replacement) throws {
        let url = URL(fileURLWithPath: bundle).appendingPathComponent(file)
        let tree = try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: url))
        try write(replacing(tree, at: keyPath[...], with: replacement), to: url)
        if file != "manifest.json" { try reseal(bundle: bundle) }
    }

    /// Sets value `index` of the weight array `array` in `weights.bin` (found through `weights.json`) and reseals.
    public static func setWeight(bundle: String, array: String, index: Int, to value: Float) throws {
        let root = URL(fileURLWithPath: bundle)
        let weights = try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: root.appendingPathComponent("weights.json")))
        guard let entry = weights["arrays"]?.arrayValue?.first(where: { $0["name"]?.stringValue == array }),
              let offset = entry["offset"]?.numberValue else {
            throw BundleEditingError("\(bundle)/weights.json lists no array \(array)")
        }
        let url = root.appendingPathComponent("weights.bin")
        var bytes = [UInt8](try Data(contentsOf: url))
        let start = Int(offset) + 4 * index
        guard start >= 0, start + 4 <= bytes.count else { throw BundleEditingError("\(array)[\(index)] lies outside weights.bin") }
        withUnsafeBytes(of: value.bitPattern.littleEndian) { raw in for b in 0..<4 { bytes[start + b] = raw[b] } }
        try Data(bytes).write(to: url)
        try reseal(bundle: bundle)
    }

    /// Recomputes the size and sha256 of every file the manifest lists, from the files as they are now.
    public static func reseal(bundle: String) throws {
        let manifestURL = URL(fileURLWithPath: bundle).appendingPathComponent("manifest.json")
        guard case .object(var manifest) = try JSONDecoder().decode(JSONValue.self, from: try Data(contentsOf: manifestURL)),
              case .array(let files)? = manifest["files"] else {
            throw BundleEditingError("\(bundle)/manifest.json has no files list to reseal")
        }
        manifest["files"] = .array(try files.map { entry in
            guard case .object(var fields) = entry, let name = fields["name"]?.stringValue else { return entry }
            let path = URL(fileURLWithPath: bundle).appendingPathComponent(name).path
            guard let data = FileManager.default.contents(atPath: path) else { return entry }
            fields["sha256"] = .string(SHA256.hash(data).hexString)
            fields["bytes"] = .number(Double(data.count))
            return .object(fields)
        })
        try write(.object(manifest), to: manifestURL)
    }

    /// Trains `recipe` on the fixture's data (with its tiny overrides) and saves the bundle at `path`.
    public static func saveTrainedBundle(_ plugin: any DomainPlugin, fixture: ConformanceFixture, recipe: String,
                                         to path: String) throws {
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: recipe, overrides: fixture.overrides[recipe] ?? [])
        let data = try plugin.load(fixture.trainingData)
        let model = try plugin.train(configuration, on: data, context: RunContext(seed: fixture.seed))
        try ModelBundle.save(model, plugin: plugin, trainingData: data, metrics: nil, seed: fixture.seed, to: path)
    }

    /// What loading the bundle at `path` and scoring the fixture's input with it says: nil when both work, else
    /// the error's text (which should name the file and key).
    public static func refusal(_ plugin: any DomainPlugin, bundle path: String, fixture: ConformanceFixture) -> String? {
        do {
            _ = try BundleEditFuzzer.score(plugin, bundle: path, fixture: fixture)
            return nil
        } catch {
            return "\(error)"
        }
    }

    /// Nil when loading and scoring the bundle at `path` fails with an error containing every one of `parts` (the
    /// file, the key); else what went wrong, for a test to fail with.
    public static func unmetRefusal(_ plugin: any DomainPlugin, bundle path: String, fixture: ConformanceFixture,
                                    naming parts: [String]) -> String? {
        guard let message = refusal(plugin, bundle: path, fixture: fixture) else { return "the edited bundle was accepted" }
        let missing = parts.filter { !message.contains($0) }
        return missing.isEmpty ? nil : "\(missing) missing from: \(message)"
    }

    /// Copies a bundle folder file by file (regular files only), for editing a copy.
    public static func copy(bundle: String, to target: String) throws {
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: target, withIntermediateDirectories: true)
        for name in try fileManager.contentsOfDirectory(atPath: bundle) {
            let data = try Data(contentsOf: URL(fileURLWithPath: bundle).appendingPathComponent(name))
            try data.write(to: URL(fileURLWithPath: target).appendingPathComponent(name))
        }
    }

    static func replacing(_ value: JSONValue, at path: ArraySlice<String>, with replacement: Replacement) throws -> JSONValue {
        guard let key = path.first else {
            switch replacement {
            case .value(let new): return new
            case .raw(let text): return .string(rawMarker + text)
            case .remove: throw BundleEditingError("cannot remove the top-level value")
            }
        }
        let rest = path.dropFirst()
        switch value {
        case .object(var fields):
            if rest.isEmpty, case .remove = replacement { fields[key] = nil; return .object(fields) }
            guard let inner = fields[key] ?? (rest.isEmpty ? .null : nil) else {
                throw BundleEditingError("no key \(key)")
            }
            fields[key] = try replacing(inner, at: rest, with: replacement)
            return .object(fields)
        case .array(var elements):
            guard let index = Int(key), elements.indices.contains(index) else { throw BundleEditingError("no position \(key)") }
            if rest.isEmpty, case .remove = replacement { elements.remove(at: index); return .array(elements) }
            elements[index] = try replacing(elements[index], at: rest, with: replacement)
            return .array(elements)
        default:
            throw BundleEditingError("\(key) lies below a \(value) value")
        }
    }

    static func write(_ value: JSONValue, to url: URL) throws {
        var text = String(decoding: try JSONValue.encoder().encode(value), as: UTF8.self)
        // Raw values were written as marked strings; put their text in place of the quoted marker.
        let marker = "\"" + rawMarker.unicodeScalars.map { $0.value < 0x20 ? String(format: "\\u%04x", $0.value) : String($0) }.joined()
        while let start = text.range(of: marker) {
            guard let end = text[start.upperBound...].firstIndex(of: "\"") else { break }
            text.replaceSubrange(start.lowerBound...end, with: text[start.upperBound..<end])
        }
        try Data(text.utf8).write(to: url)
    }
}

public struct BundleEditingError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
