import Foundation
import LauncherKit
import SolutionKit

/// What one `POST /v1/models/{name}/score` asks for, from its headers, query and body: the bytes the scorer
/// reads, the scoring options and the form of the answer.
struct ScoreRequest {
    /// The forms of an answer, chosen by the Accept header.
    enum Answer: String {
        /// `{"model", "rows_read", ..., "rows": [...], "rejects": [...]}` (application/json, the default).
        case envelope
        /// Exactly the CSV `launcher score --format csv` writes (text/csv).
        case csv
        /// Exactly the JSON lines `launcher score --format jsonl` writes (application/x-ndjson).
        case jsonLines
    }

    /// The forms of a body, by Content-Type.
    enum BodyKind: Equatable {
        case jsonRows
        case csv
        case png
        /// `multipart/form-data` with one PNG image per part: each part one row, named by its filename or name.
        case multipartImages(boundary: String)
    }

    var input: [UInt8]
    /// The input's name in outputs and messages: "request body", or the image's name for a PNG.
    var name: String
    var options: ScoringOptions
    var answer: Answer
    var kind: BodyKind
    /// For JSON rows, the count (their CSV lines are 2...count + 1).
    var jsonRowCount: Int?
    /// For multipart uploads, the images in order (`input` is then empty): each is scored as one PNG input.
    var parts: [FormPart] = []

    static let reservedQueryKeys: Set<String> = ["name"]

    /// The body kind a Content-Type names; parameters (`; charset=utf-8`) are ignored.
    static func bodyKind(contentType: String?) throws -> BodyKind {
        let media = (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        switch media {
        case "application/json": return .jsonRows
        case "text/csv": return .csv
        case "image/png": return .png
        case "multipart/form-data": return .multipartImages(boundary: try MultipartFormData.boundary(contentType: contentType ?? ""))
        case "": throw RequestProblem.unsupportedMediaType("no Content-Type; send application/json ({\"rows\": [...]}), text/csv, image/png or multipart/form-data")
        default: throw RequestProblem.unsupportedMediaType("Content-Type \(media) is not scored; send application/json ({\"rows\": [...]}), text/csv, image/png or multipart/form-data")
        }
    }

    /// The answer an Accept header asks for: the first supported type listed; none listed means the envelope.
    static func answer(accept: String?) throws -> Answer {
        guard let accept, !accept.trimmingCharacters(in: .whitespaces).isEmpty else { return .envelope }
        for part in accept.split(separator: ",") {
            let media = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            switch media {
            case "application/json", "*/*", "application/*": return .envelope
            case "text/csv", "text/*": return .csv
            case "application/x-ndjson", "application/jsonl": return .jsonLines
            default: continue
            }
        }
        throw RequestProblem.notAcceptable("Accept \(accept): answers are application/json, text/csv or application/x-ndjson")
    }

    /// Checks the body against the model and turns it into the scorer's input. Blocking CPU work (JSON to CSV).
    static func prepare(body: [UInt8], kind: BodyKind, answer: Answer, query: [(String, String)],
                        scorer: any BatchScorer, limits: ServeLimits) throws -> ScoreRequest {
        var values: [String: String] = [:]
        var imageName = "upload.png"
        for (key, value) in query {
            if key == "name" {
                guard !value.isEmpty, value.utf8.count <= 255, !value.contains(where: \.isNewline) else {
                    throw RequestProblem.badInput("?name= must be 1 to 255 bytes on one line")
                }
                imageName = value
                continue
            }
            guard values[key] == nil else { throw RequestProblem.badInput("the query option \(key) is given twice") }
            values[key] = value
        }
        let format: ScoringFormat = answer == .csv ? .csv : .jsonl
        let options = ScoringOptions(format: format, values: values, inputFormat: .csv)
        // A scorer that opens the files its input names gets image bytes only: a client's text must never
        // become paths read on the server.
        let isImage: Bool
        switch kind {
        case .png, .multipartImages: isImage = true
        case .jsonRows, .csv: isImage = false
        }
        if scorer.readsFilesNamedInInput {
            guard isImage else {
                throw RequestProblem.unsupportedMediaType("this model scores images: send the PNG bytes with Content-Type: image/png, or PNG parts in multipart/form-data")
            }
        } else if isImage {
            throw RequestProblem.unsupportedMediaType("this model scores rows: send application/json ({\"rows\": [...]}) or text/csv")
        }
        switch kind {
        case .png:
            guard hasPNGSignature(body[...]) else {
                throw RequestProblem.malformedBody("the body is not a PNG image (no PNG signature)")
            }
            return ScoreRequest(input: body, name: imageName, options: options, answer: answer, kind: kind, jsonRowCount: nil)
        case .multipartImages(let boundary):
            let parts = try MultipartFormData.parts(of: body, boundary: boundary, maximumParts: limits.maximumRows)
            // As for a single image/png body: bytes that are not a PNG are never handed to the scorer, which
            // would read them as a list of paths; a PNG that does not decode is that row's reject.
            for (index, part) in parts.enumerated() where !hasPNGSignature(part.bytes) {
                throw RequestProblem.malformedBody("multipart part \(index + 1) (\(part.id)) is not a PNG image (no PNG signature)")
            }
            return ScoreRequest(input: [], name: "request body", options: options, answer: answer, kind: kind, jsonRowCount: nil,
                                parts: parts)
        case .jsonRows:
            let rows = try JSONRows.csv(from: body, maximumRows: limits.maximumRows)
            return ScoreRequest(input: rows.csv, name: "request body", options: options, answer: answer, kind: kind,
                                jsonRowCount: rows.rowCount)
        case .csv:
            guard !body.isEmpty else { throw RequestProblem.malformedBody("the CSV body is empty; it needs a header line") }
            // Lines after the header bound the rows from above (a quoted field may span lines): checked before scoring.
            var lines = 0
            for byte in body where byte == 10 { lines += 1 }
            if body.last != 10 { lines += 1 }
            guard lines - 1 <= limits.maximumRows else { throw RequestProblem.tooManyRows(limit: limits.maximumRows) }
            return ScoreRequest(input: body, name: "request body", options: options, answer: answer, kind: kind, jsonRowCount: nil)
        }
    }

    private static func hasPNGSignature(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }
}
