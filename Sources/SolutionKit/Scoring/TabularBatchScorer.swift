import Foundation

/// Streams a CSV file through a fitted preprocessor and a model, writing one output row per input row.
///
/// The header is checked against the model's input schema before any row is scored: a missing column is an
/// error naming it, extra columns are ignored and said once in the summary notes. An id column (option `id`,
/// by default a column named `id`, case-insensitive, when present) is copied through so outputs can be joined
/// back. Rows that cannot be scored go to the rejects sink as `line,reason`; rows keep their input order and
/// `read == scored + rejected` holds for every pass. Memory is bounded by the batch size.
public struct TabularBatchScorer: BatchScorer {
    public var supportsSharding: Bool { true }
    public var preprocessor: TabularPreprocessor
    public var predictor: any TabularPredictor
    public var csvOptions: CSVOptions
    public var batchSize: Int

    public init(preprocessor: TabularPreprocessor, predictor: any TabularPredictor,
                csvOptions: CSVOptions = CSVOptions(), batchSize: Int = 16_384) {
        self.preprocessor = preprocessor
        self.predictor = predictor
        self.csvOptions = csvOptions
        self.batchSize = batchSize
    }

    public func score(_ input: any ByteSource, into output: OutputSink, rejects: OutputSink?,
                      options: ScoringOptions) throws -> ScoringSummary {
        let reader = try CSVRecordReader(input, options: csvOptions)
        reader.shard = options.shard
        let header = reader.columnNames
        let match = try preprocessor.match(header: header, source: input.name)
        let idField = try Self.idField(in: header, requested: options.values["id"], source: input.name)

        var summary = ScoringSummary()
        let ignored = match.extraColumns.filter { idField == nil || $0 != header[idField!] }
        if !ignored.isEmpty {
            summary.notes.append("ignored extra column\(ignored.count == 1 ? "" : "s"): \(ignored.joined(separator: ", "))")
        }

        let writer = ScoredRowWriter(format: options.format, idName: idField.map { header[$0] },
                                     outputColumns: predictor.outputColumns)
        var headerText: [UInt8] = []
        writer.appendHeader(to: &headerText)
        try output.write(headerText)
        if let rejects { try rejects.write("line,reason\n") }

        let prefetcher = BatchPrefetcher(reader: reader, maxRecords: batchSize)
        defer { prefetcher.cancel() }
        while let batch = try prefetcher.next() {
            summary.rowsRead += batch.count
            // Each part of the batch is transformed, predicted and formatted on its own core; parts are written
            // in order, so output order is input order.
            let parts = Self.partCount(batch.count)
            var results = [Result<ScoredPart, Error>?](repeating: nil, count: parts)
            results.withUnsafeMutableBufferPointer { slots in
                parallelFor(parts, chunks: parts) { part, _ in
                    let records = (batch.count * part / parts)..<(batch.count * (part + 1) / parts)
                    slots[part] = Result {
                        try scorePart(batch, records: records, match: match, idField: idField, writer: writer)
                    }
                }
            }
            for result in results {
                let part = try result!.get()
                try output.write(part.text)
                summary.rowsScored += part.scored
                summary.rowsRejected += part.rejected
                if let rejects, !part.rejectText.isEmpty { try rejects.write(part.rejectText) }
            }
        }
        return summary
    }

    /// What one part of a batch became: output text, rejects text and counts.
    struct ScoredPart {
        var text: [UInt8] = []
        var rejectText: [UInt8] = []
        var scored = 0
        var rejected = 0
    }

    /// Batches of a few thousand rows are split in two so both cores score; small ones stay whole.
    static func partCount(_ records: Int) -> Int {
        records >= 4096 ? max(1, min(Parallelism.threadCount, 2)) : 1
    }

    private func scorePart(_ batch: CSVRecordBatch, records: Range<Int>, match: TableSchema.HeaderMatch,
                           idField: Int?, writer: ScoredRowWriter) throws -> ScoredPart {
        var part = ScoredPart()
        let transformed = preprocessor.transform(batch, records: records, using: match)
        if !transformed.acceptedRecords.isEmpty {
            let predictions = try predictor.predictForOutput(features: transformed.features)
            for column in predictions.columns where column.values.count != transformed.acceptedRecords.count {
                throw InternalError("model returned \(column.values.count) values for '\(column.name)' for \(transformed.acceptedRecords.count) rows")
            }
            part.text.reserveCapacity(transformed.acceptedRecords.count * 24)
            for (row, record) in transformed.acceptedRecords.enumerated() {
                writer.appendRow(row, of: predictions, id: idField.map { (batch, $0, record) }, to: &part.text)
            }
        }
        part.scored = transformed.acceptedRecords.count
        part.rejected = transformed.rejections.count
        for rejection in transformed.rejections {
            part.rejectText.append(contentsOf: Array("\(rejection.line),".utf8))
            CSVText.appendField(Array(rejection.reason.utf8), to: &part.rejectText)
            part.rejectText.append(UInt8(ascii: "\n"))
        }
        return part
    }

    /// The header position of the id column: the one named by the `id` option, else one named "id".
    static func idField(in header: [String], requested: String?, source: String) throws -> Int? {
        if let requested {
            guard let index = header.firstIndex(of: requested) else {
                throw SchemaError.missingColumns(source: source, names: [requested], header: header)
            }
            return index
        }
        return header.firstIndex { $0.lowercased() == "id" }
    }
}

/// Formats scored rows as CSV or JSON lines, straight into a byte buffer.
struct ScoredRowWriter {
    let format: ScoringFormat
    let idName: String?
    let outputColumns: [String]

    func appendHeader(to text: inout [UInt8]) {
        guard format == .csv else { return }
        let names = (idName.map { [$0] } ?? []) + outputColumns
        for (i, name) in names.enumerated() {
            if i > 0 { text.append(UInt8(ascii: ",")) }
            CSVText.appendField(Array(name.utf8), to: &text)
        }
        text.append(UInt8(ascii: "\n"))
    }

    func appendRow(_ row: Int, of predictions: TabularPredictions, id: (CSVRecordBatch, Int, Int)?,
                   to text: inout [UInt8]) {
        switch format {
        case .csv:
            var first = true
            if let (batch, field, record) = id {
                batch.withFieldBytes(field, of: record) { CSVText.appendField($0, to: &text) }
                first = false
            }
            for column in predictions.columns {
                if !first { text.append(UInt8(ascii: ",")) }
                first = false
                switch column.values {
                case .numbers(let values): CSVText.appendNumber(values[row], to: &text)
                case .texts(let values): CSVText.appendField(values[row].utf8, to: &text)
                case .utf8Texts(let column): CSVText.appendField(column.bytes[column.range(row)], to: &text)
                }
            }
        case .jsonl:
            text.append(UInt8(ascii: "{"))
            var first = true
            if let (batch, field, record) = id, let idName {
                JSONText.appendString(idName, to: &text)
                text.append(UInt8(ascii: ":"))
                JSONText.appendString(batch.string(field, of: record), to: &text)
                first = false
            }
            for column in predictions.columns {
                if !first { text.append(UInt8(ascii: ",")) }
                first = false
                JSONText.appendString(column.name, to: &text)
                text.append(UInt8(ascii: ":"))
                switch column.values {
                case .numbers(let values):
                    if values[row].isFinite { CSVText.appendNumber(values[row], to: &text) } else { text.append(contentsOf: Array("null".utf8)) }
                case .texts(let values): JSONText.appendString(values[row], to: &text)
                case .utf8Texts(let column): JSONText.appendString(column[row], to: &text)
                }
            }
            text.append(UInt8(ascii: "}"))
        }
        text.append(UInt8(ascii: "\n"))
    }
}

/// CSV output helpers: quoting only where RFC 4180 needs it, numbers in their shortest round-trip form.
enum CSVText {
    static func appendField<C: Collection>(_ bytes: C, to text: inout [UInt8]) where C.Element == UInt8 {
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else {
            text.append(contentsOf: bytes)
            return
        }
        text.append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { text.append(byte) }
            text.append(byte)
        }
        text.append(UInt8(ascii: "\""))
    }

    static func appendNumber(_ value: Double, to text: inout [UInt8]) {
        var digits = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : value.description
        digits.withUTF8 { text.append(contentsOf: $0) }
    }
}

/// JSON string escaping for JSON-lines output.
enum JSONText {
    static func appendString(_ string: String, to text: inout [UInt8]) {
        text.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): text.append(contentsOf: [92, 34])
            case 92: text.append(contentsOf: [92, 92])
            case 10: text.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: text.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: text.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<32:
                let hex = Array("0123456789abcdef".utf8)
                text.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: text.append(byte)
            }
        }
        text.append(UInt8(ascii: "\""))
    }
}
