/// What `TabularPreprocessor.transformForEvaluation` returns: the features of the rows that are scored, which
/// rows those are, and how many rows held a category never seen in training.
public struct EvaluationFeatures {
    /// One row per kept row.
    public var features: Tensor
    /// The kept rows, as positions in the transformed table (all of them unless the policy is `reject`).
    public var rows: [Int]
    public var unseen: UnseenCategoryCount
}

/// Evaluation rows holding a category the training rows never had, and what was done with them.
public struct UnseenCategoryCount: Equatable, Sendable {
    public struct Column: Equatable, Sendable {
        public var name: String
        /// Rows with an unseen category in this column.
        public var rows: Int
        /// Up to three of the unseen values.
        public var examples: [String]
    }

    /// Rows with at least one unseen category.
    public var rows: Int
    /// Of them, the rows left out of the metrics (the `reject` policy).
    public var leftOut: Int
    public var policy: UnseenCategoryPolicy
    public var columns: [Column]

    public init(rows: Int, leftOut: Int, policy: UnseenCategoryPolicy, columns: [Column]) {
        self.rows = rows
        self.leftOut = leftOut
        self.policy = policy
        self.columns = columns
    }

    /// One sentence for the run's notes and report, nil when every category was seen in training.
    public var note: String? {
        guard rows > 0 else { return nil }
        let where_ = columns.map { column in
            "'\(column.name)': \(column.rows) row\(column.rows == 1 ? "" : "s"), e.g. "
                + column.examples.map { "'\($0)'" }.joined(separator: ", ")
        }.joined(separator: "; ")
        let outcome = policy == .reject
            ? "left out of the metrics (unseen_categories=reject; --set unseen_categories=ignore scores them with the category treated as missing)"
            : "scored with the category treated as missing (unseen_categories=ignore)"
        return "evaluation rows with unseen categories: \(rows) (\(where_)); \(outcome)"
    }
}
