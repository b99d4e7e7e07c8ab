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

    private let source: ByteSource
    private var input: UnsafeMutablePointer<UInt8>
    private var inputCapacity: Int
    private var inputStart = 0
    private var inputEnd = 0
    private var endOfInput = false
    /// The line the next unread byte is on.
    private var line = 1
    private var lastRecordStart = 0
    private let special: UnsafeMutablePointer<Bool>
    private let missingTokens: MissingTokenSet

    private enum Outcome { case record, needMore, end }

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
        guard try readRecord(into: first) else { throw CSVError.emptyInput(file: sourceName) }
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
        while storage.recordCount < maxRecords {
            guard try readRecord(into: storage) else { break }
        }
        if storage.recordCount == 0 { return nil }
        return CSVRecordBatch(storage: storage, missingTokens: missingTokens, encoding: options.encoding)
    }

    /// Reads one record, refilling the block as needed; false at the end of the input.
    private func readRecord(into storage: CSVBatchStorage) throws -> Bool {
        while true {
            switch try tokenizeRecord(into: storage) {
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

    /// Tokenizes one record from the block. On `.needMore` nothing is kept, so the record is redone after a refill.
    private func tokenizeRecord(into storage: CSVBatchStorage) throws -> Outcome {
        let p = input
        let n = inputEnd
        let quote = options.quote
        let delimiter = self.delimiter
        let special = self.special
        let lf: UInt8 = 0x0A, cr: UInt8 = 0x0D
        var i = inputStart

        // Skip blank lines.
        while true {
            if i >= n {
                inputStart = i
                return endOfInput ? .end : .needMore
            }
            let c = p[i]
            if c == lf { i += 1; line += 1; continue }
            if c == cr {
                if i + 1 < n { i += p[i + 1] == lf ? 2 : 1; line += 1; continue }
                if endOfInput { i += 1; line += 1; continue }
                inputStart = i
                return .needMore
            }
            break
        }
        inputStart = i
        lastRecordStart = i
        let startLine = line
        var currentLine = line
        let byteMark = storage.byteCount
        let fieldMark = storage.fieldCount
        storage.reserveBytes(n - i)
        let out = storage.bytes
        var o = storage.byteCount
        var fieldIndex = 0

        @inline(__always) func rollback() -> Outcome {
            storage.byteCount = byteMark
            storage.fieldCount = fieldMark
            return .needMore
        }

        while true {
            if i >= n {
                if !endOfInput { return rollback() }
                storage.byteCount = o
                storage.appendFieldEnd()
                break
            }
            if p[i] == quote {
                i += 1
                while true {
                    var j = i
                    while j < n && p[j] != quote {
                        if p[j] == lf { currentLine += 1 }
                        j += 1
                    }
                    (out + o).update(from: p + i, count: j - i)
                    o += j - i
                    if j >= n {
                        if !endOfInput { return rollback() }
                        throw CSVError.unterminatedQuote(file: sourceName, line: startLine, column: columnName(fieldIndex))
                    }
                    if j + 1 < n {
                        if p[j + 1] == quote { out[o] = quote; o += 1; i = j + 2; continue }
                        i = j + 1
                        break
                    }
                    if !endOfInput { return rollback() }
                    i = j + 1
                    break
                }
            }
            // Unquoted content (or, leniently, text after a closing quote) up to the delimiter or line end.
            var j = i
            while j < n && !special[Int(p[j])] { j += 1 }
            if j > i {
                (out + o).update(from: p + i, count: j - i)
                o += j - i
            }
            i = j
            storage.byteCount = o
            storage.appendFieldEnd()
            fieldIndex += 1
            if i >= n {
                if !endOfInput { return rollback() }
                break
            }
            let c = p[i]
            if c == delimiter { i += 1; continue }
            if c == lf { i += 1; currentLine += 1; break }
            // c == cr
            if i + 1 < n { i += p[i + 1] == lf ? 2 : 1 }
            else if endOfInput { i += 1 }
            else { return rollback() }
            currentLine += 1
            break
        }
        storage.recordFieldStarts.append(Int32(truncatingIfNeeded: storage.fieldCount))
        storage.lines.append(startLine)
        line = currentLine
        inputStart = i
        return .record
    }
}
