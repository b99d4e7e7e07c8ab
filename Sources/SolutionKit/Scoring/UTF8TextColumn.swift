/// A column of texts stored as one UTF-8 byte buffer, for models that format many short texts per batch.
///
/// Building a `String` per row costs an allocation, and writing it costs another pass; models that produce a text
/// per row (reason codes) append bytes here instead and the scorer copies them to the output directly.
public struct UTF8TextColumn: Sendable {
    /// Public so appends inline across modules; `ends` must stay in step with it (use the mutating methods).
    public var bytes: [UInt8] = []
    /// The end offset of each text in `bytes`.
    public var ends: [Int] = []

    public init(reservingBytes capacity: Int = 0, texts: Int = 0) {
        bytes.reserveCapacity(capacity)
        ends.reserveCapacity(texts)
    }

    public var count: Int { ends.count }

    /// Appends the bytes of the next text; `finishText()` closes it.
    @inlinable
    public mutating func append(_ byte: UInt8) { bytes.append(byte) }

    @inlinable
    public mutating func append<C: Collection>(contentsOf text: C) where C.Element == UInt8 { bytes.append(contentsOf: text) }

    @inlinable
    public mutating func finishText() { ends.append(bytes.count) }

    /// Appends an empty text.
    @inlinable
    public mutating func appendEmpty() { ends.append(bytes.count) }

    @inlinable
    public func range(_ index: Int) -> Range<Int> { (index == 0 ? 0 : ends[index - 1])..<ends[index] }

    public subscript(index: Int) -> String { String(decoding: bytes[range(index)], as: UTF8.self) }
}
