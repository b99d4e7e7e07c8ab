/// Field quoting for scored output, shared by every scorer: CSV fields quoted only where RFC 4180 needs it,
/// JSON strings escaped per RFC 8259. The byte-level forms append to a buffer on hot paths; the String forms
/// serve scorers that build a line at a time.
public enum OutputText {
    /// `text` as one CSV field: quoted (with doubled quotes) when it holds a comma, a quote or a line break.
    public static func csvField(_ text: String) -> String {
        var bytes: [UInt8] = []
        CSVText.appendField(Array(text.utf8), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` as a JSON string literal, quotes included.
    public static func jsonString(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONText.appendString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` as one CSV field, appended to `bytes`.
    public static func appendCSVField(_ text: String, to bytes: inout [UInt8]) {
        CSVText.appendField(text.utf8, to: &bytes)
    }

    /// `text` as a JSON string literal, appended to `bytes`.
    public static func appendJSONString(_ text: String, to bytes: inout [UInt8]) {
        JSONText.appendString(text, to: &bytes)
    }
}
