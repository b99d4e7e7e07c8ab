import Foundation
import XCTest
@testable import DigitRecognition
import SolutionKit

enum DigitTestSupport {
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var samples: String { packageRoot.appendingPathComponent("samples/digit-recognition").path }

    /// `../shared/datasets/<name>`, or a skip when it is absent.
    static func sharedDataset(_ name: String) throws -> String {
        let path = packageRoot.appendingPathComponent("../shared/datasets/\(name)").standardized.path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("shared dataset \(name) is absent at \(path)") }
        return path
    }

    static func temporaryFolder(_ test: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("digits-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    /// A small image folder root/<digit>/*.png copied from the shipped MNIST PNGs (`perClass` of each digit).
    static func imageFolder(in folder: URL, perClass: Int) throws -> URL {
        let root = folder.appendingPathComponent("images")
        for digit in 0..<10 {
            let source = samples + "/mnist-png/\(digit)"
            let target = root.appendingPathComponent("\(digit)")
            try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
            for file in try FileManager.default.contentsOfDirectory(atPath: source).sorted().prefix(perClass) {
                try FileManager.default.copyItem(atPath: source + "/" + file, toPath: target.appendingPathComponent(file).path)
            }
        }
        return root
    }

    /// Scores `input` text with `scorer` into memory: (output, rejects, summary).
    static func score(_ scorer: any BatchScorer, input: any ByteSource, format: ScoringFormat = .csv,
                      in folder: URL) throws -> (String, String, ScoringSummary) {
        let outputPath = folder.appendingPathComponent("scored-\(UUID().uuidString)").path
        let rejectsPath = outputPath + ".rejects"
        let output = try OutputSink.file(atomicallyAt: outputPath), rejects = try OutputSink.file(atomicallyAt: rejectsPath)
        let summary = try scorer.score(input, into: output, rejects: rejects, options: ScoringOptions(format: format))
        try output.commit()
        try rejects.commit()
        return (try String(contentsOfFile: outputPath, encoding: .utf8), try String(contentsOfFile: rejectsPath, encoding: .utf8), summary)
    }

    /// Trains `recipe` on `data` and returns the model rebuilt from its saved bundle (what `launcher score` uses).
    static func bundledModel(_ recipe: String, on data: DigitDataset, overrides: [String], in folder: URL,
                             seed: UInt64 = 1) throws -> (DigitModel, ModelBundle) {
        let plugin = DigitRecognitionPlugin()
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: recipe, overrides: overrides)
        let model = try plugin.train(configuration, on: data, context: RunContext(seed: seed))
        let path = folder.appendingPathComponent("bundle-\(recipe)").path
        try ModelBundle.save(model, plugin: plugin, trainingData: data, metrics: nil, seed: seed, to: path)
        let bundle = try ModelBundle.load(from: path, expectingPlugin: plugin.id)
        return (try DigitModel(bundle: bundle, plugin: plugin), bundle)
    }
}
