import Foundation
import SolutionKit

/// Where each input column of a `TabularPreprocessor` lands in its output, and the way back to raw values.
///
/// The batch scorer hands models the preprocessor's output only. Trees and scorecards want raw values (a missing
/// value as missing, a category as a code), and reason codes are per input column, not per one-hot slot. With
/// `standardizes: false` and no skew compression the preprocessor's numeric outputs are the raw values, its
/// `_missing` indicators say which were missing and each one-hot block says which training category it was, so the
/// raw view can be rebuilt exactly: `rawView` does that. Derived inputs (tree models' `DelinquencyFeatures`) follow
/// the preprocessor's; they have no output columns and are computed from the raw values.
struct FeatureLayout: Sendable {
    struct Input: Sendable {
        var name: String
        var isCategorical: Bool
        /// The output columns that belong to this input (value, indicator, or one-hot block).
        var outputs: [Int]
        /// Numeric: output column of the value; categorical: first column of the one-hot block.
        var valueColumn: Int
        /// Numeric: output column of the missing indicator, or -1.
        var indicatorColumn: Int
        /// Categorical: the training categories in one-hot order.
        var categories: [String]
        /// Numeric: how the preprocessor encoded the value (x = (f(v) − mean) / scale, f = log1p or identity).
        var mean: Double = 0
        var scale: Double = 1
        var logTransform = false
    }

    let inputs: [Input]
    let outputWidth: Int
    let derived: DelinquencyFeatures?
    /// Inputs that come from the preprocessor (the derived ones follow).
    let preprocessedInputCount: Int

    init(_ preprocessor: TabularPreprocessor, derived: DelinquencyFeatures? = nil) {
        let numeric = preprocessor.numericFeatures
        var inputs: [Input] = []
        var indicator = numeric.count
        for (j, feature) in numeric.enumerated() {
            let slot = feature.hasMissingIndicator ? indicator : -1
            if feature.hasMissingIndicator { indicator += 1 }
            inputs.append(Input(name: feature.name, isCategorical: false, outputs: slot >= 0 ? [j, slot] : [j],
                                valueColumn: j, indicatorColumn: slot, categories: [], mean: feature.mean,
                                scale: feature.scale, logTransform: feature.logTransform))
        }
        var offset = indicator
        for feature in preprocessor.categoricalFeatures {
            inputs.append(Input(name: feature.name, isCategorical: true,
                                outputs: Array(offset..<(offset + feature.categories.count)),
                                valueColumn: offset, indicatorColumn: -1, categories: feature.categories))
            offset += feature.categories.count
        }
        preprocessedInputCount = inputs.count
        for name in derived == nil ? [] : DelinquencyFeatures.names {
            inputs.append(Input(name: name, isCategorical: false, outputs: [], valueColumn: -1, indicatorColumn: -1,
                                categories: []))
        }
        self.inputs = inputs
        self.derived = derived
        outputWidth = offset
    }

    var categoricalIndices: Set<Int> { Set(inputs.indices.filter { inputs[$0].isCategorical }) }
    var names: [String] { inputs.map(\.name) }

    /// Raw values (rows × inputs) from preprocessed rows: numeric values with NaN where missing, category positions
    /// 0, 1, ... in the training order with NaN for a category unseen in training, then the derived inputs.
    /// Standardisation and log compression are undone; with `standardizes: false` and no compression the values
    /// are exactly the preprocessor's outputs, which is what trees and scorecards are trained on.
    func rawView(_ features: Tensor) -> Tensor {
        let rows = features.rows, width = features.columns, count = inputs.count
        var out = [Float](repeating: .nan, count: rows * count)
        features.scalars.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { out in
                for (k, input) in inputs.prefix(preprocessedInputCount).enumerated() {
                    if input.isCategorical {
                        let size = input.categories.count
                        for r in 0..<rows {
                            let base = r * width + input.valueColumn
                            for p in 0..<size where x[base + p] == 1 {
                                out[r * count + k] = Float(p)
                                break
                            }
                        }
                    } else {
                        let indicator = input.indicatorColumn
                        let exact = input.mean == 0 && input.scale == 1 && !input.logTransform
                        for r in 0..<rows {
                            if indicator >= 0 && x[r * width + indicator] == 1 { continue }
                            let v = x[r * width + input.valueColumn]
                            if exact { out[r * count + k] = v; continue }
                            let u = Double(v) * input.scale + input.mean
                            out[r * count + k] = Float(input.logTransform ? Foundation.expm1(u) : u)
                        }
                    }
                }
                if let derived, let base = out.baseAddress {
                    derived.fill(base, rows: rows, width: count, first: preprocessedInputCount)
                }
            }
        }
        return Tensor(shape: [rows, count], scalars: out)
    }

    /// What tree models read: the raw view with the derived features' cleaning applied (the raw view itself is
    /// what reasons describe).
    func treeView(_ features: Tensor) -> Tensor { treeView(raw: rawView(features)) }

    /// `treeView` from a raw view already made.
    func treeView(raw: Tensor) -> Tensor {
        guard let derived else { return raw }
        var cleaned = raw
        let (rows, width) = (raw.rows, inputs.count)
        cleaned.scalars.withUnsafeMutableBufferPointer { if let base = $0.baseAddress { derived.clean(base, rows: rows, width: width) } }
        return cleaned
    }

    /// `describe(k, raw: value)` appended as UTF-8.
    func appendDescription(_ k: Int, raw value: Float, to column: inout UTF8TextColumn) {
        let input = inputs[k]
        if value.isNaN {
            column.append(contentsOf: (input.isCategorical ? "unseen category" : "missing").utf8)
        } else if input.isCategorical {
            column.append(contentsOf: input.categories[Int(value)].utf8)
        } else if value == value.rounded() && abs(value) < 1e7 {
            ReasonText.appendInteger(Int64(value), to: &column)
        } else {
            ReasonText.appendFourSignificant(value, to: &column)
        }
    }

    /// A readable value of input `k` in a raw-view row, for reason texts.
    func describe(_ k: Int, raw value: Float) -> String {
        let input = inputs[k]
        if value.isNaN { return input.isCategorical ? "unseen category" : "missing" }
        if input.isCategorical { return input.categories[Int(value)] }
        return value == value.rounded() && abs(value) < 1e7 ? String(Int(value)) : String(format: "%.4g", Double(value))
    }
}
