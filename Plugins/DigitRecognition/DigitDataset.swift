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
    private(set) var split: TrainTestSplit
    /// How raw images (PNG files) are brought to the network's input: recorded in bundles for scoring.
    let normalizer: DigitNormalizer
    private(set) var splitDescription: String

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

    var foldingUnits: FoldingUnits? { FoldingUnits(count: split.train.count, grouping: .strata(split.train.map { labels[$0] }), unit: "image") }

    func refolded(training: [Int], evaluation: [Int]) throws -> any DomainDataset {
        var fold = self
        fold.split = try split.refolded(training: training, evaluation: evaluation)
        fold.splitDescription = "a cross-validation fold of the training part (stratified by class, \(training.count) training images, \(evaluation.count) evaluation images)"
        return fold
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
        "--test takes a second path of the same kind (an IDX file with its labels beside it or --option test_labels=PATH, "
            + "an image folder, a digits CSV); a path with its own split (MNIST's files, train/ and test/ folders) keeps it",
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

    /// Labelled images read from one path given with `--data` or `--test`, and the split the path carries itself
    /// (MNIST's train/t10k files, an image folder's train/ and test/), if any.
    struct LabelledPath {
        var images: Tensor
        var labels: [Int]
        var classNames: [String]
        var files: [String]
        var normalizer: DigitNormalizer
        var ownSplit: DataSplit?
    }

    /// A `--data` path: its own split when it has one (unless `--option split=` says otherwise), else the request's
    /// split (seeded random, stratified by class, by default), or the `--test` path's images as the test part.
    static func loadPath(_ path: String, request: DataRequest) throws -> DigitDataset {
        var data = try readPath(path, labels: request.options["labels"])
        var testRows: Range<Int>? = nil
        if let testPath = request.separateTestFile {
            if let own = data.ownSplit {
                throw DataRequestError("\(path) already holds its own test part (\(own.description)); give --test FILE with a "
                                       + "file or folder of training images only")
            }
            let test = try readPath(testPath, labels: request.options["test_labels"])
            testRows = data.labels.count..<(data.labels.count + test.labels.count)
            data = try appending(test, testPath, to: data, path)
        }
        let split: DataSplit
        if let own = data.ownSplit, !request.isEvaluationOnly, request.options[DataOptionKey.split] == nil {
            split = own
        } else {
            split = try request.split(rowCount: data.labels.count, testRows: testRows, strata: data.labels, source: path)
        }
        return DigitDataset(name: URL(fileURLWithPath: path).lastPathComponent, source: path,
                            fingerprint: try DatasetFingerprint.sha256(ofFiles: data.files), images: data.images,
                            labels: data.labels, classNames: data.classNames, split: split.split,
                            normalizer: data.normalizer, splitDescription: split.description)
    }

    /// Reads an MNIST folder, an image folder, a digits CSV or an IDX image file with its labels.
    static func readPath(_ path: String, labels labelsOption: String?) throws -> LabelledPath {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataRequestError("\(path): no such file or folder")
        }
        if isDirectory.boolValue {
            if mnistFile(in: path, "train-images-idx3-ubyte") != nil { return try readMNIST(folder: path) }
            return try readImageFolder(path)
        }
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".csv.gz") {
            let (images, labels) = try readDigitsCSV(path: path)
            return LabelledPath(images: images, labels: labels, classNames: digitClasses, files: [path],
                                normalizer: smallNormalizer, ownSplit: nil)
        }
        // An IDX image file and its labels.
        let labels = labelsOption ?? path.replacingOccurrences(of: "images-idx3", with: "labels-idx1")
        guard labels != path, FileManager.default.fileExists(atPath: labels) else {
            throw DataRequestError("\(path): give the matching label file with --option labels=PATH (test_labels=PATH for a --test file) "
                                   + "(looked for \(labels))")
        }
        let pair = try LabelledImages.readIDX(images: path, labels: labels)
        return LabelledPath(images: pair.images, labels: pair.labels, classNames: digitClasses, files: [path, labels],
                            normalizer: normalizer(forSide: pair.images.shape[2]), ownSplit: nil)
    }

    /// `data` followed by `test`'s images; labels are matched by class name.
    static func appending(_ test: LabelledPath, _ testPath: String, to data: LabelledPath, _ path: String) throws -> LabelledPath {
        guard test.ownSplit == nil else {
            throw DataRequestError("\(testPath): a --test path holds test images only; it has its own split (\(test.ownSplit!.description))")
        }
        let shape = Array(data.images.shape.dropFirst()), testShape = Array(test.images.shape.dropFirst())
        guard shape == testShape else {
            throw DataRequestError("\(testPath): its images are \(testShape[1])×\(testShape[2]) pixels but those of \(path) are "
                                   + "\(shape[1])×\(shape[2]); give test images in the same format as the training images")
        }
        let position = Dictionary(uniqueKeysWithValues: data.classNames.enumerated().map { ($1, $0) })
        if let unknown = test.classNames.first(where: { position[$0] == nil && test.labels.contains(test.classNames.firstIndex(of: $0)!) }) {
            throw DataRequestError("\(testPath): class '\(unknown)' has no training images in \(path) (training classes: "
                                   + "\(data.classNames.joined(separator: ", ")))")
        }
        var images = Tensor(zeros: [data.labels.count + test.labels.count] + shape)
        images.setRows(startingAt: 0, from: data.images)
        images.setRows(startingAt: data.labels.count, from: test.images)
        var merged = data
        merged.images = images
        merged.labels += test.labels.map { position[test.classNames[$0]]! }
        merged.files += test.files
        return merged
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
        let data = try readMNIST(folder: folder)
        let split = evaluationOnly ? TrainTestSplit(train: [], test: Array(0..<data.labels.count)) : data.ownSplit!.split
        return DigitDataset(name: name, source: folder, fingerprint: try DatasetFingerprint.sha256(ofFiles: data.files),
                            images: data.images, labels: data.labels, classNames: digitClasses, split: split,
                            normalizer: mnistNormalizer, splitDescription: data.ownSplit!.description)
    }

    static func readMNIST(folder: String) throws -> LabelledPath {
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
        let split = TrainTestSplit(train: Array(0..<train.labels.count), test: Array(train.labels.count..<count))
        return LabelledPath(images: images, labels: train.labels + test.labels, classNames: digitClasses, files: files,
                            normalizer: mnistNormalizer, ownSplit: DataSplit(
                                split: split, description: "official split: \(train.labels.count) training, \(test.labels.count) test images"))
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

    /// An image folder, with its own split when it has `train/` and `test/` sub-folders.
    static func readImageFolder(_ root: String) throws -> LabelledPath {
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
            let split = TrainTestSplit(train: Array(0..<train.paths.count), test: Array(train.paths.count..<paths.count))
            return LabelledPath(images: images, labels: train.labels + test.labels, classNames: train.classNames, files: paths,
                                normalizer: normalizer, ownSplit: DataSplit(split: split, description: "train/ and test/ folders"))
        }
        let listing = try ImageFolderListing(root: root)
        let images = try ImageBatchLoader.loadDigits(listing.paths, normalizer: normalizer)
        return LabelledPath(images: images, labels: listing.labels, classNames: listing.classNames, files: listing.paths,
                            normalizer: normalizer, ownSplit: nil)
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
            let normalised = try normalizer.normalize(GrayImage(width: 8, height: 8, pixels: pixels), name: "\(csv), image \(index + 1)")
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
