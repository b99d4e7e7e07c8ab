import Foundation
import SolutionKit

/// Domain features for tables with Give Me Some Credit's past-due counts, added for tree models
/// (the `gbdt` recipe's `credit_features=auto`).
///
/// - `WeightedDaysLate` = 30–59 + 2 × 60–89 + 3 × 90+ days-past-due counts, so one number ranks how late an
///   applicant has been; unknown when the counts are the file's codes 96/98 (a count of 96 or more).
/// - `AnyDaysLate` = 1 when any of the counts is above zero, else 0 (also 0 for the codes).
/// - Revolving utilisation above 10 (1,000% of the credit limit: data errors, and their default rate is that of
///   missing values) is read as missing by the trees. Reasons still show the applicant's own value.
///
/// These, with `lambda_l1` 5, were chosen on inner folds of the training rows only; see
/// `bench/credit-risk/TUNING.md`. The positions refer to the layout's inputs before the derived ones.
struct DelinquencyFeatures: Codable, Sendable, Equatable {
    static let pastDueColumns = ["NumberOfTime30-59DaysPastDueNotWorse", "NumberOfTime60-89DaysPastDueNotWorse",
                                 "NumberOfTimes90DaysLate"]
    static let utilizationColumn = "RevolvingUtilizationOfUnsecuredLines"
    static let names = ["WeightedDaysLate", "AnyDaysLate"]
    /// Past-due counts from here on are codes, not counts.
    static let firstCode: Float = 96
    static let utilizationLimit: Float = 10

    /// Input positions of the 30–59, 60–89 and 90+ days counts.
    var pastDue: [Int]
    /// Input position of revolving utilisation, when the table has it.
    var utilization: Int?

    /// The features for `layout`'s inputs, or nil when it lacks a numeric past-due column.
    init?(detectingIn layout: FeatureLayout) {
        func numericInput(_ name: String) -> Int? {
            layout.inputs.firstIndex { $0.name == name && !$0.isCategorical && !$0.outputs.isEmpty }
        }
        let positions = Self.pastDueColumns.compactMap(numericInput)
        guard positions.count == Self.pastDueColumns.count else { return nil }
        pastDue = positions
        utilization = numericInput(Self.utilizationColumn)
    }

    /// Whether the positions fit a layout of `inputs` inputs before the derived ones (for bundles read from disk).
    func fits(inputs: Int) -> Bool {
        pastDue.count == Self.pastDueColumns.count && (pastDue + [utilization ?? 0]).allSatisfy { (0..<inputs).contains($0) }
    }

    /// Writes the derived columns at positions `first` and `first + 1` of each row of `width` numbers, from the
    /// row's raw inputs.
    func fill(_ values: UnsafeMutablePointer<Float>, rows: Int, width: Int, first: Int) {
        let (p30, p60, p90) = (pastDue[0], pastDue[1], pastDue[2])
        for r in 0..<rows {
            let row = values + r * width
            let (a, b, c) = (row[p30], row[p60], row[p90])
            if a >= Self.firstCode {
                row[first] = .nan
                row[first + 1] = 0
            } else {
                row[first] = a + 2 * b + 3 * c
                row[first + 1] = a > 0 || b > 0 || c > 0 ? 1 : 0
            }
        }
    }

    /// Reads revolving utilisation above the limit as missing, in rows of `width` inputs.
    func clean(_ values: UnsafeMutablePointer<Float>, rows: Int, width: Int) {
        guard let u = utilization else { return }
        for r in 0..<rows where values[r * width + u] > Self.utilizationLimit { values[r * width + u] = .nan }
    }
}
