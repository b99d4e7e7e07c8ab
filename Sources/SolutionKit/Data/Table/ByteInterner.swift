/// Maps byte strings to dense Int32 codes without making a String per lookup.
///
/// Used to build categorical columns while reading a CSV and to look categories up while scoring: both happen once
/// per field, so a hash of the raw bytes and an open-addressing table beat a `[String: Int32]` by a wide margin.
/// A value type: a class's stored properties get a dynamic exclusivity check on every access, which showed in
/// scoring profiles at once per categorical field.
struct ByteInterner: Sendable {
    private var arena: [UInt8] = []
    private var keyEnds: [Int] = []
    private var slots: [Int32]
    private var mask: Int

    init(expectedCount: Int = 16) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity *= 2 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
    }

    /// An interner holding `strings` (as UTF-8) with codes 0..<count in order.
    init(strings: [String]) {
        self.init(expectedCount: strings.count)
        for s in strings {
            var bytes = Array(s.utf8)
            bytes.withUnsafeMutableBufferPointer { _ = intern(UnsafePointer($0.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!), 0, $0.count) }
        }
    }

    var count: Int { keyEnds.count }

    @inline(__always)
    private static func hash(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = start
        while i < end {
            h = (h ^ UInt64(base[i])) &* 0x0100_0000_01b3
            i += 1
        }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always)
    private func keyEquals(_ code: Int, _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        let keyStart = code == 0 ? 0 : keyEnds[code - 1]
        let length = keyEnds[code] - keyStart
        guard length == end - start else { return false }
        return arena.withUnsafeBufferPointer { a in
            for k in 0..<length where a[keyStart + k] != base[start + k] { return false }
            return true
        }
    }

    /// The code of `bytes[start..<end]`, or nil when it was never interned.
    @inline(__always)
    func code(of base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int32? {
        var slot = ByteInterner.hash(base, start, end) & mask
        while true {
            let code = slots[slot]
            if code < 0 { return nil }
            if keyEquals(Int(code), base, start, end) { return code }
            slot = (slot + 1) & mask
        }
    }

    /// The code of `bytes[start..<end]`, adding it with the next code when new.
    @inline(__always)
    mutating func intern(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int32 {
        var slot = ByteInterner.hash(base, start, end) & mask
        while true {
            let code = slots[slot]
            if code < 0 { break }
            if keyEquals(Int(code), base, start, end) { return code }
            slot = (slot + 1) & mask
        }
        let code = Int32(keyEnds.count)
        arena.append(contentsOf: UnsafeBufferPointer(start: base + start, count: end - start))
        keyEnds.append(arena.count)
        slots[slot] = code
        if keyEnds.count * 2 > slots.count { rehash() }
        return code
    }

    private mutating func rehash() {
        let capacity = slots.count * 2
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
        arena.withUnsafeBufferPointer { a in
            for code in 0..<keyEnds.count {
                let start = code == 0 ? 0 : keyEnds[code - 1]
                var slot = ByteInterner.hash(a.baseAddress ?? UnsafePointer(bitPattern: 1)!, start, keyEnds[code]) & mask
                while slots[slot] >= 0 { slot = (slot + 1) & mask }
                slots[slot] = Int32(code)
            }
        }
    }

    /// The bytes of every key, in code order.
    func keys() -> [[UInt8]] {
        (0..<keyEnds.count).map { code in
            let start = code == 0 ? 0 : keyEnds[code - 1]
            return Array(arena[start..<keyEnds[code]])
        }
    }
}
