/// Output columns of a tabular model, column by column, for one batch of feature rows.
///
/// Column-wise arrays keep scoring allocation-free per row for numeric outputs; text outputs (decisions,
/// reason codes) carry one string per row.
public struct TabularPredictions {
    public enum Values {
        case numbers([Double])
        case texts([String])
        /// Texts as one UTF-8 buffer (see `UTF8TextColumn`).
        case utf8Texts(UTF8TextColumn)

        var count: Int {
            switch self {
            case .numbers(let values): return values.count
            case .texts(let values): return values.count
            case .utf8Texts(let column): return column.count
            }
        }
    }

    public var columns: [(name: String, values: Values)]

    public init(columns: [(name: String, values: Values)]) {
        self.columns = columns
    }
}

/// What a tabular batch scorer needs from a model: predictions for preprocessed feature rows.
public protocol TabularPredictor {
    /// The names of the output columns, in order (e.g. `prediction`, or `prediction,lower,upper`).
    var outputColumns: [String] { get }
    /// Predictions for every row of `features` (rows × model features), one value per output column per row.
    func predict(features: Tensor) throws -> TabularPredictions
    /// The predictions the batch scorer writes: the same values, text columns possibly as `utf8Texts`.
    func predictForOutput(features: Tensor) throws -> TabularPredictions
}

extension TabularPredictor {
    public func predictForOutput(features: Tensor) throws -> TabularPredictions { try predict(features: features) }
}
