import Foundation
import LauncherKit
import SolutionKit

/// The body of a scoring answer, built from the scorer's own output bytes, which it never re-formats: the
/// envelope's `rows` are the JSON lines `launcher score --format jsonl` writes, one element per line, verbatim.
enum ScoreAnswer {
    static func body(_ scored: ScoredBytes, request: ScoreRequest, model: String) throws -> (bytes: [UInt8], contentType: String) {
        switch request.answer {
        case .csv: return (scored.output, "text/csv; charset=utf-8")
        case .jsonLines: return (scored.output, "application/x-ndjson")
        case .envelope: return (try envelope(scored, request: request, model: model), "application/json")
        }
    }

    private static func envelope(_ scored: ScoredBytes, request: ScoreRequest, model: String) throws -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(scored.output.count + scored.rejects.count + 256)
        text += Array(#"{"model":"#.utf8)
        OutputText.appendJSONString(model, to: &text)
        let summary = scored.summary
        text += Array(#","rows_read":\#(summary.rowsRead),"rows_scored":\#(summary.rowsScored),"rows_rejected":\#(summary.rowsRejected),"rows":["#.utf8)
        var first = true
        var start = 0
        let output = scored.output
        while start < output.count {
            let end = output[start...].firstIndex(of: 10) ?? output.count
            if end > start {
                if !first { text.append(UInt8(ascii: ",")) }
                first = false
                text += output[start..<end]
            }
            start = end + 1
        }
        text += Array(#"],"rejects":["#.utf8)
        try appendRejects(scored.rejects, request: request, to: &text)
        text += Array(#"],"notes":["#.utf8)
        for (index, note) in summary.notes.enumerated() {
            if index > 0 { text.append(UInt8(ascii: ",")) }
            OutputText.appendJSONString(note, to: &text)
        }
        text += Array("]}\n".utf8)
        return text
    }

    /// The rejects CSV (`line,reason`, or the plugin's own columns) as objects named by its header; `line` as a
    /// number, plus `row` (0-based in the request) for JSON rows.
    private static func appendRejects(_ rejects: [UInt8], request: ScoreRequest, to text: inout [UInt8]) throws {
        guard rejects.contains(10), rejects.firstIndex(of: 10)! + 1 < rejects.count else { return }
        let reader = try CSVRecordReader(MemoryByteSource(rejects, name: "rejects"), options: CSVOptions())
        let names = reader.columnNames
        var first = true
        while let batch = try reader.nextBatch() {
            for record in 0..<batch.count {
                if !first { text.append(UInt8(ascii: ",")) }
                first = false
                text.append(UInt8(ascii: "{"))
                for field in 0..<min(names.count, batch.fieldCount(of: record)) {
                    if field > 0 { text.append(UInt8(ascii: ",")) }
                    OutputText.appendJSONString(names[field], to: &text)
                    text.append(UInt8(ascii: ":"))
                    let value = batch.string(field, of: record)
                    if names[field] == "line", let line = Int(value) {
                        text += Array(String(line).utf8)
                        if request.jsonRowCount != nil {
                            text += Array(#","row":\#(JSONRows.row(ofLine: line))"#.utf8)
                        }
                    } else {
                        OutputText.appendJSONString(value, to: &text)
                    }
                }
                text.append(UInt8(ascii: "}"))
            }
        }
    }
}
