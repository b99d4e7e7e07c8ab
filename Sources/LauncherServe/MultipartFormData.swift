import Foundation

/// One part of a `multipart/form-data` body: its id (the filename, else the form field's name) and its bytes.
struct FormPart: Equatable {
    var id: String
    var bytes: ArraySlice<UInt8>
}

/// A small, bounded `multipart/form-data` reader (RFC 7578 over RFC 2046) for image uploads.
///
/// The whole body is already in memory and capped by `--max-body-bytes`, so the reader only slices it: each
/// part's header block is capped at `maximumHeaderBytes`, the part count at the row limit, and every search
/// is linear in the body (the delimiter is at most 74 bytes). Anything it cannot read exactly (no boundary, a
/// missing close delimiter, a part without `Content-Disposition: form-data; name=...`) is a 400, never a guess.
enum MultipartFormData {
    /// RFC 2046: a boundary is 1 to 70 characters.
    static let maximumBoundaryLength = 70
    static let maximumHeaderBytes = 8192
    private static let crlf: [UInt8] = [13, 10]

    /// The boundary parameter of a `multipart/form-data` Content-Type, checked against RFC 2046's alphabet.
    static func boundary(contentType: String) throws -> String {
        var boundary: String?
        for parameter in contentType.split(separator: ";").dropFirst() {
            guard let equals = parameter.firstIndex(of: "=") else { continue }
            let key = parameter[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            guard key == "boundary" else { continue }
            var value = parameter[parameter.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            boundary = value
        }
        guard let boundary else {
            throw RequestProblem.malformedBody("Content-Type multipart/form-data needs a boundary parameter")
        }
        let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ".utf8)
        guard (1...maximumBoundaryLength).contains(boundary.utf8.count), boundary.utf8.allSatisfy(allowed.contains),
              !boundary.hasSuffix(" ") else {
            throw RequestProblem.malformedBody("the multipart boundary must be 1 to 70 characters of RFC 2046's set, not ending in a space")
        }
        return boundary
    }

    /// The parts in body order; more than `maximumParts` is a 413 (each part is one row).
    static func parts(of body: [UInt8], boundary: String, maximumParts: Int) throws -> [FormPart] {
        let dashBoundary: [UInt8] = [45, 45] + Array(boundary.utf8)
        let delimiter = crlf + dashBoundary
        // The first boundary opens the body or follows a preamble's line break.
        var position: Int
        if body.starts(with: dashBoundary) {
            position = dashBoundary.count
        } else if let found = find(delimiter, in: body, from: 0) {
            position = found + delimiter.count
        } else {
            throw RequestProblem.malformedBody("multipart body: no opening boundary --\(boundary)")
        }
        var parts: [FormPart] = []
        while true {
            if body[position...].starts(with: [45, 45]) { break }
            // Transport padding (spaces, tabs) may follow a boundary before its line break.
            while position < body.count, body[position] == 32 || body[position] == 9 { position += 1 }
            guard body[position...].starts(with: crlf) else {
                throw RequestProblem.malformedBody("multipart body: boundary \(parts.count + 1) is not followed by a line break (truncated?)")
            }
            position += 2
            guard parts.count < maximumParts else { throw RequestProblem.tooManyRows(limit: maximumParts) }
            let number = parts.count + 1
            let headerEnd: Int
            if body[position...].starts(with: crlf) {
                headerEnd = position
            } else {
                let window = min(body.count, position + maximumHeaderBytes + 4)
                guard let end = find(crlf + crlf, in: body[..<window], from: position) else {
                    throw RequestProblem.malformedBody("multipart part \(number): its headers do not end within \(maximumHeaderBytes) bytes (truncated?)")
                }
                headerEnd = end + 2
            }
            let id = try partID(headers: body[position..<headerEnd], number: number)
            let contentStart = headerEnd + 2
            guard let contentEnd = find(delimiter, in: body, from: contentStart) else {
                throw RequestProblem.malformedBody("multipart part \(number) (\(id)): no closing boundary (truncated body?)")
            }
            parts.append(FormPart(id: id, bytes: body[contentStart..<contentEnd]))
            position = contentEnd + delimiter.count
        }
        guard !parts.isEmpty else { throw RequestProblem.malformedBody("multipart body: no parts") }
        return parts
    }

    /// The filename, else the name, of a part's `Content-Disposition: form-data`; checked like `?name=`.
    private static func partID(headers: ArraySlice<UInt8>, number: Int) throws -> String {
        var disposition: [String: String]?
        var start = headers.startIndex
        while start < headers.endIndex {
            let end = find(crlf, in: headers, from: start) ?? headers.endIndex
            let line = headers[start..<end]
            start = end + 2
            guard let colon = line.firstIndex(of: 58), colon > line.startIndex, line.first != 32, line.first != 9 else {
                throw RequestProblem.malformedBody("multipart part \(number): a header line is not `Name: value`")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self).lowercased()
            if name == "content-disposition" {
                disposition = try dispositionParameters(String(decoding: line[(colon + 1)...], as: UTF8.self), number: number)
            }
        }
        guard let disposition, let name = disposition["name"] else {
            throw RequestProblem.malformedBody("multipart part \(number): it needs Content-Disposition: form-data; name=\"...\"")
        }
        let id = disposition["filename"].flatMap { $0.isEmpty ? nil : $0 } ?? name
        guard !id.isEmpty, id.utf8.count <= 255, !id.contains(where: { $0.isNewline }) else {
            throw RequestProblem.malformedBody("multipart part \(number): its filename or name must be 1 to 255 bytes on one line")
        }
        return id
    }

    /// `form-data; name="a"; filename="b.png"` as its parameters (quoted strings with `\` escapes).
    private static func dispositionParameters(_ value: String, number: Int) throws -> [String: String] {
        let characters = Array(value)
        var index = 0
        func skipSpaces() { while index < characters.count, characters[index] == " " || characters[index] == "\t" { index += 1 } }
        func token() -> String {
            let start = index
            while index < characters.count, characters[index] != ";", characters[index] != "=" { index += 1 }
            return String(characters[start..<index]).trimmingCharacters(in: .whitespaces)
        }
        skipSpaces()
        guard token().lowercased() == "form-data" else {
            throw RequestProblem.malformedBody("multipart part \(number): Content-Disposition must be form-data")
        }
        var parameters: [String: String] = [:]
        while index < characters.count {
            guard characters[index] == ";" else {
                throw RequestProblem.malformedBody("multipart part \(number): malformed Content-Disposition")
            }
            index += 1
            skipSpaces()
            let key = token().lowercased()
            guard index < characters.count, characters[index] == "=" else {
                if key.isEmpty { continue }
                throw RequestProblem.malformedBody("multipart part \(number): Content-Disposition parameter \(key) has no value")
            }
            index += 1
            skipSpaces()
            var text = ""
            if index < characters.count, characters[index] == "\"" {
                index += 1
                var closed = false
                while index < characters.count {
                    let character = characters[index]
                    index += 1
                    if character == "\"" { closed = true; break }
                    if character == "\\", index < characters.count { text.append(characters[index]); index += 1; continue }
                    text.append(character)
                }
                guard closed else { throw RequestProblem.malformedBody("multipart part \(number): an unterminated quoted \(key)") }
                skipSpaces()
            } else {
                text = token()
            }
            guard parameters[key] == nil else {
                throw RequestProblem.malformedBody("multipart part \(number): Content-Disposition gives \(key) twice")
            }
            parameters[key] = text
        }
        return parameters
    }

    /// The first index at or after `from` where `needle` starts in `haystack`.
    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from: Int) -> Int? {
        guard let first = needle.first, haystack.endIndex - from >= needle.count else { return nil }
        var index = from
        let last = haystack.endIndex - needle.count
        while index <= last {
            guard let candidate = haystack[index...last].firstIndex(of: first) else { return nil }
            if haystack[candidate..<(candidate + needle.count)].elementsEqual(needle) { return candidate }
            index = candidate + 1
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        find(needle, in: haystack[...], from: from)
    }
}
