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
        let best = topInputs(losses: losses, rows: rows, inputs: inputs)
        for r in 0..<rows {
            for i in 0..<count where best[r * count + i] >= 0 {
                let k = Int(best[r * count + i])
                result[i][r] = text(r, k, losses[r * inputs + k])
            }
        }
        return result
    }

    /// The inputs behind each row's top reasons (rows × `count`, most points lost first, -1 past the last
    /// positive loss); ties keep the input order.
    static func topInputs(losses: [Double], rows: Int, inputs: Int) -> [Int32] {
        var result = [Int32](repeating: -1, count: rows * count)
        losses.withUnsafeBufferPointer { l in
            result.withUnsafeMutableBufferPointer { best in
                for r in 0..<rows {
                    let base = r * inputs, top = best.baseAddress! + r * count
                    for k in 0..<inputs where l[base + k] > 1e-9 {
                        // Insertion into the small sorted list of the best `count`.
                        var slot = count
                        while slot > 0 && (top[slot - 1] < 0 || l[base + Int(top[slot - 1])] < l[base + k]) { slot -= 1 }
                        guard slot < count else { continue }
                        var i = count - 1
                        while i > slot { top[i] = top[i - 1]; i -= 1 }
                        top[slot] = Int32(k)
                    }
                }
            }
        }
        return result
    }

    /// "name: value (-12 points)".
    static func format(name: String, value: String, points: Double) -> String {
        "\(name): \(value) (-\(String(format: "%.0f", points.rounded())) points)"
    }
}
