import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// Parses SVG output with Foundation's XMLParser and collects what the report tests look at.
enum ReportsTestSupport {
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [String] = []
        var attributes: [[String: String]] = []
        var texts: [String] = []
        private var currentText = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String]) {
            elements.append(name)
            self.attributes.append(attributes)
            currentText = ""
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { currentText += string }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            if name == "text" { texts.append(currentText) }
            currentText = ""
        }
    }

    /// Parses `svg`, failing the test if it is not well-formed XML with an `<svg>` root.
    static func parse(_ svg: String, file: StaticString = #filePath, line: UInt = #line) -> Collector {
        let parser = XMLParser(data: Data(svg.utf8))
        let collector = Collector()
        parser.delegate = collector
        let ok = parser.parse()
        XCTAssertTrue(ok, "not well-formed XML: \(String(describing: parser.parserError))", file: file, line: line)
        XCTAssertEqual(collector.elements.first, "svg", file: file, line: line)
        XCTAssertFalse(svg.lowercased().contains("nan"), "a NaN leaked into the SVG", file: file, line: line)
        XCTAssertFalse(svg.contains("inf\""), "an infinity leaked into the SVG", file: file, line: line)
        return collector
    }

    static func count(_ element: String, in collector: Collector) -> Int {
        collector.elements.filter { $0 == element }.count
    }
}
