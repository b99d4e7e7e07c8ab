import Foundation
import SolutionKit
import XCTest

/// A configuration file cannot make the launcher spend seconds, memory or its stack: aliases, nesting and size
/// are bounded and the refusal is quick and short.
final class BoundedYAMLTests: XCTestCase {
    let plugin = DeclarationOnlyPlugin()

    /// The "billion laughs" of YAML: 9 levels of 9 aliases would expand to 9^9 values; about 500 bytes.
    static var aliasBomb: String {
        var text = "epochs: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        var previous = "a"
        for level in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(level): &\(level) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = level
        }
        return text + "learning_rate: *i\n"
    }

    private func refusal(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> (String, TimeInterval) {
        let start = Date()
        do {
            _ = try RecipeConfiguration.resolve(for: plugin, configurationText: yaml, configurationPath: "bomb.yaml")
            XCTFail("accepted", file: file, line: line)
            return ("", 0)
        } catch {
            return ("\(error)", Date().timeIntervalSince(start))
        }
    }

    func testAliasBombIsRefusedQuicklyWithAShortMessage() {
        XCTAssertLessThan(Self.aliasBomb.utf8.count, 600)
        // The best of 5: the bound is on the work, not on a shared machine's scheduling (or ASan's slowdown).
        var (message, seconds) = refusal(Self.aliasBomb)
        for _ in 0..<4 { seconds = min(seconds, refusal(Self.aliasBomb).1) }
        XCTAssertTrue(message.hasPrefix("bomb.yaml: refused: more than 10000 values once aliases are expanded"), message)
        XCTAssertLessThan(message.count, 200, message)
        XCTAssertLessThan(seconds, 0.1, "the bomb took \(seconds) s to refuse")
    }

    func testDeepNestingAndHugeFilesAreRefusedBeforeParsing() {
        let deep = "epochs: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
        let (nested, nestedSeconds) = refusal(deep)
        XCTAssertTrue(nested.contains("refused: the file has") || nested.contains("nested"), nested)
        XCTAssertLessThan(nestedSeconds, 0.1)
        let fits = "epochs: " + String(repeating: "[", count: 40) + String(repeating: "]", count: 40) + "\n"
        XCTAssertTrue(refusal(fits).0.contains("refused: collections nested 40 deep"), refusal(fits).0)
        let huge = String(repeating: "# padding\n", count: 30_000)
        XCTAssertTrue(refusal(huge).0.contains("refused: the file has 300000 bytes; a configuration may have at most 262144"))
        // Brackets in quotes and comments are not nesting.
        let quoted = "activation: \"" + String(repeating: "[", count: 50) + "\"  # " + String(repeating: "{", count: 50) + "\n"
        XCTAssertFalse(refusal(quoted).0.contains("refused"), refusal(quoted).0)
    }

    func testOrdinaryAliasesStillWork() throws {
        let yaml = "defaults: &d 80\nepochs: *d\n"
        let (message, _) = refusal(yaml)
        XCTAssertTrue(message.contains("unknown hyperparameter \"defaults\""), message)   // the alias itself resolved
        let configuration = try RecipeConfiguration.resolve(for: plugin, configurationText: "epochs: &e 80\n")
        XCTAssertEqual(configuration.values["epochs"], .integer(80))
    }
}

/// Printed messages are escaped and cut: a hostile cell cannot drive the terminal or print 69 KB lines.
final class MessageTextTests: XCTestCase {
    func testControlBytesAreEscapedAndLongLinesCutInTheMiddle() {
        XCTAssertEqual(MessageText.sanitized("bad \u{1B}[31mred\u{07} \u{202E}x\tend"), "bad \\u{1B}[31mred\\u{7} \\u{202E}x end")
        XCTAssertEqual(MessageText.sanitized(String(decoding: [0x61, 0xFF, 0x62], as: UTF8.self)), "a\\u{FFFD}b")
        let long = String(repeating: "a", count: 69_000) + "END"
        let cut = MessageText.sanitized("line 1: " + long)
        XCTAssertLessThanOrEqual(cut.count, MessageText.maximumLineLength + 40, cut)
        XCTAssertTrue(cut.hasPrefix("line 1: aaa"))
        XCTAssertTrue(cut.hasSuffix("aaaEND"), cut)
        XCTAssertTrue(cut.contains("characters cut"))
        XCTAssertEqual(MessageText.sanitized("two\nlines"), "two\nlines")
        let many = (1...100).map { "l\($0)" }.joined(separator: "\n")
        let kept = MessageText.sanitized(many).split(separator: "\n")
        XCTAssertEqual(kept.count, MessageText.maximumLines + 1)
        XCTAssertEqual(kept.last, "… (40 more lines cut)")
        XCTAssertEqual(MessageText.excerpt("short"), "short")
    }
}

/// JSON has no inf or NaN: such metrics are written as null, read back as NaN, and named in a note.
final class NonFiniteMetricTests: XCTestCase {
    func testNonFiniteMetricsRoundTripAsNullWithANote() throws {
        let report = MetricReport(values: [.init(name: "rmse", value: .infinity), .init(name: "r2", value: -.nan),
                                           .init(name: "mae", value: 2.5)], primary: "rmse")
        let data = try JSONValue.encoder().encode(report.values)
        let text = String(decoding: data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"value\" : null"), text)
        XCTAssertFalse(text.contains("inf") || text.contains("nan"), text)
        let decoded = try JSONDecoder().decode([MetricReport.Value].self, from: data)
        XCTAssertTrue(decoded[0].value.isNaN && decoded[1].value.isNaN)
        XCTAssertEqual(decoded[2].value, 2.5)
        XCTAssertEqual(decoded, [.init(name: "rmse", value: .nan), .init(name: "r2", value: .nan), .init(name: "mae", value: 2.5)])
        XCTAssertEqual(report.nonFiniteNote, "rmse, r2 are not finite (the values overflow Double, or there are too few rows "
                       + "or too little spread to compute them); metrics.json records them as null")
        XCTAssertNil(MetricReport(values: [.init(name: "mae", value: 1)], primary: "mae").nonFiniteNote)
    }
}

/// Chart axes over huge values (1e300 targets) label without trapping on an Int conversion.
final class HugeValueChartTests: XCTestCase {
    func testScalesAndHistogramsOverHugeRanges() {
        let scale = NiceScale(lower: -1e300, upper: 1e300)
        for tick in scale.ticks { XCTAssertFalse(scale.label(tick).isEmpty) }
        let widest = NiceScale(lower: -Double.greatestFiniteMagnitude, upper: Double.greatestFiniteMagnitude)
        XCTAssertTrue(widest.step.isFinite)
        for tick in widest.ticks { _ = widest.label(tick) }
    }
}
