import CLibPNG
import Foundation

/// PNG reading and writing through libpng's simplified API, which handles every colour type, bit depth,
/// palette and interlacing and reports errors through return values (never `longjmp` through Swift).
public enum PNGCodec {
    /// The largest image decoded (width × height). The header is checked against it before any pixel memory
    /// is allocated, so a small file claiming 100000×100000 pixels is refused cheaply.
    public static let maximumPixels = 1 << 26

    /// Reads a PNG file as 8-bit grey (colour converted with libpng's sRGB weights, alpha composited on white).
    public static func readGray(path: String, maximumPixels: Int = PNGCodec.maximumPixels) throws -> GrayImage {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw ImageError.unreadable(path: path, reason: !exists ? "no such file" : isDirectory.boolValue ? "is a directory" : "permission denied")
        }
        return try decodeGray([UInt8](data), name: path, maximumPixels: maximumPixels)
    }

    /// Decodes PNG bytes as 8-bit grey; `name` is used in messages.
    public static func decodeGray(_ bytes: [UInt8], name: String, maximumPixels: Int = PNGCodec.maximumPixels) throws -> GrayImage {
        guard bytes.count >= 8, bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else {
            throw ImageError.corrupt(path: name, reason: "no PNG signature")
        }
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        let began = bytes.withUnsafeBytes { png_image_begin_read_from_memory(&image, $0.baseAddress, $0.count) }
        guard began != 0 else {
            defer { png_image_free(&image) }
            throw ImageError.corrupt(path: name, reason: message(of: &image))
        }
        let width = Int(image.width), height = Int(image.height)
        guard width > 0, height > 0, width <= maximumPixels, height <= maximumPixels, width * height <= maximumPixels else {
            png_image_free(&image)
            throw ImageError.tooLarge(path: name, width: width, height: height, limit: maximumPixels)
        }
        image.format = png_uint_32(PNG_FORMAT_GRAY)
        var pixels = [UInt8](repeating: 0, count: width * height)
        var white = png_color(red: 255, green: 255, blue: 255)
        let finished = bytes.withUnsafeBytes { _ in
            pixels.withUnsafeMutableBytes { target in
                png_image_finish_read(&image, &white, target.baseAddress, png_int_32(width), nil)
            }
        }
        guard finished != 0 else {
            defer { png_image_free(&image) }
            throw ImageError.corrupt(path: name, reason: message(of: &image))
        }
        return GrayImage(width: width, height: height, pixels: pixels)
    }

    /// The colour layouts `encode` writes.
    public enum Layout: Sendable {
        case gray
        /// Each grey value repeated in R, G and B.
        case rgb
        /// 8-bit palette (colour-mapped) image with one RGB entry per grey level used.
        case palette
    }

    /// Encodes a grey image as PNG in memory.
    public static func encode(_ gray: GrayImage, layout: Layout = .gray) throws -> [UInt8] {
        var image = png_image()
        image.version = png_uint_32(PNG_IMAGE_VERSION)
        image.width = png_uint_32(gray.width)
        image.height = png_uint_32(gray.height)
        var buffer: [UInt8]
        var colormap: [UInt8] = []
        let stride: Int
        switch layout {
        case .gray:
            image.format = png_uint_32(PNG_FORMAT_GRAY)
            buffer = gray.pixels
            stride = gray.width
        case .rgb:
            image.format = png_uint_32(PNG_FORMAT_RGB)
            buffer = [UInt8](repeating: 0, count: gray.pixels.count * 3)
            for (i, v) in gray.pixels.enumerated() { buffer[3 * i] = v; buffer[3 * i + 1] = v; buffer[3 * i + 2] = v }
            stride = gray.width * 3
        case .palette:
            image.format = png_uint_32(PNG_FORMAT_RGB | PNG_FORMAT_FLAG_COLORMAP)
            var index = [Int](repeating: -1, count: 256)
            buffer = [UInt8](repeating: 0, count: gray.pixels.count)
            for (i, v) in gray.pixels.enumerated() {
                if index[Int(v)] < 0 { index[Int(v)] = colormap.count / 3; colormap += [v, v, v] }
                buffer[i] = UInt8(index[Int(v)])
            }
            image.colormap_entries = png_uint_32(colormap.count / 3)
            stride = gray.width
        }
        var size = 0
        // First call measures, second writes.
        let measured = buffer.withUnsafeBytes { pixels in
            colormap.withUnsafeBytes { map in
                png_image_write_to_memory(&image, nil, &size, 0, pixels.baseAddress, png_int_32(stride),
                                          layout == .palette ? map.baseAddress : nil)
            }
        }
        guard measured != 0, size > 0 else {
            defer { png_image_free(&image) }
            throw ImageError.corrupt(path: "<encoder>", reason: message(of: &image))
        }
        var output = [UInt8](repeating: 0, count: size)
        let written = output.withUnsafeMutableBytes { target in
            buffer.withUnsafeBytes { pixels in
                colormap.withUnsafeBytes { map in
                    png_image_write_to_memory(&image, target.baseAddress, &size, 0, pixels.baseAddress, png_int_32(stride),
                                              layout == .palette ? map.baseAddress : nil)
                }
            }
        }
        guard written != 0 else {
            defer { png_image_free(&image) }
            throw ImageError.corrupt(path: "<encoder>", reason: message(of: &image))
        }
        return Array(output[0..<size])
    }

    /// Encodes and writes atomically (temporary file, then rename).
    public static func write(_ gray: GrayImage, to path: String, layout: Layout = .gray) throws {
        let bytes = try encode(gray, layout: layout)
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    private static func message(of image: inout png_image) -> String {
        let text = withUnsafeBytes(of: &image.message) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        return text.isEmpty ? "libpng reported an error" : text
    }
}
