import Foundation
import GRDB
@testable import LauncherKit
import SolutionKit
import XCTest

private typealias Support = LauncherTestSupport

/// The run index: kept up to date by run and evaluate, rebuilt from the folders, robust to a lost or broken
/// database, shared by processes finishing at once, and feeding `runs best` into `score`.
final class RunIndexTests: XCTestCase {
    private func index(_ root: URL, warnings: inout [String]) throws -> RunIndex {
        let box = WarningBox()
        let index = try RunIndex(root: root.path, directions: Support.registry().higherIsBetter, warn: { box.lines.append($0) })
        warnings += box.lines
        return index
    }

    private final class WarningBox { var lines: [String] = [] }

    /// Three runs and an evaluation, recorded one by one as the commands finish.
    private func makeRuns(in folder: URL) throws -> URL {
        let runs = folder.appendingPathComponent("runs")
        for (seed, recipe) in [("1", "sgd"), ("2", "sgd"), ("3", "exact")] {
            let outcome = Support.launch(["run", "line-fit", "--out", runs.path, "--seed", seed, "--recipe", recipe,
                                          "--set", recipe == "sgd" ? "epochs=\(10 * Int(seed)!)" : "l2=0.5", "--quiet"])
            XCTAssertEqual(outcome.status, 0, outcome.standardError)
        }
        let bundle = try Support.trainedBundle(in: folder, extra: ["--seed", "4"])
        let evaluation = Support.launch(["evaluate", "--model", bundle.path, "--dataset", "sample", "--quiet"])
        XCTAssertEqual(evaluation.status, 0, evaluation.standardError)
        XCTAssertTrue(evaluation.standardOutput.contains("evaluation folder: \(runs.path)/line-fit/"), evaluation.standardOutput)
        return runs
    }

    func testRebuildRecreatesTheIncrementalIndexExactly() throws {
        let runs = try makeRuns(in: try Support.temporaryFolder(self))
        var warnings: [String] = []
        let incremental = try index(runs, warnings: &warnings).canonicalDump()
        XCTAssertEqual(incremental.components(separatedBy: "\n").filter { $0.hasPrefix("run ") }.count, 5)
        XCTAssertTrue(incremental.contains("kind=\"evaluate\""), incremental)

        let outcome = Support.launch(["runs", "--rebuild", "--runs-folder", runs.path])
        XCTAssertEqual(outcome.status, 0, outcome.standardError)
        XCTAssertTrue(outcome.standardError.contains("rebuilt"), outcome.standardError)
        let rebuilt = try index(runs, warnings: &warnings).canonicalDump()
        XCTAssertEqual(rebuilt, incremental)
        XCTAssertEqual(warnings, [])
    }

    func testCorruptOrMissingDatabaseIsRebuiltWithAWarning() throws {
        let runs = try makeRuns(in: try Support.temporaryFolder(self))
        var warnings: [String] = []
        let expected = try index(runs, warnings: &warnings).canonicalDump()
        let database = runs.appendingPathComponent(RunIndex.fileName)

        // Garbage where the database was (and a stale WAL beside it).
        try Data(repeating: 0x5A, count: 8192).write(to: database)
        try Data("not a wal".utf8).write(to: URL(fileURLWithPath: database.path + "-wal"))
        let corrupt = Support.launch(["runs", "--runs-folder", runs.path])
        XCTAssertEqual(corrupt.status, 0, corrupt.standardError)
        XCTAssertTrue(corrupt.standardError.contains("warning: the run index") && corrupt.standardError.contains("rebuilt"),
                      corrupt.standardError)
        XCTAssertTrue(corrupt.standardOutput.contains("5 runs"), corrupt.standardOutput)
        XCTAssertEqual(try index(runs, warnings: &warnings).canonicalDump(), expected)

        // A database cut short: the first page kept, the rest lost.
        let bytes = try Data(contentsOf: database)
        try bytes.prefix(1024).write(to: database)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) }
        let truncated = Support.launch(["runs", "--runs-folder", runs.path, "--format", "json"])
        XCTAssertEqual(truncated.status, 0, truncated.standardError)
        XCTAssertTrue(truncated.standardError.contains("warning:"), truncated.standardError)
        XCTAssertEqual(try index(runs, warnings: &warnings).canonicalDump(), expected)

        // No database at all: the next run builds it from every folder, not just its own.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database.path + suffix) }
        let run = Support.launch(["run", "line-fit", "--out", runs.path, "--seed", "9", "--quiet"])
        XCTAssertEqual(run.status, 0, run.standardError)
        XCTAssertTrue(run.standardError.contains("warning: no run index"), run.standardError)
        let listed = Support.launch(["runs", "--runs-folder", runs.path, "--format", "csv"])
        XCTAssertEqual(listed.standardOutput.split(separator: "\n").count, 1 + 6, listed.standardOutput)
    }

    func testListFiltersSortsAndFormats() throws {
        let runs = try makeRuns(in: try Support.temporaryFolder(self))
        let sorted = Support.launch(["runs", "--runs-folder", runs.path, "--sort", "rmse", "--format", "json"])
        XCTAssertEqual(sorted.status, 0, sorted.standardError)
        let list = try JSONDecoder().decode([JSONValue].self, from: Data(sorted.standardOutput.utf8))
        XCTAssertEqual(list.count, 5)
        let rmse = list.compactMap { $0["metrics"]?["rmse"]?.numberValue }
        XCTAssertEqual(rmse, rmse.sorted(), "rmse is lower-is-better: best first")
        XCTAssertEqual(list.first?["plugin"]?.stringValue, "line-fit")

        let table = Support.launch(["runs", "--runs-folder", runs.path, "--plugin", "line-fit", "--dataset", "sample"])
        XCTAssertTrue(table.standardOutput.contains("rmse") && table.standardOutput.contains("5 runs"), table.standardOutput)
        let nowhere = Support.launch(["runs", "--runs-folder", runs.appendingPathComponent("missing").path])
        XCTAssertEqual(nowhere.status, 0)
        XCTAssertTrue(nowhere.standardOutput.hasPrefix("No runs"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: runs.appendingPathComponent("missing").path), "nothing created")
        let none = Support.launch(["runs", "--runs-folder", runs.path, "--plugin", "nothing"])
        XCTAssertEqual(none.standardOutput, "No runs.\n")
        let badSort = Support.launch(["runs", "--runs-folder", runs.path, "--sort", "accuracy"])
        XCTAssertEqual(badSort.status, 1)
        XCTAssertTrue(badSort.standardError.contains("rmse"), badSort.standardError)

        // A deleted folder leaves the index at the next listing.
        let ids = list.compactMap { $0["id"]?.stringValue }
        try FileManager.default.removeItem(at: runs.appendingPathComponent(ids[0]))
        let after = Support.launch(["runs", "--runs-folder", runs.path])
        XCTAssertTrue(after.standardOutput.contains("4 runs"), after.standardOutput)
        XCTAssertTrue(after.standardError.contains("no longer exist"), after.standardError)
    }

    func testBestFeedsScoreAndCompareWritesAPage() throws {
        let folder = try Support.temporaryFolder(self)
        let runs = try makeRuns(in: folder)
        let best = Support.launch(["runs", "best", "--plugin", "line-fit", "--dataset", "sample", "--runs-folder", runs.path])
        XCTAssertEqual(best.status, 0, best.standardError)
        XCTAssertEqual(best.standardOutput.filter { $0 == "\n" }.count, 1, "only the path, on one line: \(best.standardOutput)")
        let bundle = best.standardOutput.trimmingCharacters(in: .newlines)

        let input = folder.appendingPathComponent("points.csv"), output = folder.appendingPathComponent("scored.csv")
        try Support.write(Support.pointsCSV(count: 7), to: input)
        let scored = Support.launch(["score", "--model", bundle, "--input", input.path, "--output", output.path, "--quiet"])
        XCTAssertEqual(scored.status, 0, scored.standardError)
        XCTAssertEqual(try Support.read(output).split(separator: "\n").count, 1 + 7)

        // It is the run with the lowest rmse.
        let listed = Support.launch(["runs", "--runs-folder", runs.path, "--sort", "rmse", "--format", "json"])
        let first = try JSONDecoder().decode([JSONValue].self, from: Data(listed.standardOutput.utf8)).first
        XCTAssertEqual(first?["bundle"]?.stringValue.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                       URL(fileURLWithPath: bundle).standardizedFileURL.path)

        let missing = Support.launch(["runs", "best", "--plugin", "line-fit", "--dataset", "elsewhere", "--runs-folder", runs.path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.standardOutput, "")

        let sgd = try JSONDecoder().decode([JSONValue].self, from: Data(listed.standardOutput.utf8))
            .filter { $0["recipe"]?.stringValue == "sgd" && $0["kind"]?.stringValue == "run" }.compactMap { $0["id"]?.stringValue }.sorted()
        XCTAssertEqual(sgd.count, 2, listed.standardOutput)
        let page = folder.appendingPathComponent("compare.html")
        let compare = Support.launch(["runs", "compare", sgd[0], sgd[1], "--runs-folder", runs.path, "--html", page.path])
        XCTAssertEqual(compare.status, 0, compare.standardError)
        XCTAssertTrue(compare.standardOutput.contains("B − A"), compare.standardOutput)
        let epochs = compare.standardOutput.split(separator: "\n").first { $0.hasPrefix("epochs ") }
        XCTAssertEqual(epochs?.split(separator: " ").map(String.init), ["epochs", "10", "20"], compare.standardOutput)
        let html = try Support.read(page)
        XCTAssertTrue(html.contains("A and B overlaid"), "the training curves of both runs in one chart")
        XCTAssertFalse(html.contains("<script"))
    }

    /// Two launcher processes whose runs finish while a third holds the index's write lock: both wait for the
    /// lock (busy timeout) and both land, with no warning.
    func testTwoRunsFinishingAtOnceBothLand() throws {
        let launcher = try Support.launcherExecutable()
        let folder = try Support.temporaryFolder(self)
        let runs = folder.appendingPathComponent("runs")
        // Create the index (and its WAL) first, then hold its write lock.
        var warnings: [String] = []
        _ = try index(runs, warnings: &warnings)
        let lock = try RunIndex.open(runs.appendingPathComponent(RunIndex.fileName).path)
        let processes = try lock.writeWithoutTransaction { db -> [(Process, Pipe)] in
            try db.execute(sql: "BEGIN IMMEDIATE")
            let started = (0..<2).map { i -> (Process, Pipe) in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: launcher)
                process.arguments = ["run", "price-prediction", "--recipe", "ridge", "--seed", "\(i + 1)", "--out", runs.path,
                                     "--quiet", "--threads", "1"]
                process.currentDirectoryURL = Support.packageRoot
                let errors = Pipe()
                process.standardError = errors
                process.standardOutput = FileHandle.nullDevice
                try! process.run()
                return (process, errors)
            }
            // Hold the lock until both run folders are in place, so both processes are waiting on it.
            let deadline = Date().addingTimeInterval(120)
            while RunIndex.runFolderIDs(under: runs.path).count < 2 && Date() < deadline { usleep(50_000) }
            usleep(300_000)
            try db.execute(sql: "COMMIT")
            return started
        }
        for (process, errors) in processes {
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, text)
            XCTAssertFalse(text.contains("warning"), text)
        }
        let records = try index(runs, warnings: &warnings).records()
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(Set(records.map(\.seed)), [1, 2])
        XCTAssertEqual(warnings, [])
    }
}
