import Foundation

/// What to do with a category the preprocessing never saw in training.
public enum UnseenCategoryPolicy: String, Codable, Sendable {
    /// The row is rejected with a reason (in a table transform: an error).
    case reject
    /// The row's one-hot block is all zeros.
    case ignore
}

/// Turns table columns into a Float feature matrix, with every statistic fitted on training rows only.
///
/// Numeric columns: missing values take the training median; columns that had missing values in training also get
/// a 0/1 `<name>_missing` indicator; values are then standardised with the mean and population standard deviation
/// of the imputed training values (a constant column is only centred). Categorical columns: missing values take the
/// training mode; one-hot over the training categories in sorted order (`<name>=<category>`). Output columns are
/// the numeric features, then the indicators, then the one-hot blocks. The whole value is Codable so a model bundle
/// stores it, and the same statistics are applied at scoring time.
public struct TabularPreprocessor: Codable, Equatable, Sendable {
    public struct NumericFeature: Codable, Equatable, Sendable {
        public var name: String
        public var median: Double
        public var mean: Double
        /// The standard deviation, or 1 when it is 0.
        public var scale: Double
        public var hasMissingIndicator: Bool
    }

    public struct CategoricalFeature: Codable, Equatable, Sendable {
        public var name: String
        /// The training categories, sorted: one output column each.
        public var categories: [String]
        /// The most frequent training category (ties: the smallest), used for missing values; nil if all were missing.
        public var mode: String?
    }

    public private(set) var numericFeatures: [NumericFeature]
    public private(set) var categoricalFeatures: [CategoricalFeature]
    public private(set) var unseenCategoryPolicy: UnseenCategoryPolicy
    public private(set) var standardizes: Bool
    /// The output column names, e.g. `median_income`, `total_bedrooms_missing`, `ocean_proximity=INLAND`.
    public private(set) var featureNames: [String]

    private var lookups = CategoryLookups()

    private enum CodingKeys: String, CodingKey {
        case numericFeatures, categoricalFeatures, unseenCategoryPolicy, standardizes, featureNames
    }

    /// Fits on `rows` of `table` (all rows when nil): only those rows' values shape the statistics.
    public init(fittingOn table: Table, rows: [Int]? = nil,
                unseenCategories: UnseenCategoryPolicy = .reject, standardizes: Bool = true) throws {
        let rows = rows ?? Array(0..<table.rowCount)
        guard !rows.isEmpty else { throw PreprocessingError.emptyTrainingRows }
        if let bad = rows.first(where: { $0 < 0 || $0 >= table.rowCount }) {
            throw TableError.rowOutOfRange(row: bad, rowCount: table.rowCount)
        }
        var numeric: [NumericFeature] = []
        var categorical: [CategoricalFeature] = []
        for column in table.columns {
            switch column.storage {
            case .numeric(let c): numeric.append(try Self.fitNumeric(column.name, c, rows: rows, standardizes: standardizes))
            case .categorical(let c): categorical.append(Self.fitCategorical(column.name, c, rows: rows))
            }
        }
        numericFeatures = numeric
        categoricalFeatures = categorical
        unseenCategoryPolicy = unseenCategories
        self.standardizes = standardizes
        featureNames = numeric.map(\.name)
            + numeric.filter(\.hasMissingIndicator).map { "\($0.name)_missing" }
            + categorical.flatMap { f in f.categories.map { "\(f.name)=\($0)" } }
        lookups = CategoryLookups(categoricalFeatures)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        numericFeatures = try container.decode([NumericFeature].self, forKey: .numericFeatures)
        categoricalFeatures = try container.decode([CategoricalFeature].self, forKey: .categoricalFeatures)
        unseenCategoryPolicy = try container.decode(UnseenCategoryPolicy.self, forKey: .unseenCategoryPolicy)
        standardizes = try container.decode(Bool.self, forKey: .standardizes)
        featureNames = try container.decode([String].self, forKey: .featureNames)
        lookups = CategoryLookups(categoricalFeatures)
    }

    public var featureCount: Int { featureNames.count }

    /// The input columns the preprocessing needs: numeric ones first, then categorical ones.
    public var inputSchema: TableSchema {
        TableSchema(columns: numericFeatures.map { .init(name: $0.name, kind: .numeric) }
                    + categoricalFeatures.map { .init(name: $0.name, kind: .categorical, categories: $0.categories) })
    }

    private static func fitNumeric(_ name: String, _ column: NumericColumn, rows: [Int], standardizes: Bool) throws -> NumericFeature {
        var present: [Double] = []
        present.reserveCapacity(rows.count)
        var missingCount = 0
        for row in rows {
            if column.missing[row] { missingCount += 1; continue }
            let v = column.values[row]
            guard v.isFinite else { throw PreprocessingError.nonFiniteValue(row: row, column: name, value: v) }
            present.append(v)
        }
        present.sort()
        var median = 0.0
        if !present.isEmpty {
            let m = present.count / 2
            median = present.count % 2 == 1 ? present[m] : (present[m - 1] + present[m]) / 2
        }
        // Mean and variance of the imputed values, as an imputer followed by a scaler would see them.
        let n = Double(rows.count)
        let sum = present.reduce(0, +) + Double(missingCount) * median
        let mean = sum / n
        var squares = present.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        squares += Double(missingCount) * (median - mean) * (median - mean)
        let std = (squares / n).squareRoot()
        return NumericFeature(name: name, median: median, mean: standardizes ? mean : 0,
                              scale: standardizes && std > 0 ? std : 1, hasMissingIndicator: missingCount > 0)
    }

    private static func fitCategorical(_ name: String, _ column: CategoricalColumn, rows: [Int]) -> CategoricalFeature {
        var counts = [Int](repeating: 0, count: column.categories.count)
        for row in rows where column.codes[row] >= 0 { counts[Int(column.codes[row])] += 1 }
        let seen = column.categories.indices.filter { counts[$0] > 0 }
        let mode = seen.min { counts[$0] != counts[$1] ? counts[$0] > counts[$1] : column.categories[$0] < column.categories[$1] }
        return CategoricalFeature(name: name, categories: seen.map { column.categories[$0] }.sorted(),
                                  mode: mode.map { column.categories[$0] })
    }

    // MARK: - Layout

    private var indicatorOffset: Int { numericFeatures.count }
    private var oneHotOffsets: [Int] {
        var offset = numericFeatures.count + numericFeatures.filter(\.hasMissingIndicator).count
        return categoricalFeatures.map { f in defer { offset += f.categories.count }; return offset }
    }
    private var indicatorSlots: [Int] {
        var next = indicatorOffset
        return numericFeatures.map { f in
            guard f.hasMissingIndicator else { return -1 }
            defer { next += 1 }
            return next
        }
    }

    // MARK: - Table transform

    /// The feature matrix (rows × featureCount) of a whole table. Extra columns are ignored. With the `reject`
    /// policy an unseen category is an error naming the row and column; with `ignore` its block is zeros.
    public func transform(_ table: Table) throws -> Tensor {
        let width = featureCount
        let rowCount = table.rowCount
        var out = [Float](repeating: 0, count: rowCount * width)
        let indicatorSlots = self.indicatorSlots
        try out.withUnsafeMutableBufferPointer { out in
            for (j, feature) in numericFeatures.enumerated() {
                let column = try table.column(named: feature.name, failing: .missingColumn(feature.name))
                guard let numeric = column.numeric else {
                    throw PreprocessingError.wrongKind(column: feature.name, expected: .numeric, found: .categorical)
                }
                let slot = indicatorSlots[j]
                for row in 0..<rowCount {
                    var v = numeric.values[row]
                    if numeric.missing[row] {
                        v = feature.median
                        if slot >= 0 { out[row * width + slot] = 1 }
                    } else if !v.isFinite {
                        throw PreprocessingError.nonFiniteValue(row: row, column: feature.name, value: v)
                    }
                    out[row * width + j] = Float((v - feature.mean) / feature.scale)
                }
            }
            for (k, feature) in categoricalFeatures.enumerated() {
                let column = try table.column(named: feature.name, failing: .missingColumn(feature.name))
                guard let categorical = column.categorical else {
                    throw PreprocessingError.wrongKind(column: feature.name, expected: .categorical, found: .numeric)
                }
                // Map the table's own dictionary onto the fitted categories once; rows then cost one lookup.
                let position = Dictionary(uniqueKeysWithValues: feature.categories.enumerated().map { ($1, $0) })
                let mapped = categorical.categories.map { position[$0] ?? -1 }
                let modePosition = feature.mode.flatMap { position[$0] } ?? -1
                let offset = oneHotOffsets[k]
                for row in 0..<rowCount {
                    let code = categorical.codes[row]
                    let p = code < 0 ? modePosition : mapped[Int(code)]
                    if p >= 0 {
                        out[row * width + offset + p] = 1
                    } else if code >= 0 && unseenCategoryPolicy == .reject {
                        throw PreprocessingError.unseenCategory(row: row, column: feature.name, value: categorical.categories[Int(code)])
                    }
                }
            }
        }
        return Tensor(shape: [rowCount, width], scalars: out)
    }

    // MARK: - Streamed records

    /// Checks a header against the inputs and returns where each input column sits in it.
    public func match(header: [String], source: String = "input") throws -> TableSchema.HeaderMatch {
        try inputSchema.match(header: header, source: source)
    }

    /// Features of the records of a batch, row by row, as a scorer needs them.
    ///
    /// `match` comes from `match(header:)`. A record is rejected (with its line and a reason) when its field count
    /// differs from the header's, a numeric field is not a number or not finite, or, with the `reject` policy, a
    /// category is unseen. Missing values are imputed, never rejected. Accepted records keep their order.
    public func transform(_ batch: CSVRecordBatch, using match: TableSchema.HeaderMatch) -> TransformedBatch {
        let width = featureCount
        let storage = batch.storage
        let bytes = UnsafePointer(storage.bytes)
        var out = [Float](repeating: 0, count: batch.count * width)
        var accepted: [Int] = []
        accepted.reserveCapacity(batch.count)
        var rejections: [RecordRejection] = []
        let numericCount = numericFeatures.count
        let indicatorSlots = self.indicatorSlots
        let oneHotOffsets = self.oneHotOffsets
        let modePositions = categoricalFeatures.map { f in f.mode.flatMap { f.categories.firstIndex(of: $0) } ?? -1 }
        let lookups = self.lookups

        out.withUnsafeMutableBufferPointer { out in
            var row = 0
            for record in 0..<batch.count {
                let fieldCount = batch.fieldCount(of: record)
                if fieldCount != match.headerFieldCount {
                    rejections.append(RecordRejection(line: batch.lineNumber(of: record),
                                                      reason: "expected \(match.headerFieldCount) fields, found \(fieldCount)"))
                    continue
                }
                let base = row * width
                var reason: String? = nil
                for j in 0..<numericCount {
                    let feature = numericFeatures[j]
                    let (start, end) = batch.range(match.fieldIndices[j], of: record)
                    var v: Double
                    if batch.missingTokens.contains(bytes, start, end) {
                        v = feature.median
                        if indicatorSlots[j] >= 0 { out[base + indicatorSlots[j]] = 1 }
                    } else if let parsed = ByteNumberParser.parseDouble(bytes, start, end) {
                        guard parsed.isFinite else {
                            reason = "column '\(feature.name)': \(parsed.isNaN ? "NaN" : "infinite") value"
                            break
                        }
                        v = parsed
                    } else {
                        reason = "column '\(feature.name)': '\(batch.string(match.fieldIndices[j], of: record))' is not a number"
                        break
                    }
                    out[base + j] = Float((v - feature.mean) / feature.scale)
                }
                if reason == nil {
                    for k in 0..<categoricalFeatures.count {
                        let field = match.fieldIndices[numericCount + k]
                        let (start, end) = batch.range(field, of: record)
                        let p: Int
                        if batch.missingTokens.contains(bytes, start, end) {
                            p = modePositions[k]
                        } else if let found = lookups.position(k, bytes, start, end, encoding: batch.encoding) {
                            p = found
                        } else {
                            if unseenCategoryPolicy == .reject {
                                reason = "column '\(categoricalFeatures[k].name)': unseen category '\(batch.string(field, of: record))'"
                                break
                            }
                            p = -1
                        }
                        if p >= 0 { out[base + oneHotOffsets[k] + p] = 1 }
                    }
                }
                if let reason {
                    for f in 0..<width { out[base + f] = 0 }
                    rejections.append(RecordRejection(line: batch.lineNumber(of: record), reason: reason))
                } else {
                    accepted.append(record)
                    row += 1
                }
            }
        }
        out.removeLast((batch.count - accepted.count) * width)
        return TransformedBatch(features: Tensor(shape: [accepted.count, width], scalars: out),
                                acceptedRecords: accepted, rejections: rejections)
    }
}

/// A record that could not be turned into features: its line in the input and why.
public struct RecordRejection: Equatable, Sendable, CustomStringConvertible {
    public var line: Int
    public var reason: String
    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }
    public var description: String { "line \(line): \(reason)" }
}

/// The result of transforming a record batch: one feature row per accepted record, in order.
public struct TransformedBatch: Sendable {
    public var features: Tensor
    /// The batch record index of each feature row.
    public var acceptedRecords: [Int]
    public var rejections: [RecordRejection]
}

/// Byte-level lookups from a category's text to its one-hot position, rebuilt from the categories after decoding.
struct CategoryLookups: Equatable, @unchecked Sendable {
    private var interners: [ByteInterner] = []
    /// For each interner code, the position among the sorted categories.
    private var positions: [[Int]] = []

    init() {}

    init(_ features: [TabularPreprocessor.CategoricalFeature]) {
        interners = features.map { ByteInterner(strings: $0.categories) }
        positions = features.map { Array(0..<$0.categories.count) }
    }

    static func == (lhs: CategoryLookups, rhs: CategoryLookups) -> Bool { true }  // derived data, not state

    @inline(__always)
    func position(_ k: Int, _ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int, encoding: TextEncoding) -> Int? {
        if encoding != .latin1, let code = interners[k].code(of: bytes, start, end) { return positions[k][Int(code)] }
        // Latin-1 text (declared, or detected as invalid UTF-8) is re-encoded as UTF-8 to match the categories.
        guard encoding == .latin1 || !TextDecoding.isValidUTF8(bytes + start, count: end - start) else { return nil }
        var utf8 = Array(TextDecoding.latin1String(UnsafeBufferPointer(start: bytes + start, count: end - start)).utf8)
        return utf8.withUnsafeMutableBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return interners[k].code(of: UnsafePointer(bitPattern: 1)!, 0, 0).map { positions[k][Int($0)] } }
            return interners[k].code(of: base, 0, buffer.count).map { positions[k][Int($0)] }
        }
    }
}

private extension Table {
    func column(named name: String, failing error: PreprocessingError) throws -> Column {
        guard let column = self[name] else { throw error }
        return column
    }
}
