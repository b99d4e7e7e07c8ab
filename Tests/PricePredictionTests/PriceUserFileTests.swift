import Foundation
import PricePrediction
import SolutionKit
import XCTest

/// A user's own files (issue 12, item 4): pre-split files, a separate test file, categories only the test rows
/// have, text in a numeric column, and messages that name file lines.
final class PriceUserFileTests: XCTestCase {
    let plugin = PricePredictionPlugin()

    /// Homes with a price that follows sqft, rooms and city; ids 5k+1 (a file whose id % 5 == 0 rows were taken out).
    static func homes(count: Int, firstID: Int = 0, cities: [String] = ["north", "south", "east"]) -> [String] {
        var state: UInt64 = 88172645463325252
        func uniform() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        return (0..<count).map { i in
            let sqft = (50 + 250 * uniform()).rounded(), rooms = (1 + 5 * uniform()).rounded()
            let city = cities[Int(uniform() * Double(cities.count)) % cities.count]
            let price = 1000 * sqft + 5000 * rooms + (city == "north" ? 30000 : 0) + 4000 * (uniform() - 0.5)
            return "\((firstID + i) * 5 + 1),\(sqft),\(rooms),\(city),\(price.rounded())"
        }
    }
    static let header = "id,sqft,rooms,city,price"

    func write(_ name: String, _ lines: [String]) throws -> String {
        let url = try PriceTestSupport.temporaryFolder(self).appendingPathComponent(name)
        try PriceTestSupport.write(lines.joined(separator: "\n") + "\n", to: url)
        return url.path
    }

    func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func run(_ recipe: String, _ request: DataRequest, overrides: [String] = []) throws -> MetricReport {
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: recipe, overrides: overrides)
        let data = try plugin.load(request)
        let model = try plugin.train(configuration, on: data, context: RunContext(seed: 42))
        return try plugin.evaluate(model, on: data, context: RunContext(seed: 42))
    }

    func testAPreSplitFileTrainsWithTheRandomDefaultSplit() throws {
        let path = try write("pre-split.csv", [Self.header] + Self.homes(count: 300))
        let data = try plugin.load(.file(path, options: ["target": "price"]))
        XCTAssertEqual(data.trainingCount, 240)
        XCTAssertEqual(data.evaluationCount, 60)
        XCTAssertTrue(data.summary.contains("seeded random 20%"), data.summary)
        let report = try run("ridge", .file(path, options: ["target": "price"]))
        XCTAssertLessThan(report["rmse"]!, 10_000)
        // The id rule is still there, and on this file it says what to do.
        let error = message { try self.plugin.load(.file(path, options: ["target": "price", "split": "id"])) }
        XCTAssertTrue(error.hasPrefix("\(path): test rows: id % 5 == 0 leaves 0 test row(s) of 300"), error)
        XCTAssertTrue(error.contains("--test FILE") && error.contains("split=random"), error)
        // And the row rule: every fifth row.
        let byRow = try plugin.load(.file(path, options: ["target": "price", "split": "row"]))
        XCTAssertEqual(byRow.evaluationCount, 60)
    }

    func testACategoryOnlyTheTestFileHasNeverAbortsTheRun() throws {
        let train = try write("train.csv", [Self.header] + Self.homes(count: 200))
        var testRows = Self.homes(count: 40, firstID: 200)
        for i in [3, 17, 29] { testRows[i] = testRows[i].replacingOccurrences(of: ",north,", with: ",harbour,")
                                            .replacingOccurrences(of: ",south,", with: ",harbour,")
                                            .replacingOccurrences(of: ",east,", with: ",harbour,") }
        let test = try write("test.csv", [Self.header] + testRows)
        let request = DataRequest.file(train, options: ["target": "price"], testFile: test)
        for (recipe, overrides) in [("ridge", [String]()), ("mlp", ["epochs=20"])] {
            // The recipe's default policy is reject: the three rows are left out of the metrics and counted.
            let rejecting = try run(recipe, request, overrides: overrides)
            XCTAssertEqual(rejecting["unseen_category_rows"], 3, recipe)
            XCTAssertEqual(rejecting["rows_left_out"], 3, recipe)
            XCTAssertTrue(rejecting["rmse"]!.isFinite, recipe)
            let section = try XCTUnwrap(rejecting.sections.first { $0.title == "Evaluation rows with unseen categories" })
            XCTAssertTrue(section.markdown.contains("'city': 3 rows, e.g. 'harbour'"), section.markdown)
            // ignore: scored with the category treated as missing (an all-zero one-hot block).
            let ignoring = try run(recipe, request, overrides: overrides + ["unseen_categories=ignore"])
            XCTAssertEqual(ignoring["unseen_category_rows"], 3, recipe)
            XCTAssertEqual(ignoring["rows_left_out"], 0, recipe)
        }
        // gbdt (ignore by default) too, and a run without unseen categories reports no count.
        XCTAssertEqual(try run("gbdt", request, overrides: ["num_iterations=50"])["rows_left_out"], 0)
        XCTAssertNil(try run("ridge", .file(train, options: ["target": "price"]))["unseen_category_rows"])
    }

    func testOneTextCellInANumericColumnIsAnErrorNamingFileLineAndColumn() throws {
        var lines = [Self.header] + Self.homes(count: 100)
        lines[41] = lines[41].replacingOccurrences(of: ",", with: ",ca. ", range: lines[41].range(of: ","))
        let path = try write("homes.csv", lines)
        let error = message { try self.plugin.load(.file(path, options: ["target": "price"])) }
        XCTAssertTrue(error.hasPrefix("\(path), line 42, column 'sqft': 'ca. "), error)
        XCTAssertTrue(error.contains("1 of its 100 values, 1.0%, are not numbers"), error)
        // Declared categorical, it runs (as text); with bad_cells=missing it runs with the cell missing, and says so.
        XCTAssertEqual(try plugin.load(.file(path, options: ["target": "price", "types": "sqft:categorical"])).trainingCount, 80)
        let lenient = try plugin.load(.file(path, options: ["target": "price", "bad_cells": "missing"]))
        XCTAssertEqual(lenient.notes, ["\(path): column 'sqft': 1 cell that is not a number read as missing (first: line 42, "
                                       + "'\(lines[41].split(separator: ",")[1])')"])
        XCTAssertTrue(try run("ridge", .file(path, options: ["target": "price", "bad_cells": "missing"]))["rmse"]!.isFinite)
    }

    func testATestFileWithOtherColumnsIsAClearError() throws {
        let train = try write("train.csv", [Self.header] + Self.homes(count: 50))
        let test = try write("test.csv", ["id,area,rooms,city,price"] + Self.homes(count: 10))
        let error = message { try self.plugin.load(.file(train, options: ["target": "price"], testFile: test)) }
        XCTAssertEqual(error, "\(test): the test file lacks the column 'sqft' of the data file \(train) "
                       + "(the test file has: id, area, rooms, city, price)")
    }

    func testMessagesNameFileLinesNotRowIndices() throws {
        // A blank line before the fourth row: row index 3 is line 6 of the file.
        var lines = [Self.header] + Self.homes(count: 30)
        lines.insert("", at: 3)
        lines[5] = lines[5].split(separator: ",").dropLast().joined(separator: ",") + ","
        let path = try write("gaps.csv", lines)
        XCTAssertEqual(message { try self.plugin.load(.file(path, options: ["target": "price"])) },
                       "\(path), line 6: the target 'price' is missing")
        // log_target refuses a target of -1 or less, naming its line.
        var negative = [Self.header] + Self.homes(count: 30)
        negative[7] = negative[7].split(separator: ",").dropLast().joined(separator: ",") + ",-5"
        let negativePath = try write("negative.csv", negative)
        let error = message { try self.run("ridge", .file(negativePath, options: ["target": "price", "split": "row"]),
                                           overrides: ["log_target=true"]) }
        XCTAssertTrue(error.hasPrefix("\(negativePath), line 8: the target 'price' is -5.0"), error)
    }
}
