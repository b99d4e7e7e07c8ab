@testable import CreditRisk
import Foundation
import SolutionKit
import XCTest

/// A user's own applicant files (issue 12, item 4): pre-split files, a separate test file, categories only the test
/// rows have, and messages that name file lines.
final class CreditUserFileTests: XCTestCase {
    let plugin = CreditRiskPlugin()

    /// The synthetic applicants with integer ids 5k+1: a training file whose id % 5 == 0 rows were held out.
    func preSplitRows(count: Int = 400) -> [String] {
        SyntheticCredit.rows(count: count).enumerated().map { i, row in
            "\(i * 5 + 1)" + row.drop(while: { $0 != "," })
        }
    }

    func write(_ name: String, _ lines: [String]) throws -> String {
        let url = try CreditTestSupport.temporaryFolder(self).appendingPathComponent(name)
        try CreditTestSupport.write(lines.joined(separator: "\n") + "\n", to: url)
        return url.path
    }

    func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    func testAPreSplitFileTrainsWithTheRandomDefaultSplit() throws {
        let rows = preSplitRows()
        let path = try write("pre-split.csv", [SyntheticCredit.header] + rows)
        let data = try CreditDataset.cast(try plugin.load(.file(path, options: ["target": "bad"])))
        XCTAssertEqual(data.trainingCount, 320)
        XCTAssertEqual(data.evaluationCount, 80)
        XCTAssertTrue(data.splitDescription.contains("seeded random 20%") && data.splitDescription.contains("stratified"),
                      data.splitDescription)
        let bads = data.bad.filter { $0 }.count, testBads = data.split.test.filter { data.bad[$0] }.count
        XCTAssertEqual(Double(testBads), Double(bads) * 0.2, accuracy: 1, "stratified by outcome")
        XCTAssertGreaterThan(try CreditTestSupport.run("logistic", .file(path, options: ["target": "bad"]))["roc_auc"]!, 0.6)
        // The id rule (Give Me Some Credit's PROTOCOL) is still available, and says what to do on this file.
        let error = message { try self.plugin.load(.file(path, options: ["target": "bad", "split": "id"])) }
        XCTAssertTrue(error.hasPrefix("\(path): test rows: id % 5 == 0 leaves 0 test row(s) of 400"), error)
        XCTAssertTrue(error.contains("--test FILE"), error)
        // An unnamed first column is the id too (as in Give Me Some Credit's files).
        let unnamed = try write("unnamed.csv", [String(SyntheticCredit.header.dropFirst(2))] + rows)
        XCTAssertEqual(try plugin.load(.file(unnamed, options: ["target": "bad"])).trainingCount, 320)
    }

    func testAGermanFormatFileIsSplitAtRandomAndTakesATestFile() throws {
        let lines = try String(contentsOfFile: CreditTestSupport.germanSample, encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let train = try write("applicants.data", Array(lines[..<800]))
        let test = try write("holdout.data", Array(lines[800...]))
        let random = try CreditDataset.cast(try plugin.load(.file(train)))
        XCTAssertEqual(random.evaluationCount, 160)
        XCTAssertNotEqual(random.split, TrainTestSplit.byRowIndex(rowCount: 800))
        let byRow = try CreditDataset.cast(try plugin.load(.file(train, options: ["split": "row", "fold": "1"])))
        XCTAssertEqual(byRow.split, TrainTestSplit.byRowIndex(rowCount: 800, modulus: 5, remainder: 1))
        let withTest = try CreditDataset.cast(try plugin.load(.file(train, testFile: test)))
        XCTAssertEqual(withTest.split.train, Array(0..<800))
        XCTAssertEqual(withTest.split.test, Array(800..<1000))
        XCTAssertEqual(withTest.features.location(ofRow: 850).description, "\(test), line 51")
        XCTAssertGreaterThan(try CreditTestSupport.run("scorecard", .file(train, testFile: test))["roc_auc"]!, 0.7)
        // The named datasets keep their PROTOCOL folds.
        XCTAssertEqual(try CreditDataset.cast(try plugin.load(.dataset("sample", options: ["fold": "3"]))).split,
                       TrainTestSplit.byRowIndex(rowCount: 1000, modulus: 5, remainder: 3))
    }

    func testACategoryOnlyTheTestFileHasNeverAbortsTheRun() throws {
        let rows = SyntheticCredit.rows(count: 400)
        let train = try write("train.csv", [SyntheticCredit.header] + Array(rows[..<320]))
        var held = Array(rows[320...])
        for i in [2, 11, 40, 63] {
            var fields = held[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[3] = "yacht"
            held[i] = fields.joined(separator: ",")
        }
        let test = try write("test.csv", [SyntheticCredit.header] + held)
        let request = DataRequest.file(train, options: ["target": "bad"], testFile: test)
        for recipe in ["scorecard", "logistic", "gbdt", "mlp"] {
            let rejecting = try CreditTestSupport.run(recipe, request)
            XCTAssertEqual(rejecting["unseen_category_rows"], 4, recipe)
            XCTAssertEqual(rejecting["rows_left_out"], 4, recipe)
            XCTAssertTrue(rejecting["roc_auc"]!.isFinite, recipe)
            XCTAssertTrue(rejecting.sections.contains { $0.markdown.contains("'purpose': 4 rows, e.g. 'yacht'") }, recipe)
            let ignoring = try CreditTestSupport.run(recipe, request, overrides: ["unseen_categories=ignore"])
            XCTAssertEqual(ignoring["unseen_category_rows"], 4, recipe)
            XCTAssertEqual(ignoring["rows_left_out"], 0, recipe)
            XCTAssertTrue(ignoring["roc_auc"]!.isFinite, recipe)
        }
    }

    func testATestFileWithOtherColumnsIsAClearError() throws {
        let train = try write("train.csv", [SyntheticCredit.header] + SyntheticCredit.rows(count: 100))
        let test = try write("test.csv", ["id,income,age,purpose,bad"] + SyntheticCredit.rows(count: 20).map {
            $0.split(separator: ",").enumerated().filter { $0.offset != 4 }.map { String($0.element) }.joined(separator: ",")
        })
        XCTAssertEqual(message { try self.plugin.load(.file(train, options: ["target": "bad"], testFile: test)) },
                       "\(test): the test file lacks the column 'housing' of the data file \(train) "
                       + "(the test file has: id, income, age, purpose, bad)")
    }

    func testMessagesNameFileLinesNotRowIndices() throws {
        var lines = [SyntheticCredit.header] + SyntheticCredit.rows(count: 50)
        lines.insert("", at: 2)
        lines[10] = lines[10].split(separator: ",").dropLast().joined(separator: ",") + ","
        let path = try write("gaps.csv", lines)
        // Data row 8 (index) is line 11: the header, the blank line 3 and nine rows before it.
        XCTAssertEqual(message { try self.plugin.load(.file(path, options: ["target": "bad"])) },
                       "\(path), line 11: the outcome 'bad' is missing")
        var text = [SyntheticCredit.header] + SyntheticCredit.rows(count: 50)
        text[30] = text[30].replacingOccurrences(of: ",own,", with: ",own,x").replacingOccurrences(of: ",rent,", with: ",rent,x")
            .replacingOccurrences(of: ",free,", with: ",free,x")
        let third = try write("third.csv", text)
        let thirdError = message { try self.plugin.load(.file(third, options: ["target": "bad"])) }
        // A text outcome in a 0/1 column: the numeric-with-bad-cells rule names it.
        XCTAssertTrue(thirdError.hasPrefix("\(third), line 31, column 'bad': 'x"), thirdError)
    }
}
