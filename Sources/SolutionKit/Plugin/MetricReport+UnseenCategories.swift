extension MetricReport {
    /// Records evaluation rows with categories unseen in training: two counts among the values
    /// (`unseen_category_rows`, `rows_left_out`) and a report section, when there were any.
    public mutating func record(_ unseen: UnseenCategoryCount) {
        guard let note = unseen.note else { return }
        values.append(.init(name: "unseen_category_rows", value: Double(unseen.rows)))
        values.append(.init(name: "rows_left_out", value: Double(unseen.leftOut)))
        sections.append(.init(title: "Evaluation rows with unseen categories", markdown: note))
    }
}

extension EvaluationFeatures {
    /// Says on the run's progress what happened to rows with unseen categories, and refuses an evaluation that
    /// would be left with no row at all.
    public func checked(source: String, progress: any ProgressReporter) throws -> EvaluationFeatures {
        if let note = unseen.note { progress.note(note) }
        guard !rows.isEmpty else {
            throw DataRequestError("\(source): every evaluation row holds a category unseen in training and is left out; "
                                   + "set --set unseen_categories=ignore to score them with the category treated as missing")
        }
        return self
    }
}
