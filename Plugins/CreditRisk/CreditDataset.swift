import Foundation
import SolutionKit

/// A loaded credit table: applicant features, the bad/good outcome (true = bad = the positive class) and the split.
struct CreditDataset: DomainDataset {
    let name: String
    let source: String
    let fingerprint: String
    /// Feature columns only: the target and any id column are taken out.
    let features: Table
    let bad: [Bool]
    let targetName: String
    /// What the positive (bad) class was called in the file, for the report.
    let positiveValue: String
    private(set) var split: TrainTestSplit
    private(set) var splitDescription: String
    let notes: [String]

    var trainingCount: Int { split.train.count }
    var evaluationCount: Int { split.test.count }

    var summary: String {
        let badCount = bad.reduce(0) { $0 + ($1 ? 1 : 0) }
        return "\(features.rowCount) applicants (\(badCount) bad, \(String(format: "%.1f", 100 * Double(badCount) / Double(max(bad.count, 1))))%), "
            + "\(features.columnCount) feature columns; target \(targetName) (bad = \(positiveValue)); \(splitDescription)"
            + notes.map { "; \($0)" }.joined()
    }

    var profile: DataProfile {
        let facts = [DataProfile.Fact("applicants", "\(features.rowCount)"), .init("feature columns", "\(features.columnCount)"),
                     .init("training rows", "\(trainingCount)"), .init("evaluation rows", "\(evaluationCount)"),
                     .init("target", "\(targetName) (bad = \(positiveValue))"), .init("split", splitDescription)]
        let outcomes = DataProfile.Counts(title: "Outcome", values: bad.map { $0 ? "bad" : "good" }, order: ["good", "bad"])
        return DataProfile(table: features, facts: facts, counts: [outcomes])
    }

    var foldingUnits: FoldingUnits? { FoldingUnits(count: split.train.count, grouping: .strata(split.train.map { bad[$0] ? 1 : 0 })) }

    func refolded(training: [Int], evaluation: [Int]) throws -> any DomainDataset {
        var fold = self
        fold.split = try split.refolded(training: training, evaluation: evaluation)
        fold.splitDescription = "a cross-validation fold of the training part (stratified by outcome, \(training.count) training rows, \(evaluation.count) evaluation rows)"
        return fold
    }

    static func cast(_ data: any DomainDataset) throws -> CreditDataset {
        guard let data = data as? CreditDataset else {
            throw InternalError("credit-risk was handed a dataset of type \(type(of: data))")
        }
        return data
    }
}

/// The named datasets and the loader for `--data` files.
enum CreditDatasets {
    static let gmscTarget = "SeriousDlqin2yrs"

    static let descriptors: [DatasetDescriptor] = [
        DatasetDescriptor(name: "sample", summary: "German credit (UCI Statlog, 1000 applicants, CC BY 4.0), shipped with the kit; "
                            + "test = row_index % 5 == fold (--option fold=0..4, default 0)",
                          location: "samples/credit-risk/german.data", formats: formats),
        DatasetDescriptor(name: "german", summary: "German credit from the shared datasets folder (the same file as sample when absent); "
                            + "PROTOCOL folds: test = row_index % 5 == fold (--option fold=0..4)",
                          location: "shared datasets folder german-credit/german.data, else samples/credit-risk/german.data",
                          formats: formats),
        DatasetDescriptor(name: "give-me-some-credit", summary: "Give Me Some Credit (Kaggle 2011), 150,000 borrowers; "
                            + "PROTOCOL split: test = id % 5 == 0",
                          location: "shared datasets folder give-me-some-credit/cs-training.csv", formats: formats),
    ]

    static let formats = [
        "CSV or TSV with a header row; --target COLUMN names the outcome, --option positive=VALUE its bad value "
            + "(default: 1 when the values are 0/1, 2 when they are 1/2, else required); a column named id, or an unnamed "
            + "first column, is a row id and is not learned from (--option id=COLUMN names another; split=id tests id % 5 == 0)",
        "german.data (UCI Statlog format, space-separated codes, class 1 good / 2 bad), recognised by the .data extension",
    ]

    static func load(_ request: DataRequest, plugin: CreditRiskPlugin) throws -> CreditDataset {
        switch request.source {
        case .dataset("sample"):
            let path = try DatasetLocator.samples.folder(named: "credit-risk") + "/german.data"
            return try loadGerman(path: path, name: "sample", request: request, protocolSplit: try germanFold(request))
        case .dataset("german"):
            let path: String
            if let folder = try? DatasetLocator().folder(named: "german-credit") {
                path = folder + "/german.data"
            } else {
                path = try DatasetLocator.samples.folder(named: "credit-risk") + "/german.data"
            }
            return try loadGerman(path: path, name: "german", request: request, protocolSplit: try germanFold(request))
        case .dataset("give-me-some-credit"):
            let path = try DatasetLocator().folder(named: "give-me-some-credit") + "/cs-training.csv"
            return try loadCSV(path: path, name: "give-me-some-credit", target: request.target ?? gmscTarget,
                               request: request, protocolSplit: SplitPolicy(.id))
        case .dataset(let other):
            throw DataRequestError.unknownDataset(other, plugin: plugin.id, known: descriptors.map(\.name))
        case .file(let file):
            let name = URL(fileURLWithPath: file).lastPathComponent
            if file.hasSuffix(".data") {
                return try loadGerman(path: file, name: name, request: request, protocolSplit: nil)
            }
            guard let target = request.target else {
                throw DataRequestError("\(file): give the outcome column with --target COLUMN")
            }
            return try loadCSV(path: file, name: name, target: target, request: request, protocolSplit: nil)
        }
    }

    /// German credit's PROTOCOL fold: test = row_index % 5 == fold (`--option fold=0..4`, default 0).
    static func germanFold(_ request: DataRequest) throws -> SplitPolicy {
        guard let text = request.options["fold"] else { return SplitPolicy(.row) }
        guard let fold = Int(text), (0..<5).contains(fold) else {
            throw DataRequestError("--option fold=\(text): the fold must be an integer in 0...4")
        }
        return SplitPolicy(.row, remainder: fold)
    }

    /// A german.data file (and a `--test` file in the same format); `protocolSplit` for the named datasets.
    static func loadGerman(path: String, name: String, request: DataRequest, protocolSplit: SplitPolicy?) throws -> CreditDataset {
        var (features, bad) = try GermanCredit.read(path: path)
        var files = [path]
        var testRows: Range<Int>? = nil
        if let testPath = request.separateTestFile {
            let test = try GermanCredit.read(path: testPath)
            testRows = bad.count..<(bad.count + test.bad.count)
            features = try features.appendingRows(of: test.features)
            bad += test.bad
            files.append(testPath)
        }
        let split = try request.split(rowCount: bad.count, testRows: testRows, strata: bad.map { $0 ? 1 : 0 },
                                      named: protocolSplit, source: path)
        return CreditDataset(name: name, source: path, fingerprint: try DatasetFingerprint.sha256(ofFiles: files),
                             features: features, bad: bad, targetName: GermanCredit.targetName, positiveValue: "2",
                             split: split.split, splitDescription: split.description, notes: [])
    }

    /// A CSV of applicants (and its `--test` file); `protocolSplit` for the named datasets (Give Me Some Credit:
    /// test = id % 5 == 0), else a seeded random split stratified by outcome.
    static func loadCSV(path: String, name: String, target: String, request: DataRequest,
                        protocolSplit: SplitPolicy?) throws -> CreditDataset {
        var files = try LabelledTableFiles.read(path, request: request)
        let outcome = try files.removeTarget(target)
        let (bad, positiveValue) = try CreditLabels.parse(outcome, positive: request.options["positive"], table: files.table,
                                                          column: target)
        let ids = try files.removeIDColumn(request, unnamedFirstColumn: true)
        let table = files.table
        guard table.columnCount > 0 else { throw DataRequestError("\(path): no feature columns besides the target") }

        let split = try request.split(rowCount: table.rowCount, testRows: files.testRows, ids: ids,
                                      strata: bad.map { $0 ? 1 : 0 }, named: protocolSplit, source: path)
        return CreditDataset(name: name, source: path, fingerprint: try files.fingerprint(),
                             features: table, bad: bad, targetName: target, positiveValue: positiveValue,
                             split: split.split, splitDescription: split.description, notes: files.notes)
    }
}

/// Reads a two-valued outcome column into bad/good flags.
enum CreditLabels {
    /// - Returns: true for the positive (bad) value, and that value's text.
    /// - Throws: for a missing outcome, a third value, or an ambiguous pair without `positive`, naming the line.
    static func parse(_ column: Column, positive: String?, table: Table, column name: String) throws -> ([Bool], String) {
        let path = table.origins?.files.first ?? "the data"
        var texts = [String](repeating: "", count: column.count)
        switch column.storage {
        case .numeric(let numeric):
            for row in 0..<numeric.count {
                guard let value = numeric[row] else {
                    throw DataRequestError("\(table.location(ofRow: row)): the outcome '\(name)' is missing")
                }
                texts[row] = value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
            }
        case .categorical(let categorical):
            for row in 0..<categorical.count {
                guard let value = categorical[row] else {
                    throw DataRequestError("\(table.location(ofRow: row)): the outcome '\(name)' is missing")
                }
                texts[row] = value
            }
        }
        var distinct: [String] = []
        for (row, text) in texts.enumerated() where !distinct.contains(text) {
            distinct.append(text)
            if distinct.count > 2 {
                throw DataRequestError("\(table.location(ofRow: row)): the outcome '\(name)' has a third value '\(text)' "
                                       + "after '\(distinct[0])' and '\(distinct[1])'; credit risk needs exactly two (good and bad)")
            }
        }
        let positiveValue: String
        if let positive {
            guard distinct.contains(positive) else {
                throw DataRequestError("\(path): --option positive=\(positive) is not a value of '\(name)'; "
                                       + "its values are: \(distinct.joined(separator: ", "))")
            }
            positiveValue = positive
        } else if Set(distinct).isSubset(of: ["0", "1"]) {
            positiveValue = "1"
        } else if Set(distinct).isSubset(of: ["1", "2"]) {
            positiveValue = "2"
        } else if let known = distinct.first(where: { ["bad", "default", "yes", "true"].contains($0.lowercased()) }) {
            positiveValue = known
        } else {
            throw DataRequestError("\(path): say which value of '\(name)' is the bad outcome with --option positive=VALUE "
                                   + "(values: \(distinct.joined(separator: ", ")))")
        }
        return (texts.map { $0 == positiveValue }, positiveValue)
    }
}
