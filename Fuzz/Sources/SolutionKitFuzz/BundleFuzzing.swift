import CreditRisk
import DigitRecognition
import Foundation
import PricePrediction
import Recommendation
@testable import SolutionKit

/// The bundle loader of every plugin, on bundles with one file replaced by the fuzzer's bytes. A hostile author
/// can always reseal checksums, so the fuzzer skips them: the seed bundles are read and verified once, and each
/// input replaces one file in memory, then goes through the same decoding `ModelBundle.load` does after its
/// checksum pass (the manifest decoder, the weight file decoder) and the plugin's model and scorer loaders.
/// Copying, resealing and hashing a whole bundle per input (the CNN one is 2.7 MB) made this ~1 exec/s.
///
/// Input: one selector byte (which file of which seed bundle, in the sorted order of `kind/file`), then the
/// file's new content. The seed bundles are folders under `FUZZ_BUNDLES` (`BundleSeeds` trains them).
enum BundleFuzzing {
    struct Seed {
        let bundle: ModelBundle
        let weights: Data?
        let weightIndex: Data?
    }
    nonisolated(unsafe) static var files: [(seed: Int, name: String)] = []
    nonisolated(unsafe) static var seeds: [Seed] = []
    static let registry = try! PluginRegistry([PricePredictionPlugin(), CreditRiskPlugin(), RecommendationPlugin(),
                                               DigitRecognitionPlugin()])

    /// The bundle target's -max_len in scripts/fuzz.sh: every seed bundle's weights fit but the CNN's (2.7 MB).
    static let maximumInputLength = 1 << 20

    /// Loads and verifies the seed bundles under `root`, once.
    static func prepare(root: String) {
        let manager = FileManager.default
        // Hidden entries are not bundles (an interrupted ModelBundle.write leaves a `.NAME.partial-PID` folder).
        let kinds = ((try? manager.contentsOfDirectory(atPath: root)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        for kind in kinds {
            let path = URL(fileURLWithPath: root).appendingPathComponent(kind).path
            let bundle: ModelBundle
            do { bundle = try ModelBundle.load(from: path) } catch { fail("seed bundle \(path): \(error)") }
            let read = { (name: String) in try? Data(contentsOf: URL(fileURLWithPath: path).appendingPathComponent(name)) }
            seeds.append(Seed(bundle: bundle, weights: read(WeightFile.dataName), weightIndex: read(WeightFile.indexName)))
            for name in ((try? manager.contentsOfDirectory(atPath: path)) ?? []).sorted() {
                files.append((seeds.count - 1, name))
            }
        }
        guard !files.isEmpty, files.count <= 256 else {
            fail("FUZZ_BUNDLES \(root): expected 1 to 256 bundle files, found \(files.count)")
        }
    }

    static func run(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let selector = bytes.first else { return }
        let (index, replaced) = files[Int(selector) % files.count]
        let seed = seeds[index]
        let content = Data(bytes.dropFirst())
        let original = seed.bundle
        var manifest = original.manifest
        var arrays = original.arrays
        var jsonFiles = original.jsonFiles
        switch replaced {
        case "manifest.json":
            guard let header = try? JSONDecoder().decode(BundleManifest.Header.self, from: content),
                  header.format == BundleManifest.formatName,
                  let version = header.formatVersion, version <= BundleManifest.currentFormatVersion,
                  let decoded = try? JSONDecoder().decode(BundleManifest.self, from: content) else { return }
            manifest = decoded
        case WeightFile.dataName, WeightFile.indexName:
            let data = replaced == WeightFile.dataName ? content : seed.weights ?? Data()
            let weightIndex = replaced == WeightFile.indexName ? content : seed.weightIndex ?? Data()
            guard let decoded = try? WeightFile.decode(data: data, index: weightIndex, bundlePath: original.path) else { return }
            arrays = decoded
        default:
            jsonFiles[replaced] = content
        }
        let edited = ModelBundle(path: original.path, manifest: manifest, arrays: arrays, jsonFiles: jsonFiles)
        guard let plugin = try? registry.plugin(edited.manifest.plugin.id) else { return }
        _ = try? plugin.model(from: edited)
        _ = try? plugin.scorer(for: edited)
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
        exit(2)
    }
}
