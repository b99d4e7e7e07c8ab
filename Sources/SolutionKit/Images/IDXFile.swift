import Foundation

/// An array of unsigned bytes in the IDX format of MNIST (`[0, 0, 0x08, rank]`, big-endian 32-bit dimensions,
/// then the values), read from a plain or gzip-compressed file.
///
/// The header is validated before anything is allocated for the data: the type code must be 0x08 (unsigned
/// byte, the only type MNIST-style files use), the rank 1–4, every dimension positive, and the total within
/// `maximumBytes`. The data must be exactly as long as the header says.
public struct IDXArray: Equatable, Sendable {
    public var dimensions: [Int]
    public var values: [UInt8]

    public static let maximumBytes = 1 << 31

    public init(dimensions: [Int], values: [UInt8]) {
        self.dimensions = dimensions
        self.values = values
    }

    /// Reads `path` (gzip or plain).
    public static func read(path: String) throws -> IDXArray {
        try parse(try GzipReader.readAll(path: path, limit: maximumBytes + 64), name: path)
    }

    /// Parses IDX bytes; `name` is used in messages.
    public static func parse(_ bytes: [UInt8], name: String) throws -> IDXArray {
        guard bytes.count >= 4 else {
            throw ImageError.badHeader(path: name, reason: "\(bytes.count) bytes is shorter than the 4-byte magic number")
        }
        guard bytes[0] == 0, bytes[1] == 0, bytes[2] == 0x08, (1...4).contains(bytes[3]) else {
            let found = bytes[0..<4].map { String(format: "%02x", $0) }.joined()
            throw ImageError.badMagic(path: name, found: "0x" + found, expected: "0x000008 followed by a rank 01–04 (unsigned-byte IDX)")
        }
        let rank = Int(bytes[3])
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw ImageError.badHeader(path: name, reason: "the file ends inside the \(rank) dimension sizes")
        }
        var dimensions: [Int] = []
        var total = 1
        for axis in 0..<rank {
            let offset = 4 + 4 * axis
            let size = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            guard size > 0 else { throw ImageError.badHeader(path: name, reason: "dimension \(axis) is 0") }
            total = total.multipliedReportingOverflow(by: size).partialValue
            guard total <= maximumBytes else {
                throw ImageError.badHeader(path: name, reason: "dimensions \(dimensions + [size]) exceed \(maximumBytes) values")
            }
            dimensions.append(size)
        }
        let available = bytes.count - headerSize
        if available < total { throw ImageError.truncated(path: name, expectedBytes: total, foundBytes: available) }
        if available > total { throw ImageError.trailingData(path: name, expectedBytes: total) }
        return IDXArray(dimensions: dimensions, values: Array(bytes[headerSize...]))
    }
}

/// An MNIST-style pair of IDX files: images `[count, rows, columns]` and labels `[count]`.
public struct LabelledImages: Sendable {
    /// `[count, 1, rows, columns]`, values scaled to 0...1.
    public var images: Tensor
    public var labels: [Int]

    public init(images: Tensor, labels: [Int]) {
        self.images = images
        self.labels = labels
    }

    /// Reads and checks an image file and a label file (counts must agree, labels 0–9 by default).
    public static func readIDX(images imagePath: String, labels labelPath: String, classCount: Int = 10) throws -> LabelledImages {
        let images = try IDXArray.read(path: imagePath)
        guard images.dimensions.count == 3 else {
            throw ImageError.badHeader(path: imagePath, reason: "an image file needs 3 dimensions [count, rows, columns], found \(images.dimensions)")
        }
        let labels = try IDXArray.read(path: labelPath)
        guard labels.dimensions.count == 1 else {
            throw ImageError.badHeader(path: labelPath, reason: "a label file needs 1 dimension [count], found \(labels.dimensions)")
        }
        guard labels.dimensions[0] == images.dimensions[0] else {
            throw ImageError.countMismatch(images: imagePath, imageCount: images.dimensions[0],
                                           labels: labelPath, labelCount: labels.dimensions[0])
        }
        if let bad = labels.values.firstIndex(where: { Int($0) >= classCount }) {
            throw ImageError.badHeader(path: labelPath, reason: "label \(labels.values[bad]) at item \(bad) is not a class in 0..<\(classCount)")
        }
        return LabelledImages(images: imageTensor(images), labels: labels.values.map(Int.init))
    }

    /// `[count, rows, columns]` bytes as a `[count, 1, rows, columns]` tensor in 0...1.
    public static func imageTensor(_ array: IDXArray) -> Tensor {
        var scalars = [Float](repeating: 0, count: array.values.count)
        array.values.withUnsafeBufferPointer { source in
            scalars.withUnsafeMutableBufferPointer { target in
                for i in source.indices { target[i] = Float(source[i]) * (1 / 255) }
            }
        }
        return Tensor(shape: [array.dimensions[0], 1, array.dimensions[1], array.dimensions[2]], scalars: scalars)
    }
}
