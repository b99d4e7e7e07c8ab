import Foundation

/// What to do with a category the preprocessing never saw in training.
public enum UnseenCategoryPolicy: String, Codable, Sendable {
    /// The row is rejected with a reason (in a table transform: an error).
    case reject
    /// The row's one-hot block is all zeros.
    case ignore
}

/// How features are laid out for a model.
public enum FeatureLayout: String, Codable, Sendable {
    /// Imputed, standardised numbers with missing indicators, and one-hot categories: for linear models and networks.
    case oneHot
    /// Raw numbers with NaN for missing values, and one column per categorical holding its category position
    /// (NaN when missing or unseen): for tree learners, which split on raw values, route missing values
    /// themselves and split categories natively.
    case native
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
        /// Whether values pass through log(1 + x) first (a heavily right-skewed, non-negative column);
        /// the median, mean and scale are then those of the transformed values.
        public var logTransform: Bool

        init(name: String, median: Double, mean: Double, scale: Double, hasMissingIndicator: Bool, logTransform: Bool) {
            self.name = name
            self.median = median
            self.mean = mean
            self.scale = scale
            self.hasMissingIndicator = hasMissingIndicator
            self.logTransform = logTransform
        }

        // Bundles written before `logTransform` existed decode with it off.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            median = try c.decode(Double.self, forKey: .median)
            mean = try c.decode(Double.self, forKey: .mean)
            scale = try c.decode(Double.self, forKey: .scale)
            hasMissingIndicator = try c.decode(Bool.self, forKey: .hasMissingIndicator)
            logTransform = try c.decodeIfPresent(Bool.self, forKey: .logTransform) ?? false
        }

        /// The value a model sees before standardisation.
        @inline(__always)
        func compressed(_ v: Double) -> Double { logTransform ? Foundation.log1p(Swift.max(v, 0)) : v }
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
    /// Whether heavily right-skewed non-negative columns are log-transformed (see `skewThreshold`).
    public private(set) var compressesSkew: Bool
    public private(set) var layout: FeatureLayout
    /// The output column names, e.g. `median_income`, `total_bedrooms_missing`, `ocean_proximity=INLAND`.
    public private(set) var featureNames: [String]

    private var lookups = CategoryLookups()

    private enum CodingKeys: String, CodingKey {
        case numericFeatures, categoricalFeatures, unseenCategoryPolicy, standardizes, compressesSkew, layout, featureNames
    }

    /// Fits on `rows` of `table` (all rows when nil): only those rows' values shape the statistics.
    ///
    /// With `compressingSkew`, a numeric column whose training values are all non-negative and whose skewness
    /// exceeds `skewThreshold` (counts such as rooms or population) is modelled as log(1 + x): networks and
    /// linear models then see a well-spread feature instead of a few huge outliers.
    public init(fittingOn table: Table, rows: [Int]? = nil,
                unseenCategories: UnseenCategoryPolicy = .reject, standardizes: Bool = true,
                compressingSkew: Bool = false, layout: FeatureLayout = .oneHot) throws {
        let native = layout == .native
        let rows = rows ?? Array(0..<table.rowCount)
        guard !rows.isEmpty else { throw PreprocessingError.emptyTrainingRows }
        if let bad = rows.first(where: { $0 < 0 || $0 >= table.rowCount }) {
            throw TableError.rowOutOfRange(row: bad, rowCount: table.rowCount)
        }
        var numeric: [NumericFeature] = []
        var categorical: [CategoricalFeature] = []
        for column in table.columns {
            switch column.storage {
            case .numeric(let c): numeric.append(try Self.fitNumeric(column.name, c, rows: rows, standardizes: standardizes && !native,
                                                                            compressingSkew: compressingSkew && !native,
                                                                            indicatesMissing: !native, table: table))
            case .categorical(let c): categorical.append(Self.fitCategorical(column.name, c, rows: rows))
            }
        }
        numericFeatures = numeric
        categoricalFeatures = categorical
        unseenCategoryPolicy = unseenCategories
        self.standardizes = standardizes
        compressesSkew = compressingSkew && !native
        self.layout = layout
        featureNames = native
            ? numeric.map(\.name) + categorical.map(\.name)
            : numeric.map(\.name)
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
        compressesSkew = try container.decodeIfPresent(Bool.self, forKey: .compressesSkew) ?? false
        layout = try container.decodeIfPresent(FeatureLayout.self, forKey: .layout) ?? .oneHot
        featureNames = try container.decode([String].self, forKey: .featureNames)
        lookups = CategoryLookups(categoricalFeatures)
    }

    public var featureCount: Int { featureNames.count }

    /// The output columns that hold category positions (native layout only; empty for one-hot).
    public var categoricalFeatureIndices: [Int] {
        layout == .native ? Array(numericFeatures.count..<(numericFeatures.count + categoricalFeatures.count)) : []
    }

    /// The input columns the preprocessing needs: numeric ones first, then categorical ones.
    public var inputSchema: TableSchema {
        TableSchema(columns: numericFeatures.map { .init(name: $0.name, kind: .numeric) }
                    + categoricalFeatures.map { .init(name: $0.name, kind: .categorical, categories: $0.categories) })
    }

    /// The sample skewness above which a non-negative column is log-transformed when compressing skew.
    public static let skewThreshold = 2.0

    private static func fitNumeric(_ name: String, _ column: NumericColumn, rows: [Int], standardizes: Bool,
                                   compressingSkew: Bool, indicatesMissing: Bool, table: Table) throws -> NumericFeature {
        var present: [Double] = []
        present.reserveCapacity(rows.count)
        var missingCount = 0
        for row in rows {
            if column.missing[row] { missingCount += 1; continue }
            let v = column.values[row]
            guard v.isFinite else { throw PreprocessingError.nonFiniteValue(table.location(ofRow: row), column: name, value: v) }
            present.append(v)
        }
        let logTransform = compressingSkew && Self.isHeavilySkewed(present)
        if logTransform { present = present.map { Foundation.log1p($0) } }
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
                              scale: standardizes && std > 0 ? std : 1, hasMissingIndicator: indicatesMissing && missingCount > 0,
                              logTransform: logTransform)
    }

    /// Non-negative with a sample skewness above `skewThreshold`.
    static func isHeavilySkewed(_ values: [Double]) -> Bool {
        guard values.count >= 3, values.allSatisfy({ $0 >= 0 }) else { return false }
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        var m2 = 0.0, m3 = 0.0
        for v in values {
            let d = v - mean
            m2 += d * d
            m3 += d * d * d
        }
        m2 /= n
        m3 /= n
        guard m2 > 0 else { return false }
        return m3 / (m2 * m2.squareRoot()) > skewThreshold
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
    /// policy an unseen category is an error naming the row's file line (or row index) and column; with `ignore`
    /// its block is zeros (its position NaN in the native layout).
    public func transform(_ table: Table) throws -> Tensor {
        try transform(table, flaggingUnseen: nil)
    }

    /// Features of evaluation rows, where a category unseen in training never fails the evaluation: such rows are
    /// scored as the policy says (`ignore`: as with `transform`) or left out (`reject`), and counted.
    public func transformForEvaluation(_ table: Table) throws -> EvaluationFeatures {
        var flags = [Bool](repeating: false, count: table.rowCount)
        var counts = [Int](repeating: 0, count: categoricalFeatures.count)
        var examples = [[String]](repeating: [], count: categoricalFeatures.count)
        var features = try transform(table, flaggingUnseen: { row, k, value in
            flags[row] = true
            counts[k] += 1
            if examples[k].count < 3 && !examples[k].contains(value) { examples[k].append(value) }
        })
        var kept = Array(0..<table.rowCount)
        let flagged = flags.reduce(0) { $0 + ($1 ? 1 : 0) }
        if unseenCategoryPolicy == .reject && flagged > 0 {
            kept = kept.filter { !flags[$0] }
            features = features.gatheringRows(kept)
        }
        let columns = categoricalFeatures.indices.filter { counts[$0] > 0 }.map {
            UnseenCategoryCount.Column(name: categoricalFeatures[$0].name, rows: counts[$0], examples: examples[$0])
        }
        return EvaluationFeatures(features: features, rows: kept,
                                  unseen: UnseenCategoryCount(rows: flagged, leftOut: table.rowCount - kept.count,
                                                              policy: unseenCategoryPolicy, columns: columns))
    }

    /// `transform`; an unseen category goes to `flaggingUnseen` (row, categorical feature, value) when given,
    /// else with the `reject` policy it is an error.
    private func transform(_ table: Table, flaggingUnseen: ((Int, Int, String) -> Void)?) throws -> Tensor {
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
                    if numeric.missing[row] && layout == .native {
                        out[row * width + j] = .nan
                        continue
                    }
                    if numeric.missing[row] {
                        v = feature.median
                        if slot >= 0 { out[row * width + slot] = 1 }
                    } else if !v.isFinite {
                        throw PreprocessingError.nonFiniteValue(table.location(ofRow: row), column: feature.name, value: v)
                    } else {
                        v = feature.compressed(v)
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
                let native = layout == .native
                for row in 0..<rowCount {
                    let code = categorical.codes[row]
                    let p = code < 0 ? (native ? -1 : modePosition) : mapped[Int(code)]
                    if native {
                        out[row * width + numericFeatures.count + k] = p >= 0 ? Float(p) : .nan
                    } else if p >= 0 {
                        out[row * width + offset + p] = 1
                    }
                    if p < 0 && code >= 0 {
                        if let flaggingUnseen {
                            flaggingUnseen(row, k, categorical.categories[Int(code)])
                        } else if unseenCategoryPolicy == .reject {
                            throw PreprocessingError.unseenCategory(table.location(ofRow: row), column: feature.name,
                                                                    value: categorical.categories[Int(code)])
                        }
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
        transform(batch, records: 0..<batch.count, using: match)
    }

    /// Features of the records in `records` only, so parts of a batch can be transformed on different cores.
    /// `acceptedRecords` still holds batch record indices.
    public func transform(_ batch: CSVRecordBatch, records: Range<Int>,
                          using match: TableSchema.HeaderMatch) -> TransformedBatch {
        let width = featureCount

        let bytes = batch.bytes
        var out = [Float](repeating: 0, count: records.count * width)
        var accepted: [Int] = []
        accepted.reserveCapacity(records.count)
        var rejections: [RecordRejection] = []
        let numericCount = numericFeatures.count
        let indicatorSlots = self.indicatorSlots
        let oneHotOffsets = self.oneHotOffsets
        let modePositions = categoricalFeatures.map { f in f.mode.flatMap { f.categories.firstIndex(of: $0) } ?? -1 }
        let lookups = self.lookups
        // Plain number arrays for the per-field loop (no struct or String copies there).
        let medians = numericFeatures.map(\.median)
        let compressed = numericFeatures.map(\.logTransform)
        let means = numericFeatures.map(\.mean)
        let scales = numericFeatures.map(\.scale)
        let fieldIndices = match.fieldIndices
        let native = layout == .native

        out.withUnsafeMutableBufferPointer { out in
            var row = 0
            for record in records {
                let fieldCount = batch.fieldCount(of: record)
                if fieldCount != match.headerFieldCount {
                    rejections.append(RecordRejection(line: batch.lineNumber(of: record),
                                                      reason: "expected \(match.headerFieldCount) fields, found \(fieldCount)"))
                    continue
                }
                let base = row * width
                var reason: String? = nil
                for j in 0..<numericCount {
                    let (start, end) = batch.range(fieldIndices[j], of: record)
                    var v: Double
                    if batch.missingTokens.contains(bytes, start, end) {
                        if native {
                            out[base + j] = .nan
                            continue
                        }
                        v = medians[j]
                        if indicatorSlots[j] >= 0 { out[base + indicatorSlots[j]] = 1 }
                    } else if let parsed = ByteNumberParser.parseDouble(bytes, start, end) {
                        guard parsed.isFinite else {
                            reason = "column '\(numericFeatures[j].name)': \(parsed.isNaN ? "NaN" : "infinite") value"
                            break
                        }
                        v = compressed[j] ? Foundation.log1p(Swift.max(parsed, 0)) : parsed
                    } else {
                        reason = "column '\(numericFeatures[j].name)': '\(batch.string(fieldIndices[j], of: record))' is not a number"
                        break
                    }
                    out[base + j] = Float((v - means[j]) / scales[j])
                }
                if reason == nil {
                    for k in 0..<categoricalFeatures.count {
                        let field = fieldIndices[numericCount + k]
                        let (start, end) = batch.range(field, of: record)
                        let p: Int
                        if batch.missingTokens.contains(bytes, start, end) {
                            p = native ? -1 : modePositions[k]
                        } else if let found = lookups.position(k, bytes, start, end, encoding: batch.encoding) {
                            p = found
                        } else {
                            if unseenCategoryPolicy == .reject {
                                reason = "column '\(categoricalFeatures[k].name)': unseen category '\(batch.string(field, of: record))'"
                                break
                            }
                            p = -1
                        }
                        if native {
                            out[base + numericCount + k] = p >= 0 ? Float(p) : .nan
                        } else if p >= 0 {
                            out[base + oneHotOffsets[k] + p] = 1
                        }
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
        out.removeLast((records.count - accepted.count) * width)
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
struct CategoryLookups: Equatable, Sendable {
    /// One interner per categorical feature, built from its sorted categories, so a code is the one-hot position.
    private var interners: [ByteInterner] = []

    init() {}

    init(_ features: [TabularPreprocessor.CategoricalFeature]) {
        interners = features.map { ByteInterner(strings: $0.categories) }
    }

    static func == (lhs: CategoryLookups, rhs: CategoryLookups) -> Bool { true }  // derived data, not state

    @inline(__always)
    func position(_ k: Int, _ bytes: UnsafePointer<UInt8>, _ start: Int, _ end: Int, encoding: TextEncoding) -> Int? {
        if encoding != .latin1, let code = interners[k].code(of: bytes, start, end) { return Int(code) }
        // Latin-1 text (declared, or detected as invalid UTF-8) is re-encoded as UTF-8 to match the categories.
        guard encoding == .latin1 || !TextDecoding.isValidUTF8(bytes + start, count: end - start) else { return nil }
        var utf8 = Array(TextDecoding.latin1String(UnsafeBufferPointer(start: bytes + start, count: end - start)).utf8)
        return utf8.withUnsafeMutableBufferPointer { buffer -> Int? in
            let base = UnsafePointer(buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!)
            return interners[k].code(of: base, 0, buffer.count).map { Int($0) }
        }
    }
}

private extension Table {
    func column(named name: String, failing error: PreprocessingError) throws -> Column {
        guard let column = self[name] else { throw error }
        return column
    }
}
