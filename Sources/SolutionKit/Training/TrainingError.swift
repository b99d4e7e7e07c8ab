/// Why a training run could not start or had to stop.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case invalidConfiguration(field: String, reason: String)
    case emptySet(set: String)
    case rowCountMismatch(set: String, inputs: Int, targets: Int)
    case nonFiniteInput(set: String, row: Int)
    case validationRequired(reason: String)
    case conflictingValidation
    case diverged(epoch: Int, batch: Int)

    public var description: String {
        switch self {
        case let .invalidConfiguration(field, reason):
            return "training configuration '\(field)': \(reason)"
        case let .emptySet(set):
            return "the \(set) set has no rows"
        case let .rowCountMismatch(set, inputs, targets):
            return "\(set) set: \(inputs) input rows but \(targets) target rows"
        case let .nonFiniteInput(set, row):
            return "\(set) set: row \(row) contains NaN or an infinite value"
        case let .validationRequired(reason):
            return "validation data is required: \(reason)"
        case .conflictingValidation:
            return "both an explicit validation set and a validation fraction were given; use one"
        case let .diverged(epoch, batch):
            return "training diverged: the loss became NaN or infinite at epoch \(epoch), batch \(batch) "
                + "(lower the learning rate or clip gradients)"
        }
    }
}
