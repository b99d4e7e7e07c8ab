import Foundation
import LauncherKit
import PricePrediction
import SolutionKit
import XCTest

/// `launcher score --shard-index I --shard-count N`: the shards of a file are disjoint, keep the file's line numbers
/// in their rejects, and together give exactly the unsharded output.
final class ScoreShardTests: XCTestCase {
    typealias Support = LauncherTestSupport
    let plugins: [any DomainPlugin] = [PricePredictionPlugin()]

    /// The sample with an id column and a few bad rows (text in a numeric column, a short row, an infinity).
    func inputWithBadRows() throws -> String {
        let sample = try String(contentsOfFile: Support.packageRoot
            .appendingPathComponent("samples/price-prediction/housing-sample.csv").path, encoding: .utf8)
        var lines = sample.split(separator: "\n").map(String.init).prefix(400).enumerated().map {
            $0.offset == 0 ? "id," + $0.element : "r\($0.offset)," + $0.element
        }
        lines[17] = "r17,-122.2,37.8,forty,880.0,129.0,322.0,126.0,8.3,452600.0,NEAR BAY"
        lines[58] = "r58,-122.2,37.8"
        lines[203] = "r203,-122.2,37.8,41.0,inf,129.0,322.0,126.0,8.3,452600.0,NEAR BAY"
        return lines.joined(separator: "\n") + "\n"
    }

    func trainedBundle(in folder: URL) throws -> String {
        try Support.priceRun(in: folder).appendingPathComponent("bundle").path
    }

    struct Scored {
        var header: String
        var rows: [String]
        var rejects: [String]
        var standardError: String
    }

    func score(_ bundle: String, _ input: URL, in folder: URL, shard: (Int, Int)?) throws -> Scored {
        let tag = shard.map { "\($0.0)-of-\($0.1)" } ?? "whole"
        let output = folder.appendingPathComponent("out-\(tag).csv"), rejects = folder.appendingPathComponent("rej-\(tag).csv")
        var arguments = ["score", "--model", bundle, "--input", input.path, "--output", output.path, "--rejects", rejects.path]
        if let (index, count) = shard { arguments += ["--shard-index", "\(index)", "--shard-count", "\(count)"] }
        let outcome = Support.launch(arguments, plugins: plugins)
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        let lines = try Support.read(output).split(separator: "\n").map(String.init)
        let rejected = try Support.read(rejects).split(separator: "\n").map(String.init)
        XCTAssertEqual(rejected.first, "line,reason")
        return Scored(header: lines[0], rows: Array(lines.dropFirst()), rejects: Array(rejected.dropFirst()),
                      standardError: outcome.standardError)
    }

    func testShardsTogetherGiveTheUnshardedOutputAndRejects() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try trainedBundle(in: folder)
        let input = folder.appendingPathComponent("in.csv")
        try Support.write(try inputWithBadRows(), to: input)
        let whole = try score(bundle, input, in: folder, shard: nil)
        XCTAssertEqual(whole.rows.count, 396)
        XCTAssertEqual(whole.rejects.map { $0.split(separator: ",")[0] }, ["18", "59", "204"])

        for count in [1, 3, 7] {
            let shards = try (0..<count).map { try score(bundle, input, in: folder, shard: ($0, count)) }
            for (index, shard) in shards.enumerated() {
                XCTAssertEqual(shard.header, whole.header)
                // Row k (0-based data row) is in shard k mod N: data row k sits on line k + 2 here.
                for row in shard.rows {
                    let k = Int(row.split(separator: ",")[0].dropFirst())! - 1
                    XCTAssertEqual(k % count, index, "row \(row) in shard \(index) of \(count)")
                }
                for reject in shard.rejects {
                    XCTAssertEqual((Int(reject.split(separator: ",")[0])! - 2) % count, index, reject)
                }
                let read = shard.rows.count + shard.rejects.count
                XCTAssertTrue(shard.standardError.contains("rows read \(read) = scored \(shard.rows.count) + rejected \(shard.rejects.count)"),
                              shard.standardError)
                if count > 1 {
                    XCTAssertTrue(shard.standardError.contains("note: shard \(index) of \(count) (rows k with k mod \(count) = \(index))"),
                                  shard.standardError)
                }
            }
            // Concatenated, then put back in id order, the shards are the unsharded output, byte for byte.
            let order: (String) -> Int = { Int($0.split(separator: ",")[0].dropFirst())! }
            XCTAssertEqual(shards.flatMap(\.rows).sorted { order($0) < order($1) }, whole.rows, "N = \(count)")
            let line: (String) -> Int = { Int($0.split(separator: ",")[0])! }
            XCTAssertEqual(shards.flatMap(\.rejects).sorted { line($0) < line($1) }, whole.rejects, "N = \(count)")
        }
    }

    func testShardOptionsAreChecked() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try trainedBundle(in: folder)
        let input = folder.appendingPathComponent("in.csv"), output = folder.appendingPathComponent("out.csv")
        try Support.write(try inputWithBadRows(), to: input)
        let cases: [([String], String)] = [
            (["--shard-index", "3", "--shard-count", "3"], "--shard-index must be in 0 ..< 3 (--shard-count), got 3"),
            (["--shard-index=-1", "--shard-count", "3"], "--shard-index must be in 0 ..< 3 (--shard-count), got -1"),
            (["--shard-index", "0", "--shard-count", "0"], "--shard-count must be at least 1, got 0"),
            (["--shard-index", "1"], "--shard-index needs --shard-count too"),
            (["--shard-count", "4"], "--shard-count needs --shard-index (0 ..< N) too"),
        ]
        for (flags, message) in cases {
            let outcome = Support.launch(["score", "--model", bundle, "--input", input.path, "--output", output.path] + flags,
                                         plugins: plugins)
            XCTAssertEqual(outcome.status, 1, flags.joined(separator: " "))
            XCTAssertTrue(outcome.standardError.contains(message), outcome.standardError)
            XCTAssertFalse(FileManager.default.fileExists(atPath: output.path))
        }
    }

    /// A scorer that does not read shards is refused, rather than every shard scoring every row.
    func testAScorerWithoutShardingIsRefused() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder)
        let input = folder.appendingPathComponent("in.csv"), output = folder.appendingPathComponent("out.csv")
        try Support.write("id,x\na,1\nb,2\n", to: input)
        let outcome = Support.launch(["score", "--model", bundle.path, "--input", input.path, "--output", output.path,
                                      "--shard-index", "0", "--shard-count", "2"])
        XCTAssertEqual(outcome.status, 1)
        XCTAssertTrue(outcome.standardError.contains("the line-fit scorer cannot read a shard of its input"), outcome.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.path))
        let whole = Support.launch(["score", "--model", bundle.path, "--input", input.path, "--output", output.path,
                                    "--shard-index", "0", "--shard-count", "1"])
        XCTAssertEqual(whole.status, 0, whole.standardError)
    }

    func testVersionNamesKitAndBundleFormat() {
        let outcome = Support.launch(["--version"])
        XCTAssertEqual(outcome.status, 0)
        XCTAssertEqual(outcome.standardOutput,
                       "launcher \(SolutionKitInfo.version) (kit \(SolutionKitInfo.version), bundle format solutionkit-bundle \(BundleManifest.currentFormatVersion))\n")
    }
}
