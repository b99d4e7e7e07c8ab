import Foundation
import SolutionKit

/// Streams images through a digit model: input is either text naming PNG files and folders (one per line;
/// an optional first line `path`), or an IDX image file (plain or gzip) or one PNG image given as the input
/// itself (then the input's name is the row's path; `launcher serve` scores uploaded PNG bytes this way).
///
/// Output per image: path, label, probability and the top 3 (CSV or JSON lines), in input order. An image that
/// cannot be read (missing, not a PNG, corrupt, blank, too large) goes to rejects as `line,path,reason` (after a
/// header line) and is counted; the path matters when one listed folder expands to many images on the same line.
/// Images are decoded and normalised in batches of `batchSize` on all cores, so memory stays bounded.
final class DigitScorer: BatchScorer {
    let model: DigitModel
    let batchSize = 256
    /// `launcher score --input FOLDER` scores every image under the folder (a listed folder is expanded below).
    var acceptsFolders: Bool { true }
    /// Row k is the k-th image in reading order (a listed folder's images one by one; an IDX file's images).
    var supportsSharding: Bool { true }
    /// Input lines are paths this scorer opens.
    var readsFilesNamedInInput: Bool { true }
    /// The largest PNG accepted as the input itself; a bigger one is rejected before it is read whole.
    static let maximumPNGBytes = 64 << 20

    init(model: DigitModel) { self.model = model }

    struct Item {
        var line: Int
        var path: String
    }

    func score(_ input: any ByteSource, into output: OutputSink, rejects: OutputSink?,
               options: ScoringOptions) throws -> ScoringSummary {
        let reader = BufferedLineReader(input)
        let writer = PredictionWriter(format: options.format, classNames: model.classNames, output: output)
        try writer.writeHeader()
        if let rejects { try rejects.write("line,path,reason\n") }
        var summary = ScoringSummary()
        let head = try reader.peek(4)
        if head.count >= 2 && head[0] == 0x1F && head[1] == 0x8B || head.count >= 3 && head[0] == 0 && head[1] == 0 && head[2] == 8 {
            try scoreIDX(reader, name: input.name, shard: options.shard, writer: writer, summary: &summary)
            return summary
        }
        if head.elementsEqual([0x89, 0x50, 0x4E, 0x47]) {
            // One image is one row: row 0, in the first shard.
            guard options.shard.contains(row: 0) else { return summary }
            try scorePNG(reader, name: input.name, writer: writer, rejects: rejects, summary: &summary)
            return summary
        }
        var pending: [Item] = []
        var lineNumber = 0
        var row = 0
        func add(_ item: Item) {
            if options.shard.contains(row: row) { pending.append(item) }
            row += 1
        }
        while let raw = try reader.nextLine() {
            lineNumber += 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || (lineNumber == 1 && line == "path") { continue }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: line, isDirectory: &isDirectory), isDirectory.boolValue {
                for file in try ImageFolderListing.imageFiles(under: line) {
                    add(Item(line: lineNumber, path: file))
                    if pending.count >= batchSize { try flush(&pending, writer: writer, rejects: rejects, summary: &summary) }
                }
            } else {
                add(Item(line: lineNumber, path: line))
            }
            if pending.count >= batchSize { try flush(&pending, writer: writer, rejects: rejects, summary: &summary) }
        }
        try flush(&pending, writer: writer, rejects: rejects, summary: &summary)
        return summary
    }

    /// Decodes and normalises a batch in parallel, rejects the failures, scores the rest in order.
    private func flush(_ items: inout [Item], writer: PredictionWriter, rejects: OutputSink?, summary: inout ScoringSummary) throws {
        guard !items.isEmpty else { return }
        let h = model.inputHeight, w = model.inputWidth, size = h * w
        var scalars = [Float](repeating: 0, count: items.count * size)
        var failures = [String?](repeating: nil, count: items.count)
        let normalizer = model.normalizer
        let batch = items
        scalars.withUnsafeMutableBufferPointer { target in
            failures.withUnsafeMutableBufferPointer { failed in
                parallelFor(batch.count, minimumChunkSize: 8) { _, range in
                    for index in range {
                        do {
                            let field = try normalizer.normalize(try PNGCodec.readGray(path: batch[index].path), name: batch[index].path)
                            guard field.count == size else { throw DataRequestError("normalised size does not match the model") }
                            for i in 0..<size { target[index * size + i] = field[i] }
                        } catch {
                            failed[index] = "\(error)"
                        }
                    }
                }
            }
        }
        var good: [Int] = []
        for (index, failure) in failures.enumerated() {
            summary.rowsRead += 1
            if let failure {
                summary.rowsRejected += 1
                try rejects?.write("\(batch[index].line),\(OutputText.csvField(batch[index].path)),\(OutputText.csvField(failure))\n")
            } else {
                good.append(index)
            }
        }
        if !good.isEmpty {
            let images = Tensor(shape: [items.count, 1, h, w], scalars: scalars).gatheringRows(good)
            let probabilities = model.probabilities(images)
            for (row, index) in good.enumerated() {
                try writer.write(path: batch[index].path, probabilities: probabilities, row: row)
            }
            summary.rowsScored += good.count
        }
        items.removeAll(keepingCapacity: true)
    }

    /// One PNG image as the input itself: one row, named after the input; an unreadable image is its reject.
    private func scorePNG(_ reader: BufferedLineReader, name: String, writer: PredictionWriter, rejects: OutputSink?,
                          summary: inout ScoringSummary) throws {
        summary.rowsRead += 1
        do {
            let bytes = try reader.readAll(limit: Self.maximumPNGBytes)
            let field = try model.normalizer.normalize(try PNGCodec.decodeGray(bytes, name: name), name: name)
            let h = model.inputHeight, w = model.inputWidth
            guard field.count == h * w else { throw DataRequestError("normalised size does not match the model") }
            let probabilities = model.probabilities(Tensor(shape: [1, 1, h, w], scalars: field))
            try writer.write(path: name, probabilities: probabilities, row: 0)
            summary.rowsScored += 1
        } catch let error as IOError {
            throw error
        } catch {
            summary.rowsRejected += 1
            try rejects?.write("1,\(OutputText.csvField(name)),\(OutputText.csvField("\(error)"))\n")
        }
    }

    /// An IDX image file as input: copied to a temporary file and read through the checked IDX reader.
    private func scoreIDX(_ reader: BufferedLineReader, name: String, shard: RowShard, writer: PredictionWriter,
                          summary: inout ScoringSummary) throws {
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("digits-score-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try Data(try reader.readAll()).write(to: temporary)
        let array: IDXArray
        do {
            array = try IDXArray.read(path: temporary.path)
        } catch let error as ImageError {
            throw DataRequestError("\(name): \(error.description.replacingOccurrences(of: temporary.path + ": ", with: ""))")
        }
        guard array.dimensions.count == 3 else {
            throw DataRequestError("\(name): an IDX image file needs 3 dimensions [count, rows, columns], found \(array.dimensions)")
        }
        let count = array.dimensions[0], rows = array.dimensions[1], columns = array.dimensions[2]
        let h = model.inputHeight, w = model.inputWidth
        // The images of this shard (all of them unless sharded), scored in batches; the path keeps each image's
        // index in the file.
        let selected = (0..<count).filter { shard.contains(row: $0) }
        var start = 0
        while start < selected.count {
            let batch = selected[start..<min(selected.count, start + batchSize)]
            var scalars: [Float] = []
            scalars.reserveCapacity(batch.count * h * w)
            for item in batch {
                let pixels = array.values[(item * rows * columns)..<((item + 1) * rows * columns)]
                if rows == h && columns == w {
                    // Already at the model's size (MNIST's own files): used as they are, as in training.
                    scalars += pixels.map { Float($0) / 255 }
                } else {
                    scalars += try model.normalizer.normalize(GrayImage(width: columns, height: rows, pixels: Array(pixels)),
                                                              name: "\(name) image \(item)")
                }
            }
            let probabilities = model.probabilities(Tensor(shape: [batch.count, 1, h, w], scalars: scalars))
            for (row, item) in batch.enumerated() {
                try writer.write(path: "\(name)#\(item)", probabilities: probabilities, row: row)
            }
            summary.rowsRead += batch.count
            summary.rowsScored += batch.count
            start += batch.count
        }
    }
}

/// Writes one prediction per image as CSV (`path,label,probability,top3`) or JSON lines.
final class PredictionWriter {
    let format: ScoringFormat
    let classNames: [String]
    let output: OutputSink

    init(format: ScoringFormat, classNames: [String], output: OutputSink) {
        self.format = format
        self.classNames = classNames
        self.output = output
    }

    func writeHeader() throws {
        if format == .csv { try output.write("path,label,probability,top3\n") }
    }

    func write(path: String, probabilities: Tensor, row: Int) throws {
        let classes = probabilities.columns
        let values = Array(probabilities.scalars[(row * classes)..<((row + 1) * classes)])
        let top = values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(3)
        let best = top.first!
        switch format {
        case .csv:
            let topText = top.map { "\(classNames[$0]):\(String(format: "%.6f", values[$0]))" }.joined(separator: " ")
            try output.write("\(OutputText.csvField(path)),\(OutputText.csvField(classNames[best])),\(String(format: "%.6f", values[best])),\(topText)\n")
        case .jsonl:
            let topJSON = top.map { "{\"label\":\(OutputText.jsonString(classNames[$0])),\"probability\":\(String(format: "%.6f", values[$0]))}" }
            try output.write("{\"path\":\(OutputText.jsonString(path)),\"label\":\(OutputText.jsonString(classNames[best])),"
                             + "\"probability\":\(String(format: "%.6f", values[best])),\"top3\":[\(topJSON.joined(separator: ","))]}\n")
        }
    }
}

/// Lines (or all bytes) from a `ByteSource`, read in 64 KiB blocks, with a peek at the first bytes.
final class BufferedLineReader {
    private let source: any ByteSource
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private var block = [UInt8](repeating: 0, count: 1 << 16)

    init(_ source: any ByteSource) { self.source = source }

    private func fill() throws -> Bool {
        if finished { return false }
        let n = try block.withUnsafeMutableBytes { try source.read(into: $0) }
        if n == 0 { finished = true; return false }
        if position > 0 { buffer.removeFirst(position); position = 0 }
        buffer.append(contentsOf: block[0..<n])
        return true
    }

    func peek(_ count: Int) throws -> [UInt8] {
        while buffer.count - position < count, try fill() {}
        return Array(buffer[position..<min(buffer.count, position + count)])
    }

    func nextLine() throws -> String? {
        while true {
            if let newline = buffer[position...].firstIndex(of: 0x0A) {
                var end = newline
                if end > position && buffer[end - 1] == 0x0D { end -= 1 }
                let line = String(decoding: buffer[position..<end], as: UTF8.self)
                position = newline + 1
                return line
            }
            if try !fill() {
                guard position < buffer.count else { return nil }
                let line = String(decoding: buffer[position...], as: UTF8.self)
                position = buffer.count
                return line.hasSuffix("\r") ? String(line.dropLast()) : line
            }
        }
    }

    /// Everything left; with `limit`, refuses (before reading on) an input longer than that many bytes.
    func readAll(limit: Int = .max) throws -> [UInt8] {
        while try fill() {
            if buffer.count - position > limit { throw DataRequestError("larger than \(limit) bytes") }
        }
        let result = Array(buffer[position...])
        position = buffer.count
        return result
    }
}
