import Foundation

/// Something the kit draws as a standalone SVG document.
public protocol SVGChart: Sendable {
    /// The complete SVG document, with an XML declaration, ready to write to a `.svg` file.
    func svg() -> String
}

extension SVGChart {
    /// Writes the chart to `path` atomically (a temporary file renamed on success).
    public func write(toFile path: String) throws {
        try OutputSink.write(svg(), atomicallyTo: path)
    }
}

/// Appends SVG elements to a string, escaping text and formatting coordinates compactly.
///
/// Deliberately tiny: charts need rectangles, lines, paths, circles and text, nothing more, and a string
/// builder keeps rendering dependency-free and fast for thousands of points.
struct SVGCanvas {
    let width: Double
    let height: Double
    private(set) var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
        body.reserveCapacity(16_384)
        rect(x: 0, y: 0, width: width, height: height, fill: "#ffffff")
    }

    /// What an element is to a reader of the chart. The HTML report and its browser test find a chart's title,
    /// axis labels and data marks by these classes, whatever kind of chart it is.
    enum Role: String {
        case title = "chart-title"
        case axisLabel = "axis-label"
        case mark
    }

    private static func classAttribute(_ role: Role?) -> String {
        role.map { " class=\"\($0.rawValue)\"" } ?? ""
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                       stroke: String? = nil, opacity: Double? = nil, role: Role? = nil) {
        body += "<rect\(Self.classAttribute(role)) x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, width)))\" height=\"\(n(max(0, height)))\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\"" }
        if let opacity { body += " fill-opacity=\"\(n(opacity))\"" }
        body += "/>\n"
    }

    mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1,
                       dashed: Bool = false) {
        body += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
        if dashed { body += " stroke-dasharray=\"4 4\"" }
        body += "/>\n"
    }

    /// A polyline path; `segments` are runs of points drawn connected (a gap between runs is not drawn).
    mutating func path(segments: [[(Double, Double)]], stroke: String, width: Double = 2, role: Role? = .mark) {
        var d = ""
        for segment in segments where !segment.isEmpty {
            d += "M\(n(segment[0].0)),\(n(segment[0].1))"
            for point in segment.dropFirst() { d += "L\(n(point.0)),\(n(point.1))" }
        }
        guard !d.isEmpty else { return }
        body += "<path\(Self.classAttribute(role)) d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\" stroke-linejoin=\"round\"/>\n"
    }

    mutating func circle(x: Double, y: Double, radius: Double, fill: String, opacity: Double = 1, role: Role? = .mark) {
        body += "<circle\(Self.classAttribute(role)) cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(radius))\" fill=\"\(fill)\" fill-opacity=\"\(n(opacity))\"/>\n"
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ string: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start,
                       bold: Bool = false, rotation: Double? = nil, fill: String = "#222222", role: Role? = nil) {
        body += "<text\(Self.classAttribute(role)) x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" text-anchor=\"\(anchor.rawValue)\" fill=\"\(fill)\""
        if bold { body += " font-weight=\"bold\"" }
        if let rotation { body += " transform=\"rotate(\(n(rotation)) \(n(x)) \(n(y)))\"" }
        body += ">\(SVGCanvas.escape(string))</text>\n"
    }

    /// The SVG document. `hasAxes` false marks a chart with no axis labels to look for (an image grid).
    func document(hasAxes: Bool = true) -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
            + "viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"Helvetica, Arial, sans-serif\""
            + (hasAxes ? "" : " data-axes=\"none\"") + ">\n"
            + body + "</svg>\n"
    }

    /// An embedded raster image (a data URI: nothing is fetched), drawn pixel-sharp.
    mutating func image(x: Double, y: Double, width: Double, height: Double, dataURI: String, role: Role? = .mark) {
        body += "<image\(Self.classAttribute(role)) x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(width))\" height=\"\(n(height))\" "
            + "preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"\(dataURI)\"/>\n"
    }

    /// Escapes the five XML special characters and drops control characters XML 1.0 forbids.
    static func escape(_ string: String) -> String {
        var result = ""
        result.reserveCapacity(string.utf8.count)
        for scalar in string.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(" ")
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A coordinate with at most two decimals and no trailing zeros.
    private func n(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(rounded)
    }
}

/// The series colours: a colour-blind-safe palette (Okabe–Ito), cycled.
enum ChartPalette {
    static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
    static func color(_ index: Int) -> String { colors[index % colors.count] }
}
