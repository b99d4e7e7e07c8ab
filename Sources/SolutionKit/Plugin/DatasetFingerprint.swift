import Foundation

/// The training-data fingerprint recorded in bundles: SHA-256 over the input files' names and digests,
/// so the same files give the same fingerprint wherever they live.
public enum DatasetFingerprint {
    public static func sha256(ofFiles paths: [String]) throws -> String {
        var hasher = SHA256()
        for path in paths {
            let digest = try SHA256.hexDigest(ofFile: path)
            hasher.update(Array("\(URL(fileURLWithPath: path).lastPathComponent) \(digest)\n".utf8))
        }
        return hasher.finalize().hexString
    }

    /// For data built in memory (generated samples, test slices).
    public static func sha256(of bytes: [UInt8]) -> String {
        SHA256.hash(bytes).hexString
    }
}
