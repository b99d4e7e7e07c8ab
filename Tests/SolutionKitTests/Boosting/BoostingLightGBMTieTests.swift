import XCTest
@testable import SolutionKit

/// Which of several equally good splits wins, and other last-bit numerics, pinned to what LightGBM 4.7 does on
/// the same data (checked with the Python package: `lgb.train` with the parameters below, `trees_to_dataframe`).
/// Near ties decide whether two implementations grow the same trees, so these are part of matching LightGBM.
final class BoostingLightGBMTieTests: XCTestCase {
    func parameters(leaves: Int) -> GradientBoostingParameters {
        var p = GradientBoostingParameters()
        p.numberOfRounds = 1
        p.numberOfLeaves = leaves
        p.minDataInLeaf = 1
        p.minDataInBin = 1
        p.learningRate = 1
        return p
    }

    func testEqualPartitionsTakeTheHighestThreshold() throws {
        // x0 = 1 isolates the rows with label 100. In the other leaf x1 takes the values 1, 2, 5, 6 only, so
        // the thresholds 2.5, 3.5 and 4.5 give the same partition and the same gain. LightGBM scans thresholds
        // from the top down and keeps the first strictly better one: 4.5.
        var rows: [(Float, Float, Double)] = []
        for (v, y) in [(Float(1), 0.0), (2, 0), (5, 4), (6, 4)] { rows += Array(repeating: (0, v, y), count: 5) }
        for v in [Float(3), 4] { rows += Array(repeating: (1, v, 100), count: 5) }
        let x = Tensor(shape: [rows.count, 2], scalars: rows.flatMap { [$0.0, $0.1] })
        let model = try GradientBoostingTrainer(parameters: parameters(leaves: 3))
            .fit(features: x, labels: rows.map(\.2))
        let tree = model.trees[0]
        XCTAssertEqual(tree.splitFeature, [0, 1])
        XCTAssertEqual(tree.threshold[1], 4.5)
        XCTAssertEqual(tree.internalCount, [30, 20])
    }

    func testEqualGainsAcrossFeaturesTakeTheLowerFeature() throws {
        // Two identical columns: every candidate ties, LightGBM's SplitInfo comparison prefers feature 0.
        let values: [Float] = [1, 1, 2, 2, 3, 3, 4, 4]
        let x = Tensor(shape: [8, 2], scalars: values.flatMap { [$0, $0] })
        let model = try GradientBoostingTrainer(parameters: parameters(leaves: 2))
            .fit(features: x, labels: [0, 0, 0, 0, 1, 1, 5, 5])
        XCTAssertEqual(model.trees[0].splitFeature, [0])
    }

    func testFeatureWithoutValidSplitIsNotSearchedBelow() throws {
        // y = (a xor c) + 3c on a balanced grid: at the root a has gain exactly 0 (no valid split), c splits.
        // Below, a would separate y in both children, but LightGBM does not search a feature again under a leaf
        // where it had no valid split (`is_splittable()` of the parent histogram): one split, two leaves.
        var rows: [(Float, Float, Double)] = []
        for a in 0...1 { for c in 0...1 { rows += Array(repeating: (Float(a), Float(c), Double((a ^ c) + 3 * c)), count: 10) } }
        let x = Tensor(shape: [rows.count, 2], scalars: rows.flatMap { [$0.0, $0.1] })
        let model = try GradientBoostingTrainer(parameters: parameters(leaves: 4)).fit(features: x, labels: rows.map(\.2))
        XCTAssertEqual(model.trees[0].splitFeature, [1])
        XCTAssertEqual(model.trees[0].leafValue.count, 2)
        XCTAssertEqual(model.trees[0].splitGain[0], 90, accuracy: 1e-9)
    }

    func testMostFrequentBinFollowsLightGBMsRule() {
        // Positive values, no bin with 70% of rows: LightGBM's most_freq_bin is the bin of zero, bin 0, which it
        // leaves out of histograms (offset 1).
        let spread = FeatureBins.numeric(sortedValues: (1...100).map(Float.init), maxBin: 255, minDataInBin: 1)
        XCTAssertTrue(spread.firstBinImplicit)
        XCTAssertNil(spread.totalMinusOthersBin)
        // Negative values: zero falls in the last bin (empty), which FixHistogram then fills by subtraction.
        let negative = FeatureBins.numeric(sortedValues: (1...100).map { -Float(101 - $0) }, maxBin: 255, minDataInBin: 1)
        XCTAssertFalse(negative.firstBinImplicit)
        XCTAssertEqual(negative.totalMinusOthersBin, negative.bin(of: 0))
        // A value holding 80% of the sample is the most frequent bin even away from zero.
        let values = (1...10).map(Float.init) + Array(repeating: Float(50), count: 80) + (60...69).map(Float.init)
        let dominated = FeatureBins.numeric(sortedValues: values, maxBin: 255, minDataInBin: 1)
        XCTAssertGreaterThan(dominated.bin(of: 50), 0)
        XCTAssertEqual(dominated.totalMinusOthersBin, dominated.bin(of: 50))
    }

    func testLeafValuesCarryLightGBMsEpsilon() throws {
        // Leaf output is -G / H with LightGBM's kEpsilon in H: 4 rows of gradient 2 give -1.9999999999999996,
        // not -2 (LightGBM's leaf is 1.0000000000000004 once it adds the initial score 3).
        let x = Tensor(shape: [8, 1], scalars: [1, 2, 3, 4, 6, 7, 8, 9])
        let model = try GradientBoostingTrainer(parameters: parameters(leaves: 2))
            .fit(features: x, labels: [1, 1, 1, 1, 5, 5, 5, 5])
        let left = model.trees[0].leafValue[0]
        XCTAssertEqual(left, -1.9999999999999996)
    }
}
