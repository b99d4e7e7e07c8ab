import Foundation
import SolutionKit

/// A `{"rows": [{...}, ...]}` body turned into the CSV text `launcher score` reads, so JSON rows go through
/// the very same scorer as a CSV file.
///
/// The header is every key in order of first appearance; a row without a key gets an empty field (a missing
/// value, as in CSV). Numbers keep their text exactly as sent (`1.50` stays `1.50`), booleans become
/// `true`/`false`, null an empty field. Nested values and line breaks inside a value are refused: each row
/// must stay on its own CSV line, so that line `n + 2` of the CSV is row `n` of the request.
struct JSONRows {
    /// The CSV text: a header line, then one line per row.
    var csv: [UInt8]
    var rowCount: Int

    /// The 0-based request row of a 1-based CSV line (the header is line 1).
    static func row(ofLine line: Int) -> Int { line - 2 }

    static func csv(from body: [UInt8], maximumRows: Int) throws -> JSONRows {
        var columns: [String] = []
        var columnIndex: [String: Int] = [:]
        var rows: [[Int: String]] = []
        do {
            try body.withUnsafeBufferPointer { bytes in
                var reader = JSONByteReader(bytes: bytes, maxDepth: 8)
                try reader.beginObject()
                var sawRows = false
                while let key = try reader.nextKey() {
                    guard key == "rows" else {
                        throw RequestProblem.malformedBody("unknown key \"\(key)\"; the body is {\"rows\": [{...}, ...]}")
                    }
                    sawRows = true
                    try reader.beginArray()
                    while try reader.nextElement() {
                        guard rows.count < maximumRows else { throw RequestProblem.tooManyRows(limit: maximumRows) }
                        let rowNumber = rows.count
                        guard reader.peek() == UInt8(ascii: "{") else {
                            throw RequestProblem.malformedBody("rows[\(rowNumber)] is not an object")
                        }
                        var row: [Int: String] = [:]
                        try reader.beginObject()
                        while let name = try reader.nextKey() {
                            guard !name.contains(where: \.isNewline) else {
                                throw RequestProblem.malformedBody("rows[\(rowNumber)]: a key with a line break")
                            }
                            let value = try Self.fieldText(&reader, row: rowNumber, key: name)
                            let index: Int
                            if let known = columnIndex[name] {
                                index = known
                            } else {
                                index = columns.count
                                columns.append(name)
                                columnIndex[name] = index
                            }
                            guard row[index] == nil else {
                                throw RequestProblem.malformedBody("rows[\(rowNumber)]: the key \"\(name)\" appears twice")
                            }
                            row[index] = value
                        }
                        rows.append(row)
                    }
                }
                try reader.expectEnd()
                guard sawRows else { throw RequestProblem.malformedBody("no \"rows\" key; the body is {\"rows\": [{...}, ...]}") }
            }
        } catch let error as JSONReadError {
            throw RequestProblem.malformedBody("not valid JSON: \(error)")
        }
        guard !rows.isEmpty else { throw RequestProblem.malformedBody("\"rows\" is empty") }
        guard !columns.isEmpty else { throw RequestProblem.malformedBody("every row is empty; a row names the model's input columns") }

        var csv: [UInt8] = []
        csv.reserveCapacity(body.count + 64)
        for (index, name) in columns.enumerated() {
            if index > 0 { csv.append(UInt8(ascii: ",")) }
            OutputText.appendCSVField(name, to: &csv)
        }
        csv.append(UInt8(ascii: "\n"))
        for row in rows {
            for index in columns.indices {
                if index > 0 { csv.append(UInt8(ascii: ",")) }
                if let value = row[index] { OutputText.appendCSVField(value, to: &csv) }
            }
            csv.append(UInt8(ascii: "\n"))
        }
        return JSONRows(csv: csv, rowCount: rows.count)
    }

    private static func fieldText(_ reader: inout JSONByteReader, row: Int, key: String) throws -> String? {
        switch reader.peek() {
        case UInt8(ascii: "\""):
            let text = try reader.readString()
            guard !text.contains(where: \.isNewline) else {
                throw RequestProblem.malformedBody("rows[\(row)].\(key): a line break inside a value is not accepted")
            }
            return text
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return try reader.readBool() ? "true" : "false"
        case UInt8(ascii: "n"):
            _ = try reader.readNullIfPresent()
            return nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw RequestProblem.malformedBody("rows[\(row)].\(key): nested objects and arrays are not accepted; give a text or a number")
        default: return try reader.readNumberText()
        }
    }
}
