import Foundation
import SolutionKit

/// A loaded price table: features, the target, and the PROTOCOL split (test = row_index % 5 == 0).
struct PriceDataset: DomainDataset {
    let name: String
    let source: String
    let fingerprint: String
    /// Feature columns only: the target and any id column are taken out.
    let features: Table
    let targets: [Double]
    let targetName: String
    private(set) var split: TrainTestSplit
    private(set) var splitDescription: String
    let notes: [String]

    var trainingCount: Int { split.train.count }
    var evaluationCount: Int { split.test.count }

    var summary: String {
        "\(features.rowCount) rows, \(features.columnCount) feature columns (\(features.columnNames.joined(separator: ", "))), "
            + "target \(targetName); \(splitDescription)" + notes.map { "; \($0)" }.joined()
    }

    var profile: DataProfile {
        var facts = [DataProfile.Fact("rows", "\(features.rowCount)"), .init("feature columns", "\(features.columnCount)"),
                     .init("training rows", "\(trainingCount)"), .init("evaluation rows", "\(evaluationCount)"),
                     .init("target", targetName)]
        if split.train.isEmpty { facts.append(.init("split", "all rows are evaluation data")) }
        var profile = DataProfile(table: features, facts: facts)
        profile.columns.insert(.init(numeric: "\(targetName) (target)", values: targets), at: 0)
        return profile
    }

    var foldingUnits: FoldingUnits? { FoldingUnits(count: split.train.count) }

    func refolded(training: [Int], evaluation: [Int]) throws -> any DomainDataset {
        var fold = self
        fold.split = try split.refolded(training: training, evaluation: evaluation)
        fold.splitDescription = "a cross-validation fold of the training part (\(training.count) training rows, \(evaluation.count) evaluation rows)"
        return fold
    }

    static func cast(_ data: any DomainDataset) throws -> PriceDataset {
        guard let data = data as? PriceDataset else {
            throw InternalError("price-prediction was handed a dataset of type \(type(of: data))")
        }
        return data
    }
}

/// The named datasets and the loader for `--data` files.
enum PriceDatasets {
    static let californiaTarget = "median_house_value"

    static let descriptors: [DatasetDescriptor] = [
        DatasetDescriptor(name: "sample", summary: "2,064 rows of California housing (every tenth row), shipped with the kit",
                          location: "samples/price-prediction/housing-sample.csv", formats: csvFormats),
        DatasetDescriptor(name: "california", summary: "California housing, 20,640 districts (Hands-On ML version)",
                          location: "shared datasets folder california-housing/housing.csv", formats: csvFormats),
    ]

    static let csvFormats = [
        "CSV or TSV with a header row (delimiter detected; UTF-8 or Latin-1); --target COLUMN names the numeric target;"
            + " numeric and text columns are detected (or declared with --option types=...); a column named id (or"
            + " --option id=COLUMN) is passed through, not learned from",
    ]

    static func load(_ request: DataRequest, plugin: PricePredictionPlugin) throws -> PriceDataset {
        let path: String
        let name: String
        switch request.source {
        case .dataset("sample"):
            path = try DatasetLocator.samples.folder(named: "price-prediction") + "/housing-sample.csv"
            name = "sample"
        case .dataset("california"):
            path = try DatasetLocator().folder(named: "california-housing") + "/housing.csv"
            name = "california"
        case .dataset(let other):
            throw DataRequestError.unknownDataset(other, plugin: plugin.id, known: descriptors.map(\.name))
        case .file(let file):
            path = file
            name = URL(fileURLWithPath: file).lastPathComponent
        }
        let defaultTarget: String?
        // Named datasets keep their PROTOCOL split (test = row_index % 5 == 0); a user's file is split at random.
        let protocolSplit: SplitPolicy?
        if case .file = request.source {
            defaultTarget = nil
            protocolSplit = nil
        } else {
            defaultTarget = californiaTarget
            protocolSplit = SplitPolicy(.row)
        }
        guard let target = request.target ?? defaultTarget else {
            throw DataRequestError("\(path): give the target column with --target COLUMN")
        }
        return try load(path: path, name: name, target: target, request: request, protocolSplit: protocolSplit)
    }

    static func load(path: String, name: String, target: String, request: DataRequest,
                     protocolSplit: SplitPolicy?) throws -> PriceDataset {
        var files = try LabelledTableFiles.read(path, request: request)
        guard let numeric = try files.removeTarget(target).numeric else {
            throw DataRequestError("\(path): target column '\(target)' is not numeric")
        }
        let ids = try files.removeIDColumn(request)
        let table = files.table
        guard table.columnCount > 0 else { throw DataRequestError("\(path): no feature columns besides the target") }

        var targets = [Double](repeating: 0, count: table.rowCount)
        for row in 0..<table.rowCount {
            guard let value = numeric[row] else {
                throw DataRequestError("\(table.location(ofRow: row)): the target '\(target)' is missing")
            }
            targets[row] = value
        }
        let split = try request.split(rowCount: table.rowCount, testRows: files.testRows, ids: ids, named: protocolSplit,
                                      source: path)
        return PriceDataset(name: name, source: path, fingerprint: try files.fingerprint(),
                            features: table, targets: targets, targetName: target, split: split.split,
                            splitDescription: split.description, notes: files.notes)
    }
}
