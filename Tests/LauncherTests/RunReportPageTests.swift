import Foundation
@testable import LauncherKit
import SolutionKit
import XCTest

private typealias Support = LauncherTestSupport

/// `report.html` of a run and of an evaluation: one page with everything, loading nothing.
final class RunReportPageTests: XCTestCase {
    func testRunAndEvaluateWriteASelfContainedPage() throws {
        let folder = try Support.temporaryFolder(self)
        let bundle = try Support.trainedBundle(in: folder, extra: ["--recipe", "sgd", "--set", "epochs=7"])
        let run = bundle.deletingLastPathComponent()
        let html = try Support.read(run.appendingPathComponent("report.html"))
        for heading in ["Summary", "Metrics", "Charts", "Hyperparameters", "Training history", "Data"] {
            XCTAssertTrue(html.contains(">\(heading)</h2>"), "section \(heading)")
        }
        XCTAssertTrue(html.contains("<tr class=\"em\"><td>epochs</td><td>7</td><td>60</td></tr>"), "a changed value stands out")
        XCTAssertTrue(html.contains("rmse (primary)"))
        XCTAssertTrue(html.contains("data-chart=\"residuals\""))
        XCTAssertFalse(html.contains("<script") || html.contains("src=\"http"))
        let metrics = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: run.appendingPathComponent("metrics.json")))
        XCTAssertEqual(metrics["kind"]?.stringValue, "run")
        XCTAssertEqual(metrics["bundle"]?.stringValue, "bundle")
        XCTAssertEqual(metrics["kitVersion"]?.stringValue, SolutionKitInfo.version)
        XCTAssertEqual(metrics["higherIsBetter"], .array([.string("r2")]))
        XCTAssertNotNil(metrics["fingerprint"]?.stringValue)

        let evaluation = Support.launch(["evaluate", "--model", bundle.path, "--dataset", "sample", "--quiet"])
        XCTAssertEqual(evaluation.status, 0, evaluation.standardError)
        let path = try XCTUnwrap(evaluation.standardOutput.split(separator: "\n").last?.split(separator: " ").last.map(String.init))
        XCTAssertTrue(path.hasSuffix("-sgd-evaluate"), path)
        let page = try Support.read(URL(fileURLWithPath: path).appendingPathComponent("report.html"))
        XCTAssertTrue(page.contains("(evaluation)") && page.contains(bundle.standardizedFileURL.path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: URL(fileURLWithPath: path).appendingPathComponent("bundle").path),
                       "an evaluation points at the bundle it measured instead of copying it")
    }
}
