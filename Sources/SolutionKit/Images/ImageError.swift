/// Why an image or image-array file could not be read. Every case names the file.
public enum ImageError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case badMagic(path: String, found: String, expected: String)
    case badHeader(path: String, reason: String)
    case truncated(path: String, expectedBytes: Int, foundBytes: Int)
    case trailingData(path: String, expectedBytes: Int)
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    case corrupt(path: String, reason: String)
    case noInk(path: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "\(path): cannot read: \(reason)"
        case let .badMagic(path, found, expected): return "\(path): wrong magic number \(found), expected \(expected)"
        case let .badHeader(path, reason): return "\(path): bad header: \(reason)"
        case let .truncated(path, expected, found):
            return "\(path): truncated: the header promises \(expected) data bytes, the file holds \(found)"
        case let .trailingData(path, expected): return "\(path): more data than the \(expected) bytes the header promises"
        case let .countMismatch(images, imageCount, labels, labelCount):
            return "\(labels) holds \(labelCount) labels but \(images) holds \(imageCount) images"
        case let .tooLarge(path, width, height, limit):
            return "\(path): image of \(width)×\(height) pixels exceeds the limit of \(limit) pixels; refused before decoding"
        case let .corrupt(path, reason): return "\(path): not a readable PNG: \(reason)"
        case let .noInk(path): return "\(path): the image is blank (no ink found)"
        }
    }
}
