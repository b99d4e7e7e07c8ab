import Foundation

/// The reasons behind a score: for each applicant, the input columns that cost the most points.
///
/// A plugin-level helper because "cost" differs by model: for a scorecard it is the shortfall from the feature's
/// best bin, for trees the TreeSHAP contribution toward default, for linear models and networks the change from
/// the average applicant. All are given here as points lost per input (rows × inputs); only positive losses count.
enum ReasonCodes {
    static let count = 3
    static let columns = (1...count).map { "reason_\($0)" }

    /// The top reasons of each row, most points lost first; ties keep the input order. Rows with fewer than
    /// `count` positive losses get empty texts for the rest.
    static func top(losses: [Double], rows: Int, inputs: Int, text: (_ row: Int, _ input: Int, _ loss: Double) -> String) -> [[String]] {
        var result = [[String]](repeating: [String](repeating: "", count: rows), count: count)
        var best = [Int](repeating: -1, count: count)
        losses.withUnsafeBufferPointer { l in
            for r in 0..<rows {
                for i in 0..<count { best[i] = -1 }
                let base = r * inputs
                for k in 0..<inputs where l[base + k] > 1e-9 {
                    // Insertion into the small sorted list of the best `count`.
                    var slot = count
                    while slot > 0 && (best[slot - 1] < 0 || l[base + best[slot - 1]] < l[base + k]) { slot -= 1 }
                    guard slot < count else { continue }
                    var i = count - 1
                    while i > slot { best[i] = best[i - 1]; i -= 1 }
                    best[slot] = k
                }
                for i in 0..<count where best[i] >= 0 { result[i][r] = text(r, best[i], l[base + best[i]]) }
            }
        }
        return result
    }

    /// "name: value (-12 points)".
    static func format(name: String, value: String, points: Double) -> String {
        "\(name): \(value) (-\(String(format: "%.0f", points.rounded())) points)"
    }
}
