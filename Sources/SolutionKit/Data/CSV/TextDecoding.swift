/// How the bytes of a text file are turned into strings.
public enum TextEncoding: String, Codable, Sendable {
    /// UTF-8 when the bytes are valid UTF-8, otherwise Latin-1 (every byte is a character, so nothing is lost).
    case automatic
    case utf8
    /// ISO-8859-1: byte 0xE9 is "é".
    case latin1
}

enum TextDecoding {
    /// Whether `count` bytes at `base` are valid UTF-8 (ASCII runs are skipped quickly).
    static func isValidUTF8(_ base: UnsafePointer<UInt8>, count: Int) -> Bool {
        var i = 0
        while i < count {
            let b = base[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            if b & 0xE0 == 0xC0 { length = 2; if b < 0xC2 { return false } }
            else if b & 0xF0 == 0xE0 { length = 3 }
            else if b & 0xF8 == 0xF0 { length = 4; if b > 0xF4 { return false } }
            else { return false }
            guard i + length <= count else { return false }
            for k in 1..<length where base[i + k] & 0xC0 != 0x80 { return false }
            if length == 3 {
                let b1 = base[i + 1]
                if b == 0xE0 && b1 < 0xA0 { return false }  // overlong
                if b == 0xED && b1 >= 0xA0 { return false }  // surrogates
            } else if length == 4 {
                let b1 = base[i + 1]
                if b == 0xF0 && b1 < 0x90 { return false }
                if b == 0xF4 && b1 >= 0x90 { return false }
            }
            i += length
        }
        return true
    }

    static func isASCII(_ base: UnsafePointer<UInt8>, count: Int) -> Bool {
        for i in 0..<count where base[i] >= 0x80 { return false }
        return true
    }

    /// Decodes bytes into a String: `.utf8` repairs invalid sequences, `.latin1` maps each byte to U+00xx, and
    /// `.automatic` picks UTF-8 when the bytes are valid UTF-8, else Latin-1.
    static func string(_ base: UnsafePointer<UInt8>, count: Int, encoding: TextEncoding) -> String {
        let buffer = UnsafeBufferPointer(start: base, count: count)
        switch encoding {
        case .utf8:
            return String(decoding: buffer, as: UTF8.self)
        case .latin1:
            return latin1String(buffer)
        case .automatic:
            if isValidUTF8(base, count: count) { return String(decoding: buffer, as: UTF8.self) }
            return latin1String(buffer)
        }
    }

    static func latin1String(_ buffer: UnsafeBufferPointer<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        for b in buffer { scalars.append(Unicode.Scalar(b)) }
        return String(scalars)
    }
}
