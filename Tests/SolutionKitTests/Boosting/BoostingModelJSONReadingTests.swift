import Foundation
import XCTest
@testable import SolutionKit

/// The byte-level model reader must give exactly what `JSONDecoder` gives for everything `jsonData()` writes,
/// and refuse damaged files with a located reason instead of crashing.
final class BoostingModelJSONReadingTests: XCTestCase {
    private func data(rows: Int, seed: UInt64) -> (Tensor, [Double]) {
        var x = BoostingTestSupport.uniformMatrix(rows: rows, features: 6, seed: seed)
        for r in 0..<rows { x.scalars[r * 6 + 5] = Float(r % 9) }
        for r in stride(from: 0, to: rows, by: 13) { x.scalars[r * 6 + 2] = .nan }
        return (x, BoostingTestSupport.friedmanLike(x, seed: seed + 1))
    }

    /// Trained models covering every objective, categorical splits, histories and early stopping.
    private func trainedModels() throws -> [GradientBoostedModel] {
        let (x, y) = data(rows: 600, seed: 3)
        let (xv, yv) = data(rows: 200, seed: 4)
        let binaryLabels = y.map { $0 > 14 ? 1.0 : 0.0 }
        let binaryValidation = yv.map { $0 > 14 ? 1.0 : 0.0 }
        let objectives: [BoostingObjective] = [.squaredError, .absoluteError, .huber(delta: 1.5),
                                               .quantile(alpha: 0.3), .binaryLogLoss(scalePositiveWeight: 2.5)]
        var models: [GradientBoostedModel] = []
        for (index, objective) in objectives.enumerated() {
            var p = GradientBoostingParameters()
            p.objective = objective
            p.numberOfRounds = 6
            p.numberOfLeaves = 8
            p.maxDepth = index.isMultiple(of: 2) ? 4 : nil
            p.earlyStoppingRounds = index.isMultiple(of: 2) ? 2 : nil
            p.metric = index == 4 ? .auc : nil
            p.seed = index == 0 ? UInt64.max : UInt64(index)
            p.learningRate = 0.1 + Double(index) / 3
            var trainer = GradientBoostingTrainer(parameters: p)
            trainer.recordsTrainingMetric = index != 1
            let isBinary = index == 4
            models.append(try trainer.fit(
                features: x, labels: isBinary ? binaryLabels : y, categoricalFeatures: [5],
                featureNames: (0..<6).map { "feature \"\($0)\" é\\n" },
                validation: index == 3 ? nil : BoostingValidationSet(features: xv, labels: isBinary ? binaryValidation : yv)))
        }
        return models
    }

    /// Hand-made models for what training rarely produces: non-finite thresholds, no trees, single leaves.
    private func handMadeModels() -> [GradientBoostedModel] {
        var single = DecisionTree()
        single.leafValue = [-0.000123456789012345678]
        single.leafCount = [7]
        var odd = DecisionTree()
        odd.splitFeature = [0, 1, 2]
        odd.threshold = [.nan, .infinity, -.infinity]
        odd.missingGoesLeft = [true, false, true]
        odd.isCategorical = [false, true, false]
        odd.leftCategories = [[], [0, 3, Int32.max], []]
        odd.leftChild = [1, -1, -3]
        odd.rightChild = [2, -2, -4]
        odd.splitGain = [.greatestFiniteMagnitude, 5e-324, -0.0]
        odd.internalCount = [Int.max, 1, 0]
        odd.internalValue = [1e300, -1e-300, 0.1 + 0.2]
        odd.leafValue = [1.7976931348623157e308, 2.2250738585072014e-308, 4.9e-324, 0.3]
        odd.leafCount = [1, 2, 3, 4]
        var empty = GradientBoostedModel(objective: .squaredError, parameters: GradientBoostingParameters(),
                                         featureCount: 1, featureNames: [""], categoricalFeatures: [],
                                         initialScore: -0.0)
        empty.bestIteration = 0
        var odds = GradientBoostedModel(objective: .quantile(alpha: 0.999), parameters: GradientBoostingParameters(),
                                        featureCount: 3, featureNames: ["a", "😀", "\u{0001}\t/"],
                                        categoricalFeatures: [1], initialScore: 123456789.123456789)
        odds.trees = [single, odd, single]
        odds.history = [BoostingRecord(iteration: 1, training: .nan, validation: nil),
                        BoostingRecord(iteration: 2, training: nil, validation: .infinity),
                        BoostingRecord(iteration: 3, training: -.infinity, validation: 1e-7)]
        return [empty, odds]
    }

    /// Bit-level equality, so NaN and signed zeros are compared too (`==` says NaN != NaN).
    private func assertSameBytes(_ a: GradientBoostedModel, _ b: GradientBoostedModel,
                                 file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try a.jsonData(), try b.jsonData(), file: file, line: line)
        XCTAssertEqual(a.trees.flatMap { $0.threshold.map(\.bitPattern) },
                       b.trees.flatMap { $0.threshold.map(\.bitPattern) }, file: file, line: line)
        let doubles = { (m: GradientBoostedModel) in
            m.trees.flatMap { $0.leafValue + $0.splitGain + $0.internalValue }.map(\.bitPattern)
                + [m.initialScore.bitPattern]
        }
        XCTAssertEqual(doubles(a), doubles(b), file: file, line: line)
    }

    func testEveryFieldRoundTripsAndMatchesJSONDecoder() throws {
        let trained = try trainedModels()
        XCTAssertTrue(trained.contains { $0.bestIteration != nil } && trained.contains { $0.bestIteration == nil })
        XCTAssertTrue(trained.contains { m in m.trees.contains { $0.isCategorical.contains(true) } })
        XCTAssertTrue(trained.contains { m in m.history.contains { $0.training != nil && $0.validation != nil } })
        for model in trained + handMadeModels() {
            let json = try model.jsonData()
            let oracle = try GradientBoostedModel.decodedWithJSONDecoder(json)
            // The hand-made odd tree (NaN threshold, cover 0, category Int32.max) is read faithfully, and refused
            // as a model to score with.
            let read = try GradientBoostedModel.readingBytes(json)
            if model.trees.contains(where: { $0.internalCount.contains(0) }) {
                XCTAssertThrowsError(try GradientBoostedModel(jsonData: json))
            } else {
                XCTAssertNoThrow(try GradientBoostedModel(jsonData: json))
            }
            if !model.trees.contains(where: { $0.threshold.contains(where: \.isNaN) })
                && !model.history.contains(where: { $0.training?.isNaN == true }) {
                XCTAssertEqual(read, model)
                XCTAssertEqual(read, oracle)
            }
            try assertSameBytes(read, model)
            try assertSameBytes(read, oracle)
        }
    }

    func testPrettyPrintedReorderedAndExtendedJSONReadsTheSame() throws {
        let model = try trainedModels()[4]
        let object = try JSONSerialization.jsonObject(with: try model.jsonData()) as! [String: Any]
        var extended = object
        extended["comment"] = ["nested": [1, 2, ["deep": true]], "text": "ignored \u{1F600}"]
        extended["nothing"] = NSNull()
        var tree = (object["trees"] as! [[String: Any]])[0]
        tree["futureField"] = [1.5, "x"]
        var trees = object["trees"] as! [[String: Any]]
        trees[0] = tree
        extended["trees"] = trees
        let pretty = try JSONSerialization.data(withJSONObject: extended, options: [.prettyPrinted])
        XCTAssertEqual(try GradientBoostedModel(jsonData: pretty), try GradientBoostedModel.decodedWithJSONDecoder(pretty))
        XCTAssertEqual(try GradientBoostedModel(jsonData: pretty), model)
    }

    private func corruptReason(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try GradientBoostedModel(jsonData: Data(text.utf8))
            XCTFail("accepted: \(text.prefix(200))", file: file, line: line)
        } catch let BoostingError.corruptModel(reason) {
            return reason
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return ""
    }

    func testMissingKeysAndWrongTypesAreReportedWithTheirPath() throws {
        let model = try trainedModels()[0]
        let json = String(decoding: try model.jsonData(), as: UTF8.self)
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "\"leafValue\"", with: "\"leafValues\""))
            .hasPrefix("missing key leafValue at trees.0 "))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "\"formatVersion\"", with: "\"version\""))
            .hasPrefix("missing key formatVersion at the top level"))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "\"seed\"", with: "\"sead\""))
            .hasPrefix("missing key seed at parameters "))
        var broken = model
        broken.trees[3].threshold[1] = 0.5
        let damaged = String(decoding: try broken.jsonData(), as: UTF8.self)
            .replacingOccurrences(of: "\"threshold\":[\(model.trees[3].threshold[0]),0.5", with:
                                    "\"threshold\":[\(model.trees[3].threshold[0]),\"0.5\"")
        XCTAssertTrue(corruptReason(damaged).hasPrefix("expected a number, found the string \"0.5\" at trees.3.threshold.1 "),
                      corruptReason(damaged))
        let reason = corruptReason(json.replacingOccurrences(of: "\"featureCount\":6", with: "\"featureCount\":\"6\""))
        XCTAssertTrue(reason.hasPrefix("expected a number, found a string at featureCount (byte "), reason)
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "\"isCategorical\":[false", with: "\"isCategorical\":[0"))
            .hasPrefix("expected a boolean, found a number at trees.0.isCategorical.0 "))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "\"featureCount\":6", with: "\"featureCount\":6.0"))
            .hasPrefix("expected an integer, found 6.0 at featureCount"))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "\"featureCount\":6", with: "\"featureCount\":99999999999999999999"))
            .contains("does not fit in Int"))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "\"initialScore\":", with: "\"initialScore\":1e999,\"x\":"))
            .contains("does not fit in a Double at initialScore"))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "{\"squaredError\":{}}", with: "{\"cubic\":{}}"))
            .hasPrefix("unknown objective \"cubic\""))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "{\"squaredError\":{}}", with: "{\"squaredError\":{},\"huber\":{\"delta\":1}}"))
            .hasPrefix("an objective object must have exactly one key at objective"))
        XCTAssertTrue(corruptReason("{\"trees\": 3}").hasPrefix("expected an array, found a number at trees"))
        XCTAssertTrue(corruptReason("[]").hasPrefix("expected an object, found an array at the top level"))
        XCTAssertTrue(corruptReason("").hasPrefix("expected an object, found the end of the input"))
    }

    func testSyntaxErrorsAreRefusedWithAPosition() throws {
        let json = String(decoding: try handMadeModels()[1].jsonData(), as: UTF8.self)
        XCTAssertTrue(corruptReason(json + " x").hasPrefix("unexpected 'x' after the end of the document"))
        XCTAssertTrue(corruptReason(json + "{}").hasPrefix("unexpected '{' after the end of the document"))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "\"a\"", with: "\"a\\q\"")).hasPrefix("invalid escape '\\q'"))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "\"a\"", with: "\"a\\ud800\""))
            .hasPrefix("unpaired surrogate \\uD800 at featureNames.0"))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "\"a\"", with: "\"\\u12G4\"")).hasPrefix("invalid hex digit 'G'"))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "[7]", with: "[7,]")).hasPrefix("expected a number, found the character ']'"))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "[7]", with: "[07]")).hasPrefix("expected ',' or ']' in an array"))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "[7]", with: "[-]")).hasPrefix("invalid number"))
        XCTAssertTrue(corruptReason(json.replacingOccurrences(of: "[7]", with: "[tru]")).hasPrefix("expected a number, found a boolean"))
        let lines = corruptReason("{\n  \"formatVersion\": 1,\n  \"objective\": nul\n}")
        XCTAssertTrue(lines.hasSuffix("(byte 39, line 3, column 16)"), lines)
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertTrue(corruptReason("{\"unknown\":" + deep + "}").hasPrefix("nesting deeper than 256 levels at unknown"))
        XCTAssertTrue(corruptReason("{\"a\":\"\u{1}\"}").hasPrefix("unescaped control character"))
        var invalidUTF8 = Data("{\"featureNames\":[\"".utf8)
        invalidUTF8.append(contentsOf: [0xC3, 0x28])
        invalidUTF8.append(contentsOf: Data("\"]}".utf8))
        XCTAssertThrowsError(try GradientBoostedModel(jsonData: invalidUTF8)) { error in
            XCTAssertTrue("\(error)".contains("invalid UTF-8 in a string at featureNames.0"), "\(error)")
        }
    }

    func testEveryTruncationIsRefusedWithoutCrashing() throws {
        let json = try handMadeModels()[1].jsonData()
        for length in 0..<json.count {
            XCTAssertThrowsError(try GradientBoostedModel(jsonData: json.prefix(length)), "prefix \(length)")
        }
        // Damaging single bytes must never crash either (it may still give a valid model, e.g. a digit).
        for offset in stride(from: 0, to: json.count, by: 3) {
            for replacement in [UInt8(ascii: "\""), UInt8(ascii: "}"), UInt8(ascii: "\\"), 0xFF] {
                var damaged = json
                damaged[damaged.startIndex + offset] = replacement
                _ = try? GradientBoostedModel(jsonData: damaged)
            }
        }
    }

    func testUnknownFormatVersionKeepsItsMessage() throws {
        var model = handMadeModels()[1]
        model.formatVersion = 99
        XCTAssertThrowsError(try GradientBoostedModel(jsonData: try model.jsonData())) { error in
            XCTAssertEqual(error as? BoostingError, .corruptModel("format version 99, this build reads 1"))
        }
    }

    /// Times both decoders on a real bundle's trees.json when `SOLUTIONKIT_TREES_JSON` names one.
    func testDecodeSpeedOfARealModel() throws {
        guard let path = ProcessInfo.processInfo.environment["SOLUTIONKIT_TREES_JSON"] else {
            throw XCTSkip("set SOLUTIONKIT_TREES_JSON to a trees.json to time decoding")
        }
        let json = try Data(contentsOf: URL(fileURLWithPath: path))
        let repeats = Int(ProcessInfo.processInfo.environment["SOLUTIONKIT_DECODE_REPEATS"] ?? "15") ?? 15
        func median(_ body: () throws -> GradientBoostedModel) rethrows -> Double {
            var times: [Double] = []
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return times.sorted()[times.count / 2]
        }
        let old = try median { try GradientBoostedModel.decodedWithJSONDecoder(json) }
        let new = try median { try GradientBoostedModel(jsonData: json) }
        let readOnly = try median {
            try json.withUnsafeBytes { raw in
                var reader = JSONByteReader(bytes: raw.bindMemory(to: UInt8.self))
                return try GradientBoostedModel(reading: &reader)
            }
        }
        try assertSameBytes(try GradientBoostedModel(jsonData: json), try GradientBoostedModel.decodedWithJSONDecoder(json))
        print("trees.json \(json.count) bytes: JSONDecoder \(old) ms, byte reader \(readOnly) ms, "
              + "byte reader and validation \(new) ms (median of \(repeats))")
    }
}
