import Foundation
import SolutionKit
import SolutionKitConformance

/// The bundle target's seeds: one small bundle of each kind, trained in this process on the kit's shipped samples,
/// and one libFuzzer input per bundle file in `BundleFuzzing`'s format (selector byte, then the file's bytes).
/// Training here instead of with the launcher spares the fuzz run a debug build of the launcher and its HTTP stack.
enum BundleSeeds {
    /// Plugin, recipe and the overrides that keep its training short: each kind of bundle content once (linear,
    /// trees, dense network, convolutional network, scorecard bins, factors, neighbours, item-item weights).
    static let recipes: [(plugin: String, recipe: String, overrides: [String])] = [
        ("price-prediction", "ridge", []),
        ("price-prediction", "gbdt", ["num_iterations=20"]),
        ("price-prediction", "mlp", ["epochs=3"]),
        ("credit-risk", "scorecard", []),
        ("credit-risk", "logistic", []),
        ("credit-risk", "gbdt", ["rounds=20"]),
        ("recommendation", "baseline", []),
        ("recommendation", "item-knn", []),
        ("recommendation", "mf", ["epochs=3", "factors=8"]),
        ("recommendation", "ease", ["cv_folds=2"]),
        ("digit-recognition", "cnn", ["epochs=1"]),
    ]

    /// Trains the bundles missing under `bundles` (`<plugin>-<recipe>/`), then writes the seed inputs into `inputs`.
    static func write(bundles: String, inputs: String) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: bundles, withIntermediateDirectories: true)
            try manager.createDirectory(atPath: inputs, withIntermediateDirectories: true)
            for (pluginID, recipe, overrides) in recipes {
                let path = URL(fileURLWithPath: bundles).appendingPathComponent("\(pluginID)-\(recipe)").path
                if manager.fileExists(atPath: path) { continue }
                let started = Date()
                let fixture = ConformanceFixture(trainingData: .dataset("sample"), scoringInput: "", invalidRow: "",
                                                 overrides: [recipe: overrides])
                try BundleEditing.saveTrainedBundle(try BundleFuzzing.registry.plugin(pluginID), fixture: fixture,
                                                    recipe: recipe, to: path)
                report("trained \(pluginID) \(recipe) in \(Int(Date().timeIntervalSince(started))) s")
            }
        } catch {
            report("seed bundles in \(bundles): \(error)")
            exit(2)
        }
        BundleFuzzing.prepare(root: bundles)
        for (selector, file) in BundleFuzzing.files.enumerated() {
            let kind = URL(fileURLWithPath: BundleFuzzing.seeds[file.seed].bundle.path).lastPathComponent
            let source = URL(fileURLWithPath: BundleFuzzing.seeds[file.seed].bundle.path).appendingPathComponent(file.name)
            // A file larger than the run's -max_len would be cut short anyway, which no loader accepts.
            guard let content = try? Data(contentsOf: source), content.count < BundleFuzzing.maximumInputLength else { continue }
            let number = String(selector)
            let name = String(repeating: "0", count: max(0, 3 - number.count)) + number + "-\(kind)-\(file.name)"
            do {
                try (Data([UInt8(selector)]) + content).write(to: URL(fileURLWithPath: inputs).appendingPathComponent(name))
            } catch {
                report("seed input \(inputs)/\(name): \(error)")
                exit(2)
            }
        }
        report("\(BundleFuzzing.files.count) bundle files in \(BundleFuzzing.seeds.count) seed bundles")
    }

    private static func report(_ message: String) {
        FileHandle.standardError.write(Data("bundle seeds: \(message)\n".utf8))
    }
}
