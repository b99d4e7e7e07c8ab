/// Output columns of a tabular model, column by column, for one batch of feature rows.
///
/// Column-wise arrays keep scoring allocation-free per row for numeric outputs; text outputs (decisions,
/// reason codes) carry one string per row.
public struct TabularPredictions {
    public enum Values {
        case numbers([Double])
        case texts([String])

        var count: Int {
            switch self {
            case .numbers(let values): return values.count
            case .texts(let values): return values.count
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
}
