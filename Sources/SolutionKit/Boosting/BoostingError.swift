/// Why training, prediction or loading of a gradient-boosted model failed.
///
/// Every case names the row, feature or field at fault so a user can find the bad value in their data.
public enum BoostingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The training matrix has no rows (or the labels are empty).
    case emptyTrainingSet
    /// The feature matrix and the label array disagree on the number of rows.
    case labelCountMismatch(rows: Int, labels: Int)
    /// A matrix passed for prediction or validation has a different number of features than the model.
    case featureCountMismatch(expected: Int, got: Int)
    /// A label is NaN or infinite.
    case nonFiniteLabel(row: Int, value: Double)
    /// A label of the binary objective is not 0 or 1.
    case labelOutsideBinaryRange(row: Int, value: Double)
    /// A categorical feature holds a value that is not a non-negative integer code (NaN is allowed: missing).
    case invalidCategoryCode(feature: Int, row: Int, value: Float)
    /// A categorical feature index is outside `0..<featureCount`.
    case categoricalFeatureOutOfRange(feature: Int, featureCount: Int)
    /// A hyperparameter is outside its allowed range.
    case invalidParameter(name: String, value: String, allowed: String)
    /// A serialised model is structurally inconsistent (bad child index, wrong array length, ...).
    case corruptModel(String)

    public var description: String {
        switch self {
        case .emptyTrainingSet:
            return "gradient boosting: the training set has zero rows"
        case let .labelCountMismatch(rows, labels):
            return "gradient boosting: the feature matrix has \(rows) rows but \(labels) labels were given"
        case let .featureCountMismatch(expected, got):
            return "gradient boosting: the model expects \(expected) features per row, the input has \(got)"
        case let .nonFiniteLabel(row, value):
            return "gradient boosting: label at row \(row) is \(value); labels must be finite numbers"
        case let .labelOutsideBinaryRange(row, value):
            return "gradient boosting: label at row \(row) is \(value); the binary objective needs labels 0 or 1"
        case let .invalidCategoryCode(feature, row, value):
            return "gradient boosting: categorical feature \(feature) at row \(row) is \(value); "
                + "category codes must be non-negative integers (NaN for missing)"
        case let .categoricalFeatureOutOfRange(feature, featureCount):
            return "gradient boosting: categorical feature index \(feature) is outside 0..<\(featureCount)"
        case let .invalidParameter(name, value, allowed):
            return "gradient boosting: parameter \(name) = \(value) is invalid; allowed: \(allowed)"
        case let .corruptModel(reason):
            return "gradient boosting: the serialised model is corrupt: \(reason)"
        }
    }
}
