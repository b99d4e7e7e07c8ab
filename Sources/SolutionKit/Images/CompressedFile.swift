extension IDXArray {
    /// The decompressed bytes of a gzip file (or a plain file's bytes), through the same checked zlib reader
    /// as IDX files: for other small compressed inputs such as sklearn's digits.csv.gz.
    public static func readRawBytes(path: String, limit: Int = 1 << 30) throws -> [UInt8] {
        try GzipReader.readAll(path: path, limit: limit)
    }
}
