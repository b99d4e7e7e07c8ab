/// Reads CSV records from a `ByteSource` in blocks and hands them out in batches, with bounded memory.
///
/// RFC 4180: fields may be quoted; a quoted field may hold the delimiter, newlines and doubled quotes. Lines may
/// end in LF, CRLF or CR. Blank lines are skipped. A UTF-8 byte-order mark at the start is skipped. The reader
/// keeps only the current block and the batch it is filling, so a file of any size streams in constant memory
/// (a single record longer than the block grows the block to hold it).
public final class CSVRecordReader {
    /// The source's name, for messages.
    public let sourceName: String
    /// The header's column names, or col1, col2, ... when the file has no header.
    public private(set) var columnNames: [String] = []
    /// The delimiter in use (given, or detected from the first line).
    public private(set) var delimiter: UInt8
    public let options: CSVOptions
    /// The records this reader hands out; the others are tokenized (to find where they end) and dropped, so line
    /// numbers stay those of the file. The header is never filtered.
    public var shard: RowShard = .whole

    private let source: ByteSource
    private var input: UnsafeMutablePointer<UInt8>
    private var inputCapacity: Int
    private var inputStart = 0
    private var inputEnd = 0
    private var endOfInput = false
    /// The line the next unread byte is on.
    private var line = 1
    private var lastRecordStart = 0
    /// The 0-based position of the next data record among all data records, kept or not (for `shard`).
    private var recordOrdinal = 0
    private let special: UnsafeMutablePointer<Bool>
    private let missingTokens: MissingTokenSet

    private enum Outcome { case record, needMore, end }
    static let maximumBatchBytes = 1 << 30

    /// Opens the reader and reads the header (or, without one, looks at the first record to count its fields).
    /// Throws `CSVError.emptyInput` when the input has no record at all.
    public init(_ source: ByteSource, options: CSVOptions = CSVOptions(), blockSize: Int = 1 << 20) throws {
        self.source = source
        self.sourceName = source.name
        self.options = options
        inputCapacity = max(blockSize, 16)
        input = .allocate(capacity: inputCapacity)
        special = .allocate(capacity: 256)
        special.initialize(repeating: false, count: 256)
        missingTokens = MissingTokenSet(options.missingTokens)
        delimiter = options.delimiter ?? UInt8(ascii: ",")

        try fill()
        if inputEnd - inputStart >= 3 && input[0] == 0xEF && input[1] == 0xBB && input[2] == 0xBF { inputStart = 3 }
        if options.delimiter == nil { try detectDelimiter() }
        special[Int(delimiter)] = true
        special[0x0A] = true
        special[0x0D] = true

        let first = CSVBatchStorage(byteCapacity: 1024, fieldCapacity: 64)
        guard try readRecords(into: first, limit: 1) else { throw CSVError.emptyInput(file: sourceName) }
        let fieldCount = Int(first.recordFieldStarts[1])
        if options.hasHeader {
            let batch = CSVRecordBatch(storage: first, missingTokens: missingTokens, encoding: options.encoding)
            columnNames = batch.strings(of: 0)
            var seen: [String: Int] = [:]
            for (index, name) in columnNames.enumerated() {
                if let previous = seen[name] {
                    throw CSVError.duplicateColumnName(file: sourceName, name: name, firstColumn: previous + 1, secondColumn: index + 1)
                }
                seen[name] = index
            }
        } else {
            columnNames = (1...fieldCount).map { "col\($0)" }
            inputStart = lastRecordStart
            line = first.lines[0]
        }
        recordOrdinal = 0  // the first record was the header, or is read again as data
    }

    deinit {
        input.deallocate()
        special.deallocate()
    }

    /// The next batch of at most `maxRecords` records, or nil at the end of the input.
    public func nextBatch(maxRecords: Int = 8192) throws -> CSVRecordBatch? {
        precondition(maxRecords > 0, "maxRecords must be positive")
        let storage = CSVBatchStorage(byteCapacity: min(inputCapacity, 1 << 16), fieldCapacity: 1024)
        storage.recordFieldStarts.reserveCapacity(min(maxRecords, 1 << 16) + 1)
        storage.lines.reserveCapacity(min(maxRecords, 1 << 16))
        try readRecords(into: storage, limit: maxRecords)
        if storage.recordCount == 0 { return nil }
        return CSVRecordBatch(storage: storage, missingTokens: missingTokens, encoding: options.encoding)
    }

    /// Reads records until `storage` holds `limit` of them (or is full), refilling the block as needed; false when
    /// the input ended first.
    @discardableResult
    private func readRecords(into storage: CSVBatchStorage, limit: Int) throws -> Bool {
        while true {
            switch try tokenizeRecords(into: storage, limit: limit) {
            case .record: return true
            case .end: return false
            case .needMore: try fill()
            }
        }
    }

    /// Moves unread bytes to the front, grows the block if one record fills it, and reads more.
    private func fill() throws {
        guard !endOfInput else { return }
        if inputStart > 0 {
            let remaining = inputEnd - inputStart
            if remaining > 0 { input.update(from: input + inputStart, count: remaining) }
            lastRecordStart -= inputStart
            inputStart = 0
            inputEnd = remaining
        }
        if inputEnd == inputCapacity {
            let capacity = inputCapacity * 2
            let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            fresh.update(from: input, count: inputEnd)
            input.deallocate()
            input = fresh
            inputCapacity = capacity
        }
        let n = try source.read(into: UnsafeMutableRawBufferPointer(start: input + inputEnd, count: inputCapacity - inputEnd))
        if n == 0 { endOfInput = true } else { inputEnd += n }
    }

    /// Picks the candidate delimiter that occurs most often (outside quotes) on the first line.
    private func detectDelimiter() throws {
        while !endOfInput && !(inputStart..<inputEnd).contains(where: { input[$0] == 0x0A }) { try fill() }
        var counts = [Int](repeating: 0, count: CSVOptions.detectableDelimiters.count)
        var inQuotes = false
        var i = inputStart
        while i < inputEnd {
            let c = input[i]
            if c == options.quote { inQuotes.toggle() }
            else if !inQuotes {
                if c == 0x0A || c == 0x0D { break }
                if let k = CSVOptions.detectableDelimiters.firstIndex(of: c) { counts[k] += 1 }
            }
            i += 1
        }
        let best = counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) }!
        delimiter = counts[best] > 0 ? CSVOptions.detectableDelimiters[best] : UInt8(ascii: ",")
    }

    private func columnName(_ index: Int) -> String {
        index < columnNames.count ? columnNames[index] : (options.hasHeader && columnNames.isEmpty ? "header field \(index + 1)" : "col\(index + 1)")
    }

    /// Tokenizes records from the block until `storage` holds `limit` records (`.record`), the block ends inside a
    /// record (`.needMore`: that partial record is dropped and redone after a refill), or the input ends (`.end`).
    /// Hot state lives in locals and is written back on exit, so the per-byte loop is plain loads and stores.
    private func tokenizeRecords(into storage: CSVBatchStorage, limit: Int) throws -> Outcome {
        let p = UnsafePointer(input)
        let n = inputEnd
        let quote = options.quote
        let delimiter = self.delimiter
        let special = UnsafePointer(self.special)
        let lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        let atEnd = endOfInput
        var i = inputStart
        var line = self.line
        storage.reserveBytes(n - i)  // the output of a block is never longer than the block
        let out = storage.bytes
        var o = storage.byteCount
        var ends = storage.fieldEnds
        var fieldCount = storage.fieldCount
        var fieldCapacity = storage.fieldCapacity
        var recordCount = storage.recordCount
        // The reader's own per-record state lives in locals until `commit`: a class's stored properties get a
        // dynamic exclusivity check on every access, once per record otherwise.
        let shard = self.shard
        var recordOrdinal = self.recordOrdinal
        var lastRecordStart = self.lastRecordStart
        // So are the storage's per-record arrays: moved out here, appended to without a check, moved back on exit.
        var recordFieldStarts: [Int32] = [], lines: [Int] = []
        swap(&recordFieldStarts, &storage.recordFieldStarts)
        swap(&lines, &storage.lines)
        defer {
            swap(&recordFieldStarts, &storage.recordFieldStarts)
            swap(&lines, &storage.lines)
        }

        @inline(__always) func pushField() {
            if fieldCount == fieldCapacity {
                storage.fieldCount = fieldCount
                storage.growFields()
                ends = storage.fieldEnds
                fieldCapacity = storage.fieldCapacity
            }
            ends[fieldCount] = Int32(truncatingIfNeeded: o)
            fieldCount += 1
        }
        @inline(__always) func commit() {
            storage.byteCount = o
            storage.fieldCount = fieldCount
            self.line = line
            self.recordOrdinal = recordOrdinal
            self.lastRecordStart = lastRecordStart
            inputStart = i
        }

        // A batch stops short of 1 GiB of field bytes so its Int32 offsets cannot overflow.
        while recordCount < limit && o < CSVRecordReader.maximumBatchBytes {
            // Skip blank lines.
            while true {
                if i >= n {
                    commit()
                    return atEnd ? .end : .needMore
                }
                let c = p[i]
                if c == lf { i += 1; line += 1; continue }
                if c == cr {
                    if i + 1 < n { i += p[i + 1] == lf ? 2 : 1; line += 1; continue }
                    if atEnd { i += 1; line += 1; continue }
                    commit()
                    return .needMore
                }
                break
            }
            let recordStart = i
            let byteMark = o
            let fieldMark = fieldCount
            var currentLine = line
            var fieldIndex = 0
            var needMore = false

            fields: while true {
                if i >= n {
                    if !atEnd { needMore = true; break fields }
                    pushField()
                    break fields
                }
                if p[i] == quote {
                    i += 1
                    while true {
                        while i < n {
                            let c = p[i]
                            if c == quote { break }
                            if c == lf { currentLine += 1 }
                            out[o] = c
                            o += 1
                            i += 1
                        }
                        if i >= n {
                            if !atEnd { needMore = true; break fields }
                            throw CSVError.unterminatedQuote(file: sourceName, line: line, column: columnName(fieldIndex))
                        }
                        if i + 1 < n {
                            if p[i + 1] == quote { out[o] = quote; o += 1; i += 2; continue }
                            i += 1
                            break
                        }
                        if !atEnd { needMore = true; break fields }
                        i += 1
                        break
                    }
                }
                // Unquoted content (or, leniently, text after a closing quote) up to the delimiter or line end.
                // Wrapping steps: i < n and o ≤ i − inputStart + byteCount (reserved above), so neither can overflow.
                while i < n {
                    let c = p[i]
                    if special[Int(c)] { break }
                    out[o] = c
                    o &+= 1
                    i &+= 1
                }
                pushField()
                fieldIndex += 1
                if i >= n {
                    if !atEnd { needMore = true }
                    break fields
                }
                let c = p[i]
                if c == delimiter { i += 1; continue }
                if c == lf { i += 1; currentLine += 1; break fields }
                // c == cr
                if i + 1 < n { i += p[i + 1] == lf ? 2 : 1 }
                else if atEnd { i += 1 }
                else { needMore = true; break fields }
                currentLine += 1
                break fields
            }
            if needMore {
                o = byteMark
                fieldCount = fieldMark
                i = recordStart
                commit()
                return .needMore
            }
            if shard.contains(row: recordOrdinal) {
                recordFieldStarts.append(Int32(truncatingIfNeeded: fieldCount))
                lines.append(line)
                recordCount += 1
            } else {
                o = byteMark
                fieldCount = fieldMark
            }
            recordOrdinal += 1
            line = currentLine
            lastRecordStart = recordStart
        }
        commit()
        return .record
    }
}
