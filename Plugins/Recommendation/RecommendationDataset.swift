import Foundation
import SolutionKit

/// Ratings split into a training and an evaluation part, with item titles when known.
struct RecommendationDataset: DomainDataset {
    let name: String
    let source: String
    let fingerprint: String
    private(set) var train: RatingsLog
    private(set) var test: RatingsLog
    let titles: [String: String]
    let scale: RatingScale
    private(set) var splitDescription: String

    var trainingCount: Int { train.count }
    var evaluationCount: Int { test.count }

    var summary: String {
        let users = Set(train.users).union(test.users).count, items = Set(train.items).union(test.items).count
        return "\(train.count + test.count) ratings of \(items) items by \(users) users on the scale \(scale.text); "
            + "\(splitDescription); \(titles.isEmpty ? "no titles" : "\(titles.count) titles")"
    }

    var profile: DataProfile {
        let users = Set(train.users).union(test.users).count, items = Set(train.items).union(test.items).count
        let total = train.count + test.count
        let density = users > 0 && items > 0 ? Double(total) / (Double(users) * Double(items)) : 0
        let facts = [DataProfile.Fact("ratings", "\(total)"), .init("training ratings", "\(train.count)"),
                     .init("evaluation ratings", "\(test.count)"), .init("users", "\(users)"), .init("items", "\(items)"),
                     .init("density", String(format: "%.2f%% of user × item pairs rated", 100 * density)),
                     .init("scale", scale.text), .init("split", splitDescription),
                     .init("titles", titles.isEmpty ? "none" : "\(titles.count)")]
        let values = (train.ratings + test.ratings)
        let order = Set(values).sorted().map(RatingScale.format)
        let timestamps = (train.timestamps + test.timestamps).filter { $0 == nil }.count
        var profile = DataProfile(facts: facts, counts: [DataProfile.Counts(title: "Ratings", values: values.map(RatingScale.format),
                                                                            order: order)])
        profile.columns = [.init(numeric: "rating", values: values.map(Double.init)),
                           .init(numeric: "timestamp", values: (train.timestamps + test.timestamps).map { $0 ?? .nan })]
        if timestamps == total { profile.columns.removeLast() }
        return profile
    }

    /// Ratings are folded within users (each user's ratings dealt over the folds), so every fold tests known users.
    var foldingUnits: FoldingUnits? {
        var codes: [String: Int] = [:]
        let groups = train.users.map { user in
            if let code = codes[user] { return code }
            codes[user] = codes.count
            return codes.count - 1
        }
        return FoldingUnits(count: train.count, grouping: .withinGroups(groups), unit: "rating")
    }

    func refolded(training: [Int], evaluation: [Int]) throws -> any DomainDataset {
        guard training.allSatisfy({ train.ratings.indices.contains($0) }),
              evaluation.allSatisfy({ train.ratings.indices.contains($0) }) else {
            throw InternalError("a cross-validation fold names a rating outside the training part")
        }
        var fold = self
        fold.train = train.subset(training)
        fold.test = train.subset(evaluation)
        fold.splitDescription = "a cross-validation fold of the training ratings, within users (\(training.count) training, "
            + "\(evaluation.count) evaluation)"
        return fold
    }

    static func cast(_ data: any DomainDataset) throws -> RecommendationDataset {
        guard let data = data as? RecommendationDataset else {
            throw InternalError("recommendation was handed a dataset of type \(type(of: data))")
        }
        return data
    }
}

/// The named datasets and the loader for `--data` files.
enum RecommendationDatasets {
    static let formats = [
        "ratings as CSV, TSV, '|', ';' or '::' separated text, with a header (user/userId, item/itemId/movieId, rating,"
            + " [timestamp]) or in that column order without one; --option user=COL item=COL rating=COL timestamp=COL"
            + " name other columns (or 1-based positions); ids may be any text",
        "--option scale=1-5 (default; 0.5-5 for half stars), duplicates=error|last, titles=FILE (CSV item,title);"
            + " --test FILE (or --option test=FILE) gives the test ratings in a file of their own, else a seeded random"
            + " 20% of the ratings is held out (split=row: every fifth rating, row_index % 5 == 0)",
    ]
    static let movieLensFormats = [
        "the MovieLens 100K folder (uK.base/uK.test, tab-separated; titles from u.item, Latin-1); --option fold=1..5 (default 1);"
            + " its u.data also loads with --data",
    ]

    static let descriptors: [DatasetDescriptor] = [
        DatasetDescriptor(name: "sample", summary: "11,576 synthetic ratings (latent tastes, popularity skew) of 300 items by 400 users, shipped with the kit",
                          location: "samples/recommendation/ratings.csv", formats: formats),
        DatasetDescriptor(name: "movielens-100k", summary: "MovieLens 100K: 100,000 ratings of 1,682 movies by 943 users; official fold u1 (--option fold=1..5)",
                          location: "shared datasets folder movielens-100k", formats: movieLensFormats),
    ]

    static func load(_ request: DataRequest, plugin: RecommendationPlugin) throws -> RecommendationDataset {
        var options = request.options
        switch request.source {
        case .dataset("sample"):
            let folder = try DatasetLocator.samples.folder(named: "recommendation")
            options["titles"] = options["titles"] ?? folder + "/items.csv"
            return try loadFile(folder + "/ratings.csv", name: "sample", request: DataRequest(.dataset("sample"), options: options,
                                isEvaluationOnly: request.isEvaluationOnly, seed: request.seed), protocolSplit: SplitPolicy(.row))
        case .dataset("movielens-100k"):
            let folder = try DatasetLocator().folder(named: "movielens-100k")
            return try loadMovieLens(folder: folder, options: options, evaluationOnly: request.isEvaluationOnly)
        case .dataset(let other):
            throw DataRequestError.unknownDataset(other, plugin: plugin.id, known: descriptors.map(\.name))
        case .file(let path):
            var request = request
            // `--option test=FILE` is the older spelling of `--test FILE`.
            if request.testFile == nil, let test = options["test"] { request.testFile = test }
            request.options["test"] = nil
            return try loadFile(path, name: URL(fileURLWithPath: path).lastPathComponent, request: request, protocolSplit: nil)
        }
    }

    /// One of the official MovieLens folds: uK.base to train on, uK.test to evaluate (all of uK.test when
    /// evaluation only); titles from u.item (Latin-1).
    static func loadMovieLens(folder: String, options: [String: String], evaluationOnly: Bool) throws -> RecommendationDataset {
        let fold = options["fold"] ?? "1"
        guard let k = Int(fold), (1...5).contains(k) else {
            throw DataRequestError("--option fold=\(fold): MovieLens 100K has the official folds 1...5")
        }
        var readerOptions = options
        readerOptions["scale"] = readerOptions["scale"] ?? "1-5"
        let reader = try RatingsFileReader(options: readerOptions)
        let base = "\(folder)/u\(k).base", testPath = "\(folder)/u\(k).test"
        let train = evaluationOnly ? RatingsLog() : try reader.read(path: base)
        let test = try reader.read(path: testPath)
        let titles = try readTitles(path: "\(folder)/u.item")
        return RecommendationDataset(
            name: "movielens-100k", source: folder,
            fingerprint: try DatasetFingerprint.sha256(ofFiles: evaluationOnly ? [testPath] : [base, testPath]),
            train: train, test: test, titles: titles, scale: reader.scale,
            splitDescription: evaluationOnly ? "all of u\(k).test is evaluation data" : "official fold u\(k): u\(k).base / u\(k).test")
    }

    /// A ratings file, split by the request (a seeded random share by default; `protocolSplit` for the sample), or
    /// with its `--test` file as the test part.
    static func loadFile(_ path: String, name: String, request: DataRequest, protocolSplit: SplitPolicy?) throws -> RecommendationDataset {
        let options = request.options
        let reader = try RatingsFileReader(options: options)
        var log = try reader.read(path: path)
        var files = [path]
        var testRows: Range<Int>? = nil
        if let testPath = request.separateTestFile {
            let test = try reader.read(path: testPath)
            testRows = log.count..<(log.count + test.count)
            log = log.appending(test)
            files.append(testPath)
        }
        let split = try request.split(rowCount: log.count, testRows: testRows, named: protocolSplit, source: path)
        let titles: [String: String]
        if let titlePath = options["titles"] {
            titles = try readTitles(path: titlePath)
            files.append(titlePath)
        } else {
            titles = [:]
        }
        return RecommendationDataset(name: name, source: path, fingerprint: try DatasetFingerprint.sha256(ofFiles: files),
                                     train: log.subset(split.split.train), test: log.subset(split.split.test), titles: titles,
                                     scale: reader.scale, splitDescription: split.description)
    }

    /// Item titles: MovieLens `u.item` (`id|title|…`, Latin-1) or a CSV/TSV with item and title columns
    /// (header optional; the first two columns otherwise).
    static func readTitles(path: String) throws -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RatingsFileError(file: path, line: 0, reason: "no such titles file")
        }
        let text = TextLines.decode([UInt8](data))
        var titles: [String: String] = [:]
        var separator: String?
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : String(raw)
            if line.allSatisfy(\.isWhitespace) { continue }
            let sep = separator ?? TextLines.separator(of: line)
            separator = sep
            let fields = TextLines.fields(line, separator: sep)
            guard fields.count >= 2 else {
                throw RatingsFileError(file: path, line: index + 1, reason: "expected item id and title, found \(fields.count) field(s)")
            }
            if index == 0, ["item", "itemid", "item_id", "movieid", "movie_id", "id"].contains(fields[0].lowercased()) { continue }
            titles[fields[0]] = fields[1]
        }
        return titles
    }
}
