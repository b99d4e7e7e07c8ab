/// The missing-value tokens as bytes, tested without allocating.
struct MissingTokenSet: Sendable {
    private let tokens: [[UInt8]]
    private let lengthMask: UInt64  // bit n set when some token has length n (n < 64)

    init(_ strings: [String]) {
        tokens = strings.map { Array($0.utf8) }
        var mask: UInt64 = 0
        for t in tokens where t.count < 64 { mask |= 1 << UInt64(t.count) }
        lengthMask = mask
    }

    @inline(__always)
    func contains(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let length = end - start
        guard length < 64, lengthMask & (1 << UInt64(length)) != 0 else { return false }
        if length == 0 { return true }
        for token in tokens where token.count == length {
            var equal = true
            token.withUnsafeBufferPointer { t in
                for k in 0..<length where t[k] != base[start + k] { equal = false; break }
            }
            if equal { return true }
        }
        return false
    }
}
