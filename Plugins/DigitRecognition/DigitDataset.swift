import Foundation
import SolutionKit

/// Labelled digit images in NCHW (`[count, 1, height, width]`, values 0...1) with a train/test split.
struct DigitDataset: DomainDataset {
    let name: String
    let source: String
    let fingerprint: String
    let images: Tensor
    let labels: [Int]
    let classNames: [String]
    let split: TrainTestSplit
    /// How raw images (PNG files) are brought to the network's input: recorded in bundles for scoring.
    let normalizer: DigitNormalizer
    let splitDescription: String

    var trainingCount: Int { split.train.count }
    var evaluationCount: Int { split.test.count }
    var height: Int { images.shape[2] }
    var width: Int { images.shape[3] }

    var summary: String {
        "\(labels.count) images of \(height)×\(width) pixels, \(classNames.count) classes (\(classNames.joined(separator: ", "))); "
            + (split.train.isEmpty ? "all images are evaluation data" : splitDescription)
    }

    var profile: DataProfile {
        let facts = [DataProfile.Fact("images", "\(labels.count)"), .init("image size", "\(height)×\(width) pixels, grey"),
                     .init("training images", "\(trainingCount)"), .init("evaluation images", "\(evaluationCount)"),
                     .init("classes", classNames.joined(separator: ", ")),
                     .init("split", split.train.isEmpty ? "all images are evaluation data" : splitDescription)]
        func counts(_ title: String, _ rows: [Int]) -> DataProfile.Counts {
            DataProfile.Counts(title: title, values: rows.map { classNames[labels[$0]] }, order: classNames)
        }
        var classCounts: [DataProfile.Counts] = []
        if !split.train.isEmpty { classCounts.append(counts("Training images per class", split.train)) }
        if !split.test.isEmpty { classCounts.append(counts("Evaluation images per class", split.test)) }
        return DataProfile(facts: facts, counts: classCounts)
    }

    static func cast(_ data: any DomainDataset) throws -> DigitDataset {
        guard let data = data as? DigitDataset else {
            throw InternalError("digit-recognition was handed a dataset of type \(type(of: data))")
        }
        return data
    }

    func subset(_ rows: [Int]) -> (Tensor, [Int]) {
        (images.gatheringRows(rows), rows.map { labels[$0] })
    }
}

/// The named datasets and the loaders for `--data` paths.
enum DigitDatasets {
    static let digitClasses = (0..<10).map(String.init)
    static let mnistNormalizer = DigitNormalizer()
    /// sklearn's 8×8 digits fill their whole frame (32×32 bitmaps counted in 4×4 blocks).
    static let smallNormalizer = DigitNormalizer(fieldSize: 8, boxSize: 8)

    static let formats = [
        "a folder with MNIST's four IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-...)",
        "an IDX image file (.gz or plain) with its labels beside it (…-images-idx3… → …-labels-idx1…) or --option labels=PATH",
        "an image folder root/<label>/*.png (any size, colour or grey; normalised MNIST-style), or root/train/<label> and root/test/<label>",
        "a CSV (optionally .gz) of 64 pixel values 0-16 and a label per row, as sklearn's digits.csv.gz",
    ]

    static let descriptors: [DatasetDescriptor] = [
        DatasetDescriptor(name: "sample", summary: "sklearn's 1,797 8×8 digits and 300 MNIST test digits as PNG files, "
                          + "all normalised to 28×28; test = every fifth image", location: "samples/digit-recognition", formats: formats),
        DatasetDescriptor(name: "mnist", summary: "MNIST, the official 60,000 training and 10,000 test images",
                          location: "shared datasets folder mnist", formats: formats),
        DatasetDescriptor(name: "sklearn-digits", summary: "sklearn's 1,797 8×8 digits at their own size; test = row_index % 5 == fold "
                          + "(--option fold=0…4)", location: "shared datasets folder sklearn-digits", formats: formats),
    ]

    static func load(_ request: DataRequest, plugin: DigitRecognitionPlugin) throws -> DigitDataset {
        let evaluationOnly = request.isEvaluationOnly
        switch request.source {
        case .dataset("sample"):
            return try loadSample(folder: try DatasetLocator.samples.folder(named: "digit-recognition"), evaluationOnly: evaluationOnly)
        case .dataset("mnist"):
            return try loadMNIST(folder: try DatasetLocator().folder(named: "mnist"), name: "mnist", evaluationOnly: evaluationOnly)
        case .dataset("sklearn-digits"):
            let folder = try DatasetLocator().folder(named: "sklearn-digits")
            return try loadDigitsCSV(path: folder + "/digits.csv.gz", name: "sklearn-digits",
                                     fold: try fold(request), evaluationOnly: evaluationOnly)
        case .dataset(let other):
            throw DataRequestError.unknownDataset(other, plugin: plugin.id, known: descriptors.map(\.name))
        case .file(let path):
            return try loadPath(path, request: request)
        }
    }

    static func fold(_ request: DataRequest) throws -> Int {
        guard let text = request.options["fold"] else { return 0 }
        guard let value = Int(text), (0..<5).contains(value) else {
            throw DataRequestError("option fold=\(text): expected a fold number 0, 1, 2, 3 or 4")
        }
        return value
    }

    static func loadPath(_ path: String, request: DataRequest) throws -> DigitDataset {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let evaluationOnly = request.isEvaluationOnly
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataRequestError("\(path): no such file or folder")
        }
        if isDirectory.boolValue {
            if mnistFile(in: path, "train-images-idx3-ubyte") != nil {
                return try loadMNIST(folder: path, name: name, evaluationOnly: evaluationOnly)
            }
            return try loadImageFolder(path, name: name, evaluationOnly: evaluationOnly)
        }
        let lower = name.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".csv.gz") {
            return try loadDigitsCSV(path: path, name: name, fold: try fold(request), evaluationOnly: evaluationOnly)
        }
        // An IDX image file and its labels.
        let labels = request.options["labels"] ?? path.replacingOccurrences(of: "images-idx3", with: "labels-idx1")
        guard labels != path, FileManager.default.fileExists(atPath: labels) else {
            throw DataRequestError("\(path): give the matching label file with --option labels=PATH "
                                   + "(looked for \(labels))")
        }
        let pair = try LabelledImages.readIDX(images: path, labels: labels)
        let split = evaluationOnly ? TrainTestSplit(train: [], test: Array(0..<pair.labels.count))
            : TrainTestSplit.byRowIndex(rowCount: pair.labels.count, modulus: 5, remainder: 0)
        return DigitDataset(name: name, source: path, fingerprint: try DatasetFingerprint.sha256(ofFiles: [path, labels]),
                            images: pair.images, labels: pair.labels, classNames: digitClasses, split: split,
                            normalizer: normalizer(forSide: pair.images.shape[2]), splitDescription: "test = row_index % 5 == 0")
    }

    static func normalizer(forSide side: Int) -> DigitNormalizer {
        side == 8 ? smallNormalizer : DigitNormalizer(fieldSize: side, boxSize: max(1, side * 20 / 28))
    }

    static func mnistFile(in folder: String, _ stem: String) -> String? {
        for candidate in [folder + "/" + stem + ".gz", folder + "/" + stem] where FileManager.default.fileExists(atPath: candidate) {
            return candidate
        }
        return nil
    }

    /// The official split: the 60,000 training images, then the 10,000 test images.
    static func loadMNIST(folder: String, name: String, evaluationOnly: Bool) throws -> DigitDataset {
        func file(_ stem: String) throws -> String {
            guard let path = mnistFile(in: folder, stem) else { throw DataRequestError("\(folder): no \(stem)[.gz]") }
            return path
        }
        let files = try ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"].map(file)
        let train = try LabelledImages.readIDX(images: files[0], labels: files[1])
        let test = try LabelledImages.readIDX(images: files[2], labels: files[3])
        guard train.images.shape.dropFirst() == test.images.shape.dropFirst() else {
            throw DataRequestError("\(folder): training images are \(train.images.shape.dropFirst()) but test images \(test.images.shape.dropFirst())")
        }
        var images = Tensor(zeros: [train.labels.count + test.labels.count] + Array(train.images.shape.dropFirst()))
        images.setRows(startingAt: 0, from: train.images)
        images.setRows(startingAt: train.labels.count, from: test.images)
        let count = train.labels.count + test.labels.count
        let split = evaluationOnly ? TrainTestSplit(train: [], test: Array(0..<count))
            : TrainTestSplit(train: Array(0..<train.labels.count), test: Array(train.labels.count..<count))
        return DigitDataset(name: name, source: folder, fingerprint: try DatasetFingerprint.sha256(ofFiles: files),
                            images: images, labels: train.labels + test.labels, classNames: digitClasses, split: split,
                            normalizer: mnistNormalizer,
                            splitDescription: "official split: \(train.labels.count) training, \(test.labels.count) test images")
    }

    /// Rows of 64 pixel values (0–16) and a label, as sklearn's digits.csv.gz, kept at 8×8 and scaled to 0...1.
    static func readDigitsCSV(path: String) throws -> (images: Tensor, labels: [Int]) {
        let bytes = try GzipBytes.read(path: path)
        var scalars: [Float] = [], labels: [Int] = []
        var lineNumber = 0
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty { continue }
            let fields = text.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == 65 else {
                throw DataRequestError("\(path), line \(lineNumber): \(fields.count) fields, expected 64 pixels and a label")
            }
            for (column, field) in fields.enumerated() {
                guard let value = Double(field.trimmingCharacters(in: .whitespaces)), value.isFinite else {
                    throw DataRequestError("\(path), line \(lineNumber), field \(column + 1): '\(field)' is not a number")
                }
                if column < 64 {
                    guard (0...16).contains(value) else {
                        throw DataRequestError("\(path), line \(lineNumber), field \(column + 1): pixel \(value) is outside 0…16")
                    }
                    scalars.append(Float(value / 16))
                } else {
                    guard value == value.rounded(), (0...9).contains(value) else {
                        throw DataRequestError("\(path), line \(lineNumber): label \(value) is not a digit 0…9")
                    }
                    labels.append(Int(value))
                }
            }
        }
        guard !labels.isEmpty else { throw DataRequestError("\(path): no rows") }
        return (Tensor(shape: [labels.count, 1, 8, 8], scalars: scalars), labels)
    }

    static func loadDigitsCSV(path: String, name: String, fold: Int, evaluationOnly: Bool) throws -> DigitDataset {
        let (images, labels) = try readDigitsCSV(path: path)
        let split = evaluationOnly ? TrainTestSplit(train: [], test: Array(0..<labels.count))
            : TrainTestSplit.byRowIndex(rowCount: labels.count, modulus: 5, remainder: fold)
        return DigitDataset(name: name, source: path, fingerprint: try DatasetFingerprint.sha256(ofFiles: [path]),
                            images: images, labels: labels, classNames: digitClasses, split: split,
                            normalizer: smallNormalizer, splitDescription: "PROTOCOL fold \(fold): test = row_index % 5 == \(fold)")
    }

    /// An image folder, with `train/` and `test/` sub-folders when it has them, else test = every fifth image.
    static func loadImageFolder(_ root: String, name: String, evaluationOnly: Bool) throws -> DigitDataset {
        let trainRoot = root + "/train", testRoot = root + "/test"
        var isDirectory: ObjCBool = false
        let hasLayout = FileManager.default.fileExists(atPath: trainRoot, isDirectory: &isDirectory) && isDirectory.boolValue
            && FileManager.default.fileExists(atPath: testRoot, isDirectory: &isDirectory) && isDirectory.boolValue
        let normalizer = mnistNormalizer
        if hasLayout {
            let train = try ImageFolderListing(root: trainRoot), test = try ImageFolderListing(root: testRoot)
            guard train.classNames == test.classNames else {
                throw DataRequestError("\(root): train/ has classes \(train.classNames) but test/ has \(test.classNames)")
            }
            let paths = train.paths + test.paths
            let images = try ImageBatchLoader.loadDigits(paths, normalizer: normalizer)
            let count = paths.count
            let split = evaluationOnly ? TrainTestSplit(train: [], test: Array(0..<count))
                : TrainTestSplit(train: Array(0..<train.paths.count), test: Array(train.paths.count..<count))
            return DigitDataset(name: name, source: root, fingerprint: try DatasetFingerprint.sha256(ofFiles: paths),
                                images: images, labels: train.labels + test.labels, classNames: train.classNames, split: split,
                                normalizer: normalizer, splitDescription: "train/ and test/ folders")
        }
        let listing = try ImageFolderListing(root: root)
        let images = try ImageBatchLoader.loadDigits(listing.paths, normalizer: normalizer)
        let split = evaluationOnly ? TrainTestSplit(train: [], test: Array(0..<listing.paths.count))
            : TrainTestSplit.byRowIndex(rowCount: listing.paths.count, modulus: 5, remainder: 0)
        return DigitDataset(name: name, source: root, fingerprint: try DatasetFingerprint.sha256(ofFiles: listing.paths),
                            images: images, labels: listing.labels, classNames: listing.classNames, split: split,
                            normalizer: normalizer, splitDescription: "test = every fifth image in listing order")
    }

    /// sklearn's digits brought to 28×28 MNIST style, and the MNIST PNG digits, each split every fifth image.
    static func loadSample(folder: String, evaluationOnly: Bool) throws -> DigitDataset {
        let csv = folder + "/digits.csv.gz"
        let (small, smallLabels) = try readDigitsCSV(path: csv)
        let normalizer = mnistNormalizer
        let field = normalizer.fieldSize * normalizer.fieldSize
        var scalars = [Float](repeating: 0, count: smallLabels.count * field)
        for index in 0..<smallLabels.count {
            let pixels = (0..<64).map { UInt8(min(255, (small.scalars[index * 64 + $0] * 255).rounded())) }
            let normalised = try normalizer.normalize(GrayImage(width: 8, height: 8, pixels: pixels), name: "\(csv) row \(index + 1)")
            for i in 0..<field { scalars[index * field + i] = normalised[i] }
        }
        let listing = try ImageFolderListing(root: folder + "/mnist-png")
        guard listing.classNames == digitClasses else {
            throw DataRequestError("\(folder)/mnist-png: expected class folders 0…9, found \(listing.classNames)")
        }
        let pngs = try ImageBatchLoader.loadDigits(listing.paths, normalizer: normalizer)
        var images = Tensor(zeros: [smallLabels.count + listing.paths.count, 1, 28, 28])
        images.setRows(startingAt: 0, from: Tensor(shape: [smallLabels.count, 1, 28, 28], scalars: scalars))
        images.setRows(startingAt: smallLabels.count, from: pngs)
        let count = smallLabels.count + listing.paths.count
        let test = (0..<smallLabels.count).filter { $0 % 5 == 0 } + (0..<listing.paths.count).filter { $0 % 5 == 0 }.map { $0 + smallLabels.count }
        let testSet = Set(test)
        let split = evaluationOnly ? TrainTestSplit(train: [], test: Array(0..<count))
            : TrainTestSplit(train: (0..<count).filter { !testSet.contains($0) }, test: test)
        return DigitDataset(name: "sample", source: folder, fingerprint: try DatasetFingerprint.sha256(ofFiles: [csv] + listing.paths),
                            images: images, labels: smallLabels + listing.labels, classNames: digitClasses, split: split,
                            normalizer: normalizer,
                            splitDescription: "\(smallLabels.count) sklearn digits and \(listing.paths.count) MNIST PNGs; test = every fifth of each")
    }
}

/// Whole-file reads through zlib (plain files pass through), for the small CSV inputs.
enum GzipBytes {
    static func read(path: String) throws -> [UInt8] {
        // IDXArray's reader is the kit's checked zlib path; a CSV is read through the same function.
        try IDXArray.readRawBytes(path: path)
    }
}
