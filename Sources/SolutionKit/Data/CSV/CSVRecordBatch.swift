/// Up to N records read from a CSV input, stored as one byte buffer of unquoted field contents plus field offsets.
///
/// This layout makes batch scoring cheap: a field is two integer loads away, and parsing a number or testing for
/// a missing-value token reads the bytes in place, with no String made per field. Records keep their field count
/// even when it differs from the header's (ragged rows), so a scorer can reject them one by one.
public struct CSVRecordBatch: @unchecked Sendable {
    let storage: CSVBatchStorage
    let missingTokens: MissingTokenSet
    /// How field bytes become strings.
    public let encoding: TextEncoding

    init(storage: CSVBatchStorage, missingTokens: MissingTokenSet, encoding: TextEncoding) {
        self.storage = storage
        self.missingTokens = missingTokens
        self.encoding = encoding
    }

    /// The number of records.
    public var count: Int { storage.recordCount }

    /// The 1-based line of the file where `record` starts.
    public func lineNumber(of record: Int) -> Int {
        precondition(record >= 0 && record < count, "record \(record) out of range 0..<\(count)")
        return storage.lines[record]
    }

    /// The number of fields in `record`.
    public func fieldCount(of record: Int) -> Int {
        precondition(record >= 0 && record < count, "record \(record) out of range 0..<\(count)")
        return Int(storage.recordFieldStarts[record + 1] - storage.recordFieldStarts[record])
    }

    /// The byte range of a field inside the batch buffer.
    @inline(__always)
    func range(_ field: Int, of record: Int) -> (start: Int, end: Int) {
        let index = Int(storage.recordFieldStarts[record]) + field
        precondition(field >= 0 && index < Int(storage.recordFieldStarts[record + 1]),
                     "field \(field) out of range for record \(record) with \(fieldCount(of: record)) fields")
        let start = index == 0 ? 0 : Int(storage.fieldEnds[index - 1])
        return (start, Int(storage.fieldEnds[index]))
    }

    /// Calls `body` with the unquoted bytes of a field, without copying them.
    public func withFieldBytes<R>(_ field: Int, of record: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let r = range(field, of: record)
        return try body(UnsafeBufferPointer(start: storage.bytes + r.start, count: r.end - r.start))
    }

    /// A copy of the unquoted bytes of a field.
    public func bytes(_ field: Int, of record: Int) -> [UInt8] {
        withFieldBytes(field, of: record) { Array($0) }
    }

    /// The field decoded as text (UTF-8, or Latin-1 as the encoding says).
    public func string(_ field: Int, of record: Int) -> String {
        let r = range(field, of: record)
        return TextDecoding.string(storage.bytes + r.start, count: r.end - r.start, encoding: encoding)
    }

    /// Whether the field is one of the missing-value tokens.
    @inline(__always)
    public func isMissing(_ field: Int, of record: Int) -> Bool {
        let r = range(field, of: record)
        return missingTokens.contains(storage.bytes, r.start, r.end)
    }

    /// The field parsed as a number (nil when it is not one; `inf` and `nan` parse as such).
    @inline(__always)
    public func double(_ field: Int, of record: Int) -> Double? {
        let r = range(field, of: record)
        return ByteNumberParser.parseDouble(storage.bytes, r.start, r.end)
    }

    /// All fields of a record as strings (for messages and pass-through columns).
    public func strings(of record: Int) -> [String] {
        (0..<fieldCount(of: record)).map { string($0, of: record) }
    }
}

/// The growable buffers behind a batch, kept in manually managed memory so the tokenizer writes with plain stores.
final class CSVBatchStorage {
    var bytes: UnsafeMutablePointer<UInt8>
    var byteCount = 0
    var byteCapacity: Int
    var fieldEnds: UnsafeMutablePointer<Int32>
    var fieldCount = 0
    var fieldCapacity: Int
    /// recordFieldStarts[r] is the index of record r's first field; it has recordCount + 1 entries.
    var recordFieldStarts: [Int32] = [0]
    var lines: [Int] = []
    var recordCount: Int { lines.count }

    init(byteCapacity: Int, fieldCapacity: Int) {
        self.byteCapacity = max(byteCapacity, 64)
        self.fieldCapacity = max(fieldCapacity, 16)
        bytes = .allocate(capacity: self.byteCapacity)
        fieldEnds = .allocate(capacity: self.fieldCapacity)
    }

    deinit {
        bytes.deallocate()
        fieldEnds.deallocate()
    }

    @inline(__always)
    func reserveBytes(_ extra: Int) {
        if byteCount + extra > byteCapacity { growBytes(byteCount + extra) }
    }

    func growBytes(_ needed: Int) {
        var capacity = byteCapacity
        while capacity < needed { capacity *= 2 }
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        fresh.update(from: bytes, count: byteCount)
        bytes.deallocate()
        bytes = fresh
        byteCapacity = capacity
    }

    @inline(__always)
    func appendFieldEnd() {
        if fieldCount == fieldCapacity {
            let capacity = fieldCapacity * 2
            let fresh = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
            fresh.update(from: fieldEnds, count: fieldCount)
            fieldEnds.deallocate()
            fieldEnds = fresh
            fieldCapacity = capacity
        }
        fieldEnds[fieldCount] = Int32(truncatingIfNeeded: byteCount)
        fieldCount += 1
    }
}
