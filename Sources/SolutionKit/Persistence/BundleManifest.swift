import Foundation

/// `manifest.json`: what a bundle is, who wrote it, and a checksum for every other file.
public struct BundleManifest: Codable, Equatable, Sendable {
    public static let formatName = "solutionkit-bundle"
    /// The format this build writes and the newest it reads.
    public static let currentFormatVersion = 1

    public struct PluginStamp: Codable, Equatable, Sendable {
        public var id: String
        public var version: String
        public init(id: String, version: String) {
            self.id = id
            self.version = version
        }
    }

    public struct FileEntry: Codable, Equatable, Sendable {
        public var name: String
        public var sha256: String
        public var bytes: Int
        public init(name: String, sha256: String, bytes: Int) {
            self.name = name
            self.sha256 = sha256
            self.bytes = bytes
        }
    }

    public var format: String
    public var formatVersion: Int
    public var plugin: PluginStamp
    public var recipe: String
    public var hyperparameters: [String: HyperparameterValue]
    public var inputSchema: JSONValue
    public var trainingDataFingerprint: String
    public var metrics: [MetricReport.Value]
    public var seed: UInt64
    /// ISO 8601, UTC.
    public var createdAt: String
    public var kitVersion: String
    public var files: [FileEntry]
    public var extra: [String: JSONValue]

    enum CodingKeys: String, CodingKey {
        case format
        case formatVersion = "format_version"
        case plugin, recipe, hyperparameters
        case inputSchema = "input_schema"
        case trainingDataFingerprint = "training_data_fingerprint"
        case metrics, seed
        case createdAt = "created_at"
        case kitVersion = "kit_version"
        case files, extra
    }

    /// The two fields read before anything else, so a newer format is recognised even if the rest changed.
    struct Header: Decodable {
        var format: String?
        var formatVersion: Int?
        enum CodingKeys: String, CodingKey {
            case format
            case formatVersion = "format_version"
        }
    }
}

/// Why a bundle was refused. Every case names the bundle and the offending file or field.
public enum BundleError: Error, Equatable, CustomStringConvertible {
    case notABundle(path: String, reason: String)
    case wrongFormat(path: String, found: String)
    case newerFormat(path: String, found: Int, supported: Int)
    case wrongPlugin(path: String, found: String, expected: String)
    case missingFile(path: String, file: String)
    case checksumMismatch(path: String, file: String)
    case sizeMismatch(path: String, file: String, expected: Int, found: Int)
    case malformed(path: String, file: String, reason: String)
    /// A value that decodes but cannot be used: out of range, inconsistent with another part, duplicated, not finite.
    case invalidValue(path: String, file: String, key: String, reason: String)
    /// A file that is not a plain regular file inside the bundle (a symbolic link, a device, a hard link, too large).
    case unsafeFile(path: String, file: String, reason: String)
    case missingArray(path: String, name: String, available: [String])
    case missingJSONFile(path: String, name: String, available: [String])
    case invalidFileName(String)
    case alreadyExists(path: String)

    public var description: String {
        switch self {
        case let .notABundle(path, reason):
            return "\(path): not a model bundle (\(reason))"
        case let .wrongFormat(path, found):
            return "\(path)/manifest.json: format is \"\(found)\", expected \"\(BundleManifest.formatName)\""
        case let .newerFormat(path, found, supported):
            return "\(path): written by a newer SolutionKit (format \(found), this build reads up to \(supported))"
        case let .wrongPlugin(path, found, expected):
            return "\(path): the bundle belongs to plugin \"\(found)\", not \"\(expected)\""
        case let .missingFile(path, file):
            return "\(path)/\(file): listed in the manifest but missing"
        case let .checksumMismatch(path, file):
            return "\(path)/\(file): checksum does not match the manifest (the file was altered or corrupted)"
        case let .sizeMismatch(path, file, expected, found):
            return "\(path)/\(file): \(found) bytes, the manifest says \(expected) (the file was altered or truncated)"
        case let .malformed(path, file, reason):
            return "\(path)/\(file): \(reason)"
        case let .invalidValue(path, file, key, reason):
            return "\(path)/\(file): key \(key): \(reason)"
        case let .unsafeFile(path, file, reason):
            return "\(path)/\(file): \(reason); a bundle holds only regular files of its own"
        case let .missingArray(path, name, available):
            return "\(path): no weight array named \"\(name)\"; the bundle has: \(available.joined(separator: ", "))"
        case let .missingJSONFile(path, name, available):
            return "\(path): no JSON file named \"\(name)\"; the bundle has: \(available.joined(separator: ", "))"
        case let .invalidFileName(name):
            return "bundle file name \"\(name)\" is not allowed (plain names only; manifest.json and weights.* are reserved)"
        case let .alreadyExists(path):
            return "\(path): already exists; bundles are never overwritten, choose another folder"
        }
    }
}
