import XCTest
@testable import SolutionKit

final class MarkdownReportTests: XCTestCase {
    func testBlocksAndEscaping() {
        var report = MarkdownReport(title: "Run <credit-risk>")
        report.addHeading("Metrics")
        report.addParagraph("Five folds, **mean** shown.")
        report.addTable(headers: ["metric", "value"],
                        rows: [["roc_auc", "0.7812"], ["a|b", "line1\nline2"], ["only one cell"], ["x", "y", "dropped"]],
                        alignRight: [1])
        report.addKeyValues([(key: "C", value: "1.0"), (key: "path\\name", value: "<b>")])
        report.addImage(path: "charts/roc curve.svg", altText: "ROC [test]")
        let expected = """
        # Run &lt;credit-risk&gt;

        ## Metrics

        Five folds, **mean** shown.

        | metric | value |
        | --- | ---: |
        | roc_auc | 0.7812 |
        | a\\|b | line1<br>line2 |
        | only one cell |  |
        | x | y |

        | key | value |
        | --- | --- |
        | C | 1.0 |
        | path\\\\name | &lt;b&gt; |

        ![ROC [test\\]](charts/roc%20curve.svg)

        """
        XCTAssertEqual(report.markdown, expected)
    }

    func testEveryTableRowHasTheHeaderColumnCount() {
        var report = MarkdownReport(title: "t")
        report.addTable(headers: ["a", "b", "c"], rows: [["|", "||", "\\|"], ["x\r\ny"]])
        let tableLines = report.markdown.split(separator: "\n").filter { $0.hasPrefix("|") }
        XCTAssertEqual(tableLines.count, 4)
        for line in tableLines {
            // Count unescaped pipes: a backslash before a pipe escapes it unless the backslash is itself escaped.
            var pipes = 0, previousBackslashes = 0
            for character in line {
                if character == "|" && previousBackslashes % 2 == 0 { pipes += 1 }
                previousBackslashes = character == "\\" ? previousBackslashes + 1 : 0
            }
            XCTAssertEqual(pipes, 4, String(line))
        }
    }
}
