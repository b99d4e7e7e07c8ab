/// Why a JSON document could not be read: what was wrong, where in the bytes, and under which key path.
///
/// The path is filled in while the error travels up through the readers of nested values, so reading
/// costs nothing for it until something actually fails.
public struct JSONReadError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What was wrong, e.g. "expected a number, found a string" or "missing key leafValue".
    public var problem: String
    /// Byte offset (0-based) of the offending value or character.
    public var offset: Int
    /// 1-based line and column (in bytes) of `offset`, for people opening the file in an editor.
    public var line: Int
    public var column: Int
    /// Object keys and array indices from the document's root down to the offending value.
    public var path: [String] = []

    public init(problem: String, offset: Int, line: Int, column: Int, path: [String] = []) {
        self.problem = problem
        self.offset = offset
        self.line = line
        self.column = column
        self.path = path
    }

    /// The path the way `DecodingError` paths are usually printed, e.g. "trees.3.threshold.5".
    public var pathDescription: String { path.isEmpty ? "the top level" : path.joined(separator: ".") }

    public var description: String {
        "\(problem) at \(pathDescription) (byte \(offset), line \(line), column \(column))"
    }

    /// The same error one level further down: `component` is the key or index that led to the failing value.
    func under(_ component: String) -> JSONReadError {
        var error = self
        error.path.insert(component, at: 0)
        return error
    }
}
