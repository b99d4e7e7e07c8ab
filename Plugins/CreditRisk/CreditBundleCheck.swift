import Foundation
import SolutionKit

/// The validation pass of a credit-risk bundle's own files: every index, bin and scalar is checked against the
/// preprocessing's layout before a model is built from them, each failure naming the file and key path.

extension ScoreScaling {
    /// A zero or negative `pointsToDoubleOdds` or `baseOdds` would make every score infinite or NaN.
    func check(_ check: BundleCheck) throws {
        try check.at("baseScore").finite(baseScore)
        try check.at("baseOdds").positive(baseOdds)
        try check.at("pointsToDoubleOdds").positive(pointsToDoubleOdds)
    }
}

extension CostDecision {
    func check(_ check: BundleCheck) throws {
        try check.at("threshold").within(threshold, 0...1)
        try check.at("costFalseNegative").within(costFalseNegative, 0...Double.greatestFiniteMagnitude)
        try check.at("costFalsePositive").within(costFalsePositive, 0...Double.greatestFiniteMagnitude)
    }
}

extension FeatureBinning {
    /// A binning of `input`: `bin(of:)` must only ever return -1 or a position of `allBins`.
    func check(_ check: BundleCheck, input: FeatureLayout.Input) throws {
        try check.at("isCategorical").require(isCategorical == input.isCategorical,
                                              "\(isCategorical), but the input \"\(input.name)\" is \(input.isCategorical ? "categorical" : "numeric")")
        // An empty numeric binning sends every value to position 0, which must then be the missing bin.
        try check.at("bins").require(!bins.isEmpty || isCategorical || missingBin != nil, "a numeric binning needs at least one bin")
        if isCategorical {
            try check.at("binOfCategory").count(binOfCategory.count, expected: input.categories.count,
                                                of: "bins for the input's categories")
            for (p, b) in binOfCategory.enumerated() {
                try check.at("binOfCategory").at(p).require(b >= -1 && b < bins.count, "bin \(b) lies outside -1..<\(bins.count)")
            }
        } else {
            try check.at("upperBounds").count(upperBounds.count, expected: bins.count, of: "bounds for the bins")
            for (i, bound) in upperBounds.enumerated() {
                try check.at("upperBounds").at(i).require(!bound.isNaN && (i == 0 || bound > upperBounds[i - 1]),
                                                          "\(bound) does not follow the previous bound upwards")
            }
        }
        for (i, bin) in allBins.enumerated() {
            let at = i < bins.count ? check.at("bins").at(i) : check.at("missingBin")
            try at.at("woe").finite(bin.woe)
            try at.require(bin.count >= 0 && bin.bads >= 0 && bin.bads <= bin.count, "count \(bin.count) with \(bin.bads) bads")
        }
        try check.at("informationValue").finite(informationValue)
    }
}

extension Scorecard {
    func check(_ check: BundleCheck, layout: FeatureLayout) throws {
        let inputs = layout.inputs
        var used = Set<Int>()
        for (j, entry) in entries.enumerated() {
            let at = check.at("entries").at(j)
            try at.at("input").index(entry.input, below: inputs.count)
            try at.at("input").require(used.insert(entry.input).inserted, "input \(entry.input) has two entries")
            try entry.binning.check(at.at("binning"), input: inputs[entry.input])
            try at.at("points").count(entry.points.count, expected: entry.binning.allBins.count, of: "points for the bins")
            try at.at("points").allFinite(entry.points)
            try at.at("coefficient").finite(entry.coefficient)
            try at.at("neutralPoints").finite(entry.neutralPoints)
        }
        try check.at("entries").require(!entries.isEmpty, "a scorecard needs at least one entry")
        try check.at("intercept").finite(intercept)
        try scaling.check(check.at("scaling"))
        try check.at("allBinnings").count(allBinnings.count, expected: layout.preprocessedInputCount, of: "binnings for the inputs")
        for (k, binning) in allBinnings.enumerated() {
            try binning.check(check.at("allBinnings").at(k), input: inputs[k])
        }
    }
}
