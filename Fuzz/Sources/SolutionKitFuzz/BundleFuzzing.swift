import CreditRisk
import DigitRecognition
import Foundation
import PricePrediction
import Recommendation
import SolutionKit

/// The bundle loader of every plugin, on bundles with one file replaced by the fuzzer's bytes and the
/// manifest's checksums recomputed (a hostile author can always reseal), so the loaders themselves are reached.
///
/// Input: one selector byte (which file of which seed bundle, in the sorted order of `kind/file`), then the
/// file's new content. The seed bundles are folders under `FUZZ_BUNDLES` (scripts/fuzz.sh trains them).
enum BundleFuzzing {
    nonisolated(unsafe) static var files: [(bundle: URL, name: String)] = []
    nonisolated(unsafe) static var work: URL = URL(fileURLWithPath: "/tmp")
    static let registry = try! PluginRegistry([PricePredictionPlugin(), CreditRiskPlugin(), RecommendationPlugin(),
                                               DigitRecognitionPlugin()])

    static func prepare() {
        guard let root = ProcessInfo.processInfo.environment["FUZZ_BUNDLES"] else {
            FileHandle.standardError.write(Data("FUZZ_BUNDLES: set it to the folder of seed bundles\n".utf8))
            exit(2)
        }
        let manager = FileManager.default
        let kinds = ((try? manager.contentsOfDirectory(atPath: root)) ?? []).sorted()
        for kind in kinds {
            let bundle = URL(fileURLWithPath: root).appendingPathComponent(kind)
            for name in ((try? manager.contentsOfDirectory(atPath: bundle.path)) ?? []).sorted() {
                files.append((bundle, name))
            }
        }
        guard !files.isEmpty, files.count <= 256 else {
            FileHandle.standardError.write(Data("FUZZ_BUNDLES \(root): expected 1 to 256 bundle files, found \(files.count)\n".utf8))
            exit(2)
        }
        work = manager.temporaryDirectory.appendingPathComponent("solutionkit-fuzz-\(getpid())")
        atexit { try? FileManager.default.removeItem(at: BundleFuzzing.work) }
    }

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let selector = bytes.first else { return }
        let (bundle, replaced) = files[Int(selector) % files.count]
        let content = Data(bytes.dropFirst())
        let manager = FileManager.default
        try? manager.removeItem(at: work)
        guard (try? manager.copyItem(at: bundle, to: work)) != nil else { return }
        defer { try? manager.removeItem(at: work) }
        guard (try? content.write(to: work.appendingPathComponent(replaced))) != nil else { return }
        if replaced != "manifest.json" { reseal(replaced, content: content) }
        guard let loaded = try? ModelBundle.load(from: work.path),
              let plugin = try? registry.plugin(loaded.manifest.plugin.id) else { return }
        _ = try? plugin.model(from: loaded)
        _ = try? plugin.scorer(for: loaded)
    }

    /// Rewrites the manifest's checksum and size of `name` to match its new content.
    private static func reseal(_ name: String, content: Data) {
        let manifestURL = work.appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: manifestURL),
              var manifest = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              var entries = manifest["files"] as? [[String: Any]] else { return }
        for index in entries.indices where entries[index]["name"] as? String == name {
            entries[index]["sha256"] = SHA256.hash(content).hexString
            entries[index]["bytes"] = content.count
        }
        manifest["files"] = entries
        guard let resealed = try? JSONSerialization.data(withJSONObject: manifest) else { return }
        try? resealed.write(to: manifestURL)
    }
}
