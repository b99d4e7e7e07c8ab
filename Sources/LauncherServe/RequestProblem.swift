import Foundation
import HTTPTypes
import Hummingbird
import SolutionKit

/// Why a request is refused: each case is one 4xx (or, for the kit's own failures, 5xx) with a JSON body
/// `{"error": {"code": "...", "message": "..."}}`. The code is stable for clients; the message says what to fix.
enum RequestProblem: Error, CustomStringConvertible {
    case malformedBody(String)
    case badInput(String)
    case bodyTooLarge(limit: Int)
    case tooManyRows(limit: Int)
    case unsupportedMediaType(String)
    case notAcceptable(String)
    case unknownModel(String)
    case notFound(String)
    case methodNotAllowed(String)
    case timedOut(seconds: Double)
    case tooManyConcurrent(limit: Int)
    case reloadRefused(String)
    case shuttingDown
    case internalFailure(String)

    var status: HTTPResponse.Status {
        switch self {
        case .malformedBody, .badInput: return .badRequest
        case .bodyTooLarge: return .contentTooLarge
        case .tooManyRows: return .contentTooLarge
        case .unsupportedMediaType: return .unsupportedMediaType
        case .notAcceptable: return .notAcceptable
        case .unknownModel, .notFound: return .notFound
        case .methodNotAllowed: return .methodNotAllowed
        case .timedOut: return .requestTimeout
        case .tooManyConcurrent: return .tooManyRequests
        case .reloadRefused: return .unprocessableContent
        case .shuttingDown: return .serviceUnavailable
        case .internalFailure: return .internalServerError
        }
    }

    var code: String {
        switch self {
        case .malformedBody: return "malformed_body"
        case .badInput: return "bad_input"
        case .bodyTooLarge: return "body_too_large"
        case .tooManyRows: return "too_many_rows"
        case .unsupportedMediaType: return "unsupported_media_type"
        case .notAcceptable: return "not_acceptable"
        case .unknownModel: return "unknown_model"
        case .notFound: return "not_found"
        case .methodNotAllowed: return "method_not_allowed"
        case .timedOut: return "timeout"
        case .tooManyConcurrent: return "too_many_concurrent_requests"
        case .reloadRefused: return "reload_refused"
        case .shuttingDown: return "shutting_down"
        case .internalFailure: return "internal"
        }
    }

    var description: String {
        switch self {
        case .malformedBody(let text): return "malformed body: \(text)"
        case .badInput(let text): return text
        case .bodyTooLarge(let limit): return "the body is larger than the limit of \(limit) bytes (--max-body-bytes)"
        case .tooManyRows(let limit): return "more than \(limit) rows in one request (--max-rows); split the batch"
        case .unsupportedMediaType(let text): return text
        case .notAcceptable(let text): return text
        case .unknownModel(let name): return "no model named \"\(name)\"; GET /v1/models lists them"
        case .notFound(let path): return "no route \(path); GET /openapi.json describes the API"
        case .methodNotAllowed(let text): return text
        case .timedOut(let seconds): return "the request took longer than \(seconds) s (--request-timeout)"
        case .tooManyConcurrent(let limit): return "\(limit) requests are being scored already (--max-concurrent); retry shortly"
        case .reloadRefused(let reason): return "reload refused, the loaded model keeps serving: \(reason)"
        case .shuttingDown: return "the server is shutting down"
        case .internalFailure(let text): return "internal error: \(text)"
        }
    }
}

extension RequestProblem: HTTPResponseError {
    var headers: HTTPFields { [:] }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(status: status, body: Self.body(code: code, message: description))
    }

    static func body(code: String, message: String) -> [UInt8] {
        var text: [UInt8] = Array(#"{"error":{"code":"#.utf8)
        OutputText.appendJSONString(code, to: &text)
        text += Array(#","message":"#.utf8)
        OutputText.appendJSONString(message, to: &text)
        text += Array("}}\n".utf8)
        return text
    }
}

/// Responses with a body in one buffer.
enum JSONResponse {
    static func make(status: HTTPResponse.Status = .ok, body: [UInt8], contentType: String = "application/json",
                     extraHeaders: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// An Encodable value in the kit's JSON form (sorted keys, so the same value gives the same bytes).
    static func encode<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return make(status: status, body: Array(try encoder.encode(value)) + [UInt8(ascii: "\n")])
    }
}
