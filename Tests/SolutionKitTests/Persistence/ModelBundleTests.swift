import Foundation
import SolutionKit
import XCTest

/// Model bundles: layout, byte-identical weights, atomic writes and every refusal on load.
final class ModelBundleTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("bundle-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
    }

    private func contents(scale: Float = 1) throws -> BundleContents {
        var contents = BundleContents(
            arrays: [NamedArray(name: "dense1.weight", shape: [2, 3], values: [1, -2, 3.5, 0, .leastNormalMagnitude, 6].map { $0 * scale }),
                     NamedArray(name: "dense1.bias", shape: [3], values: [0.25, -0.5, 1e-7])],
            inputSchema: .object(["columns": .array([.string("a"), .string("b")])]),
            manifestFields: ["target": .string("price")])
        try contents.addJSONFile("trees.json", ["nodes": [1, 2, 3]])
        return contents
    }

    private let configuration = RecipeConfiguration(recipe: "mlp", values: ["epochs": .integer(5), "rate": .real(0.01)])

    private func provenance(_ date: Date = Date(timeIntervalSince1970: 0)) -> ModelBundle.Provenance {
        .init(plugin: .init(id: "price-prediction", version: "0.1.0"), trainingDataFingerprint: String(repeating: "a", count: 64),
              metrics: [.init(name: "rmse", value: 1.5)], seed: 9, createdAt: date)
    }

    @discardableResult
    private func write(_ name: String, scale: Float = 1, date: Date = Date(timeIntervalSince1970: 0)) throws -> ModelBundle {
        try ModelBundle.write(contents(scale: scale), configuration: configuration, provenance: provenance(date),
                              to: folder.appendingPathComponent(name).path)
    }

    func testRoundTripsArraysJSONAndManifest() throws {
        let written = try write("b")
        let loaded = try ModelBundle.load(from: written.path, expectingPlugin: "price-prediction")
        XCTAssertEqual(try loaded.array("dense1.weight"), try contents().arrays[0])
        XCTAssertEqual(try loaded.array("dense1.bias").values, [0.25, -0.5, 1e-7])
        XCTAssertEqual(try loaded.decodeJSONFile("trees.json", as: [String: [Int]].self), ["nodes": [1, 2, 3]])
        let manifest = loaded.manifest
        XCTAssertEqual(manifest.format, "solutionkit-bundle")
        XCTAssertEqual(manifest.formatVersion, 1)
        XCTAssertEqual(manifest.recipe, "mlp")
        XCTAssertEqual(manifest.hyperparameters, configuration.values)
        XCTAssertEqual(manifest.createdAt, "1970-01-01T00:00:00Z")
        XCTAssertEqual(manifest.seed, 9)
        XCTAssertEqual(manifest.extra["target"], .string("price"))
        XCTAssertEqual(manifest.files.map(\.name), ["weights.bin", "weights.json", "trees.json"])
        XCTAssertEqual(manifest.files[0].bytes, 9 * 4)
        XCTAssertEqual(manifest.files[0].sha256, try SHA256.hexDigest(ofFile: written.path + "/weights.bin"))
        XCTAssertThrowsError(try loaded.array("missing")) { error in
            XCTAssertEqual("\(error)", "\(written.path): no weight array named \"missing\"; the bundle has: dense1.bias, dense1.weight")
        }
    }

    func testWeightsAreLittleEndianFloat32() throws {
        let written = try write("b")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: written.path + "/weights.bin")))
        XCTAssertEqual(Array(bytes[0..<8]), [0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0]) // 1.0, -2.0
        let index = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: written.path + "/weights.json"))) as! [String: Any]
        let arrays = index["arrays"] as! [[String: Any]]
        XCTAssertEqual(arrays[1]["offset"] as? Int, 24)
        XCTAssertEqual(arrays[1]["shape"] as? [Int], [3])
    }

    func testIdenticalWeightsGiveByteIdenticalFilesWhateverTheTime() throws {
        let first = try write("one", date: Date(timeIntervalSince1970: 0))
        let second = try write("two", date: Date(timeIntervalSince1970: 1_000_000))
        for name in ["weights.bin", "weights.json", "trees.json"] {
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: "\(first.path)/\(name)")),
                           try Data(contentsOf: URL(fileURLWithPath: "\(second.path)/\(name)")), name)
        }
        let different = try write("three", scale: 2)
        XCTAssertNotEqual(first.manifest.files[0].sha256, different.manifest.files[0].sha256)
    }

    func testNeverOverwritesAndLeavesNoTemporaryFolder() throws {
        try write("b")
        XCTAssertThrowsError(try write("b")) { error in
            XCTAssertEqual(error as? BundleError, .alreadyExists(path: folder.appendingPathComponent("b").path))
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["b"])
        var bad = try contents()
        bad.jsonFiles["../escape.json"] = Data("{}".utf8)
        XCTAssertThrowsError(try ModelBundle.write(bad, configuration: configuration, provenance: provenance(),
                                                   to: folder.appendingPathComponent("c").path)) { error in
            XCTAssertEqual(error as? BundleError, .invalidFileName("../escape.json"))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("c").path))
    }

    func testRefusesAlteredTruncatedAndMissingFiles() throws {
        let path = try write("b").path
        var weights = try Data(contentsOf: URL(fileURLWithPath: path + "/weights.bin"))
        weights[5] ^= 0x40
        try weights.write(to: URL(fileURLWithPath: path + "/weights.bin"))
        XCTAssertThrowsError(try ModelBundle.load(from: path)) { error in
            XCTAssertEqual(error as? BundleError, .checksumMismatch(path: path, file: "weights.bin"))
            XCTAssertTrue("\(error)".contains("weights.bin: checksum does not match"))
        }
        try weights.prefix(8).write(to: URL(fileURLWithPath: path + "/weights.bin"))
        XCTAssertThrowsError(try ModelBundle.load(from: path)) { error in
            XCTAssertEqual("\(error)", "\(path)/weights.bin: 8 bytes, the manifest says 36 (the file was altered or truncated)")
        }
        try FileManager.default.removeItem(atPath: path + "/trees.json")
        try Data(contentsOf: URL(fileURLWithPath: try write("fresh").path + "/weights.bin")).write(to: URL(fileURLWithPath: path + "/weights.bin"))
        XCTAssertThrowsError(try ModelBundle.load(from: path)) { error in
            XCTAssertEqual(error as? BundleError, .missingFile(path: path, file: "trees.json"))
        }
    }

    func testRefusesOtherPluginNewerFormatAndForeignFormat() throws {
        let path = try write("b").path
        XCTAssertThrowsError(try ModelBundle.load(from: path, expectingPlugin: "credit-risk")) { error in
            XCTAssertEqual("\(error)", "\(path): the bundle belongs to plugin \"price-prediction\", not \"credit-risk\"")
        }
        let manifestURL = URL(fileURLWithPath: path + "/manifest.json")
        let original = try String(contentsOf: manifestURL, encoding: .utf8)
        // A newer format is recognised even when the rest of the manifest is unreadable to this build.
        try Data("{\"format\": \"solutionkit-bundle\", \"format_version\": 3, \"layout\": \"new\"}".utf8).write(to: manifestURL)
        XCTAssertThrowsError(try ModelBundle.load(from: path)) { error in
            XCTAssertEqual("\(error)", "\(path): written by a newer SolutionKit (format 3, this build reads up to 1)")
        }
        try Data(original.replacingOccurrences(of: "solutionkit-bundle", with: "pickle").utf8).write(to: manifestURL)
        XCTAssertThrowsError(try ModelBundle.load(from: path)) { error in
            XCTAssertEqual(error as? BundleError, .wrongFormat(path: path, found: "pickle"))
        }
        try Data(original.replacingOccurrences(of: "\"seed\" : 9,", with: "").utf8).write(to: manifestURL)
        XCTAssertThrowsError(try ModelBundle.load(from: path)) { error in
            XCTAssertEqual("\(error)", "\(path)/manifest.json: missing field seed")
        }
        try Data(original.replacingOccurrences(of: "\"name\" : \"trees.json\"", with: "\"name\" : \"../../etc/passwd\"").utf8).write(to: manifestURL)
        XCTAssertThrowsError(try ModelBundle.load(from: path)) { error in
            XCTAssertTrue("\(error)".contains("manifest.json: key files.2.name: \"../../etc/passwd\" is not a plain file name"), "\(error)")
        }
        XCTAssertThrowsError(try ModelBundle.load(from: folder.appendingPathComponent("nothing").path)) { error in
            XCTAssertTrue("\(error)".hasSuffix("not a model bundle (no such folder)"))
        }
    }

    func testRefusesAnIndexPointingOutsideTheWeights() throws {
        var contents = BundleContents(arrays: [NamedArray(name: "w", shape: [2], values: [1, 2])])
        contents.inputSchema = .null
        let path = try ModelBundle.write(contents, configuration: configuration, provenance: provenance(),
                                         to: folder.appendingPathComponent("b").path).path
        // Rewrite the index to claim 3 values and fix its checksum in the manifest, as a forger would.
        let indexURL = URL(fileURLWithPath: path + "/weights.json"), manifestURL = URL(fileURLWithPath: path + "/manifest.json")
        let oldIndex = try Data(contentsOf: indexURL)
        let newIndex = Data(String(decoding: oldIndex, as: UTF8.self).replacingOccurrences(of: "2\n", with: "3\n").utf8)
        XCTAssertNotEqual(oldIndex, newIndex)
        try newIndex.write(to: indexURL)
        let manifest = try String(contentsOf: manifestURL, encoding: .utf8)
            .replacingOccurrences(of: SHA256.hash(oldIndex).hexString, with: SHA256.hash(newIndex).hexString)
        try Data(manifest.utf8).write(to: manifestURL)
        XCTAssertThrowsError(try ModelBundle.load(from: path)) { error in
            XCTAssertEqual("\(error)", "\(path)/weights.json: array w (shape [3], offset 0) lies outside weights.bin (8 bytes)")
        }
    }

    // MARK: Files that are not the bundle's own

    func testRefusesSymbolicLinksEvenToFilesInsideTheBundle() throws {
        let path = try write("links").path
        try FileManager.default.moveItem(atPath: path + "/trees.json", toPath: path + "/trees-real.json")
        try FileManager.default.createSymbolicLink(atPath: path + "/trees.json", withDestinationPath: "trees-real.json")
        XCTAssertThrowsError(try ModelBundle.load(from: path)) { error in
            XCTAssertEqual(error as? BundleError, .unsafeFile(path: path, file: "trees.json", reason: "is a symbolic link"))
        }
        let other = try write("manifest-link").path
        try FileManager.default.removeItem(atPath: other + "/manifest.json")
        try FileManager.default.createSymbolicLink(atPath: other + "/manifest.json", withDestinationPath: path + "/manifest.json")
        XCTAssertThrowsError(try ModelBundle.load(from: other)) { error in
            XCTAssertTrue("\(error)".contains("\(other)/manifest.json: is a symbolic link"), "\(error)")
        }
    }

    func testRefusesAPipeAndAHardLinkWithoutReadingThem() throws {
        let path = try write("pipe").path
        try FileManager.default.removeItem(atPath: path + "/trees.json")
        XCTAssertEqual(mkfifo(path + "/trees.json", 0o600), 0)
        // O_NONBLOCK: the open returns at once instead of waiting for a writer.
        XCTAssertThrowsError(try ModelBundle.load(from: path)) { error in
            XCTAssertEqual(error as? BundleError, .unsafeFile(path: path, file: "trees.json", reason: "is not a regular file"))
        }
        let linked = try write("hard").path
        try FileManager.default.linkItem(atPath: linked + "/weights.bin", toPath: folder.appendingPathComponent("outside.bin").path)
        XCTAssertThrowsError(try ModelBundle.load(from: linked)) { error in
            XCTAssertTrue("\(error)".contains("\(linked)/weights.bin: has 2 hard links"), "\(error)")
        }
    }

    func testRefusesAFileListedTwice() throws {
        let path = try write("twice").path
        let url = URL(fileURLWithPath: path + "/manifest.json")
        var manifest = try JSONDecoder().decode(BundleManifest.self, from: Data(contentsOf: url))
        manifest.files.append(manifest.files[0])
        try JSONValue.encoder().encode(manifest).write(to: url)
        XCTAssertThrowsError(try ModelBundle.load(from: path)) { error in
            XCTAssertTrue("\(error)".contains("manifest.json: key files.\(manifest.files.count - 1).name"), "\(error)")
        }
    }

    // MARK: Networks checked against their weights

    private func networkBundle(_ name: String, spec: NetworkSpec, arrays: [NamedArray]) throws -> ModelBundle {
        var contents = BundleContents(arrays: arrays)
        try contents.addJSONFile("network.json", spec)
        return try ModelBundle.write(contents, configuration: configuration, provenance: provenance(),
                                     to: folder.appendingPathComponent(name).path)
    }

    func testANetworkIsBuiltOnlyWhenItsWeightsBackEveryLayer() throws {
        let weights = [NamedArray(name: "0.weight", shape: [2, 3], values: [1, 2, 3, 4, 5, 6]),
                       NamedArray(name: "0.bias", shape: [3], values: [0, 0, 1])]
        let good = try networkBundle("net", spec: NetworkSpec(layers: [.dense(inputs: 2, outputs: 3, initializer: .heNormal), .relu]),
                                     arrays: weights)
        let network = try good.network(inputShape: [1, 2], outputShape: [1, 3], includingBuffers: false)
        XCTAssertEqual(network.predict(Tensor(shape: [1, 2], scalars: [1, 1])).scalars, [5, 7, 10])

        let huge = try networkBundle("huge", spec: NetworkSpec(layers: [.dense(inputs: Int.max, outputs: 3, initializer: .heNormal)]),
                                     arrays: weights)
        XCTAssertThrowsError(try huge.network(inputShape: [1, 2], outputShape: [1, 3], includingBuffers: false)) { error in
            XCTAssertTrue("\(error)".contains("network.json: key layers.0.dense"), "\(error)")
        }
        let unbacked = try networkBundle("unbacked", spec: NetworkSpec(layers: [.dense(inputs: 2, outputs: 4, initializer: .heNormal)]),
                                         arrays: weights)
        XCTAssertThrowsError(try unbacked.network(inputShape: [1, 2], outputShape: [1, 4], includingBuffers: false)) { error in
            XCTAssertTrue("\(error)".contains("weights.json: key arrays.0.weight: has shape [2, 3]"), "\(error)")
        }
        XCTAssertThrowsError(try good.network(inputShape: [1, 5], outputShape: [1, 3], includingBuffers: false)) { error in
            XCTAssertTrue("\(error)".contains("network.json: key layers.0"), "\(error)")
        }
        let nan = try networkBundle("nan", spec: NetworkSpec(layers: [.dense(inputs: 2, outputs: 3, initializer: .heNormal)]),
                                    arrays: [NamedArray(name: "0.weight", shape: [2, 3], values: [1, .nan, 3, 4, 5, 6]), weights[1]])
        XCTAssertThrowsError(try nan.network(inputShape: [1, 2], outputShape: [1, 3], includingBuffers: false)) { error in
            XCTAssertTrue("\(error)".contains("weights.bin: key 0.weight.1: nan is not a finite number"), "\(error)")
        }
    }
}
