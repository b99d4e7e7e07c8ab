import XCTest
@testable import SolutionKit

/// `ForestScorer` gives bit for bit the scores of `CompactTreePredictor` and of the trees walked one by one, on
/// random trees (NaN values, NaN thresholds, both missing directions, categorical splits, lopsided trees that are
/// walked instead of stepped), on trained models, and refuses models whose indices it could not trust.
final class ForestScorerTests: XCTestCase {
    /// `initialScore` plus each tree's `DecisionTree.value` in tree order: the definition of a raw score.
    static func reference(_ model: GradientBoostedModel, _ x: Tensor) -> [Double] {
        x.scalars.withUnsafeBufferPointer { buffer in
            (0..<x.rows).map { r in
                var sum = model.initialScore
                for tree in model.trees { sum += tree.value(row: buffer.baseAddress! + r * x.columns) }
                return sum
            }
        }
    }

    static func assertBitIdentical(_ model: GradientBoostedModel, _ x: Tensor, file: StaticString = #filePath,
                            line: UInt = #line) throws {
        let scorer = try model.forestScorer()
        let expected = Self.reference(model, x)
        let compact = try model.compactPredictor().rawPredictions(for: x)
        XCTAssertEqual(compact.map(\.bitPattern), expected.map(\.bitPattern), "compact vs trees", file: file, line: line)
        for parallel in [true, false] {
            let got = try scorer.rawPredictions(for: x, parallel: parallel)
            XCTAssertEqual(got.count, x.rows, file: file, line: line)
            if let r = got.indices.first(where: { got[$0].bitPattern != expected[$0].bitPattern }) {
                XCTFail("row \(r): \(got[r]) vs \(expected[r]) (parallel \(parallel))", file: file, line: line)
            }
        }
        XCTAssertEqual(try model.rawPredictions(for: x).map(\.bitPattern), expected.map(\.bitPattern), file: file, line: line)
    }

    /// A random tree in pre-order. `chain`: every split sends all but one leaf one way, and most training rows
    /// ended near the root (a deep, lopsided tree, walked rather than stepped).
    static func randomTree(features: Int, leaves: Int, categorical: Set<Int>, chain: Bool, nanThresholds: Bool = false,
                           generator g: inout CellTestRandom) -> DecisionTree {
        var tree = DecisionTree()
        func build(_ leavesHere: Int, depth: Int) -> Int32 {
            if leavesHere == 1 {
                tree.leafValue.append(Double(g.next(upTo: 2001)) / 1000 - 1)
                tree.leafCount.append(chain ? max(1, 100_000 >> (2 * depth)) : 1 + g.next(upTo: 60))
                return ~Int32(tree.leafValue.count - 1)
            }
            let node = tree.splitFeature.count
            let feature = g.next(upTo: features)
            tree.splitFeature.append(Int32(feature))
            if categorical.contains(feature) {
                tree.isCategorical.append(true)
                tree.threshold.append(0)
                tree.leftCategories.append(Array(Set((0..<(1 + g.next(upTo: 4))).map { _ in Int32(g.next(upTo: 70)) })).sorted())
            } else {
                tree.isCategorical.append(false)
                tree.threshold.append(nanThresholds && g.next(upTo: 15) == 0 ? .nan : Float(g.next(upTo: 7)) / 2 - 1)
                tree.leftCategories.append([])
            }
            tree.missingGoesLeft.append(g.next(upTo: 2) == 0)
            tree.leftChild.append(0); tree.rightChild.append(0)
            tree.splitGain.append(1); tree.internalCount.append(0); tree.internalValue.append(0)
            let leftLeaves = chain ? (g.next(upTo: 2) == 0 ? 1 : leavesHere - 1) : 1 + g.next(upTo: leavesHere - 1)
            let left = build(leftLeaves, depth: depth + 1)
            let right = build(leavesHere - leftLeaves, depth: depth + 1)
            tree.leftChild[node] = left
            tree.rightChild[node] = right
            // A node's cover is its children's (validated models need covers of at least 1).
            func cover(_ child: Int32) -> Int { child < 0 ? tree.leafCount[Int(~child)] : tree.internalCount[Int(child)] }
            tree.internalCount[node] = cover(left) + cover(right)
            return Int32(node)
        }
        _ = build(leaves, depth: 0)
        return tree
    }

    static func randomModel(trees: Int, features: Int, maxLeaves: Int, categorical: Set<Int>, seed: UInt64,
                            minLeaves: Int = 1, nanThresholds: Bool = false) -> GradientBoostedModel {
        var g = CellTestRandom(seed: seed)
        var model = GradientBoostedModel(objective: .binary, parameters: GradientBoostingParameters(), featureCount: features,
                                         featureNames: (0..<features).map { "f\($0)" },
                                         categoricalFeatures: categorical.sorted(), initialScore: -0.375)
        for t in 0..<trees {
            let leaves = t % 7 == 6 && minLeaves == 1 ? 1 : minLeaves + g.next(upTo: maxLeaves - minLeaves + 1)
            model.trees.append(randomTree(features: features, leaves: leaves, categorical: t % 3 == 0 ? categorical : [],
                                          chain: t % 5 == 2, nanThresholds: nanThresholds, generator: &g))
        }
        return model
    }

    /// Rows on and around the threshold grid, with NaN, category codes in and beyond the sets, negatives,
    /// fractions, infinities and huge values.
    static func randomRows(_ rows: Int, features: Int, seed: UInt64) -> Tensor {
        var g = CellTestRandom(seed: seed)
        let special: [Float] = [.nan, .infinity, -.infinity, 1e30, -0.0, 0.5, 2.5, 4_294_967_296, 69, 70, 71, 31, 32, 33]
        let values = (0..<(rows * features)).map { _ -> Float in
            switch g.next(upTo: 12) {
            case 0, 1: return .nan
            case 2, 3: return Float(g.next(upTo: 7)) / 2 - 1
            case 4, 5: return Float(g.next(upTo: 72))
            case 6: return special[g.next(upTo: special.count)]
            default: return Float(g.next(upTo: 4001)) / 1000 - 2
            }
        }
        return Tensor(shape: [rows, features], scalars: values)
    }

    func testRandomNumericAndCategoricalTreesAreBitIdentical() throws {
        for seed in 1...8 as ClosedRange<UInt64> {
            let model = Self.randomModel(trees: 40, features: 6, maxLeaves: 40, categorical: seed % 2 == 0 ? [1, 4] : [],
                                         seed: seed)
            // Sizes around the 64-row block and the 2,048-row parallel grain.
            for rows in [1, 63, 64, 65, 4_200] {
                try Self.assertBitIdentical(model, Self.randomRows(rows, features: 6, seed: seed * 31 + UInt64(rows)))
            }
        }
    }

    /// QuickScorer for every tree, QuickScorer with walked trees in between (NaN thresholds, over 64 leaves), and
    /// the level-by-level kernel alone (no tree QuickScorer can take).
    func testEveryKernelPathIsBitIdentical() throws {
        let allQuick = Self.randomModel(trees: 50, features: 6, maxLeaves: 64, categorical: [1, 4], seed: 91, nanThresholds: false)
        let scorer = try allQuick.forestScorer()
        XCTAssertEqual(scorer.quick.treeCount, allQuick.trees.filter { $0.internalNodeCount > 0 }.count)
        XCTAssertFalse(scorer.quick.catTree.count <= 1, "categorical nodes should be tabulated")
        try Self.assertBitIdentical(allQuick, Self.randomRows(3_000, features: 6, seed: 92))

        let mixed = Self.randomModel(trees: 50, features: 6, maxLeaves: 100, categorical: [1, 4], seed: 93)
        let mixedScorer = try mixed.forestScorer()
        XCTAssertGreaterThan(mixedScorer.quick.treeCount, 0)
        XCTAssertTrue(mixedScorer.quickIndex.contains(-1))
        try Self.assertBitIdentical(mixed, Self.randomRows(3_000, features: 6, seed: 94))

        let noQuick = Self.randomModel(trees: 20, features: 6, maxLeaves: 90, categorical: [1], seed: 95, minLeaves: 65)
        XCTAssertEqual(try noQuick.forestScorer().quick.treeCount, 0)
        try Self.assertBitIdentical(noQuick, Self.randomRows(3_000, features: 6, seed: 96))
    }

    func testLopsidedTreesAreWalkedAndStayIdentical() throws {
        let model = Self.randomModel(trees: 30, features: 4, maxLeaves: 60, categorical: [2], seed: 77)
        let scorer = try model.forestScorer()
        XCTAssertTrue(scorer.traversal.contains(.walk), "a chain tree should be walked")
        XCTAssertTrue(scorer.traversal.contains(.lockstep))
        XCTAssertTrue(scorer.hasCategorical.contains(true))
        try Self.assertBitIdentical(model, Self.randomRows(3_000, features: 4, seed: 78))
    }

    func testTrainedModelsWithCategoricalSplitsAndMissingValuesAreBitIdentical() throws {
        var x = BoostingTestSupport.uniformMatrix(rows: 3_000, features: 5, seed: 5)
        for r in 0..<3_000 { x.scalars[r * 5 + 4] = Float(r % 9) }
        for r in stride(from: 0, to: 3_000, by: 7) { x.scalars[r * 5 + 1] = .nan }
        let y = BoostingTestSupport.friedmanLike(x, seed: 6).enumerated().map { r, v in v + (r % 9 < 3 ? 2 : 0) }
        var p = GradientBoostingParameters()
        p.numberOfRounds = 30
        p.minDataPerCategoryGroup = 20
        let model = try GradientBoostingTrainer(parameters: p).fit(features: x, labels: y, categoricalFeatures: [4])
        XCTAssertTrue(model.trees.contains { $0.isCategorical.contains(true) })
        try Self.assertBitIdentical(model, x)
        try Self.assertBitIdentical(model, Self.randomRows(2_500, features: 5, seed: 9))
    }

    func testEmptyAndSingleLeafModels() throws {
        var model = Self.randomModel(trees: 0, features: 3, maxLeaves: 1, categorical: [], seed: 1)
        try Self.assertBitIdentical(model, Self.randomRows(10, features: 3, seed: 2))
        var leaf = DecisionTree()
        leaf.leafValue = [0.25]; leaf.leafCount = [4]
        model.trees = [leaf, leaf]
        try Self.assertBitIdentical(model, Self.randomRows(70, features: 3, seed: 3))
        XCTAssertEqual(try model.forestScorer().rawPredictions(for: Tensor(shape: [0, 3], scalars: [])), [])
        XCTAssertThrowsError(try model.forestScorer().rawPredictions(for: Tensor(shape: [1, 2], scalars: [0, 0])))
    }

    /// Indices the kernel follows unchecked are refused when the model is built.
    func testCorruptTreesAreRefusedAtBuild() throws {
        let good = Self.randomModel(trees: 3, features: 3, maxLeaves: 8, categorical: [0], seed: 12)
        func refused(_ change: (inout DecisionTree) -> Void, _ expected: String) {
            var model = good
            change(&model.trees[0])
            XCTAssertThrowsError(try model.forestScorer(), expected) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
                XCTAssertTrue("\(error)".contains("tree 0"), "\(error)")
            }
        }
        XCTAssertNoThrow(try good.forestScorer())
        XCTAssertGreaterThan(good.trees[0].internalNodeCount, 0)
        refused({ $0.splitFeature[0] = 3 }, "feature 3")
        refused({ $0.splitFeature[0] = -1 }, "feature -1")
        refused({ $0.leftChild[0] = 0 }, "invalid child")
        refused({ $0.rightChild[0] = ~Int32(99) }, "invalid leaf")
        refused({ $0.leafValue.removeLast() }, "disagree in length")
        refused({ tree in
            tree.splitFeature[0] = 0; tree.isCategorical[0] = true; tree.leftCategories[0] = [-4]
        }, "codes must be increasing")
        refused({ tree in
            tree.splitFeature[0] = 0; tree.isCategorical[0] = true; tree.leftCategories[0] = [Int32.max]
        }, "codes must be increasing")
    }
}

/// `ForestScorer` on models trained on the shared datasets. Release test run only.
final class ForestScorerRealDataTests: XCTestCase {
    override func setUpWithError() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
    }

    /// The scores of models trained on the shared datasets (release run only): California with its categorical
    /// column, Give Me Some Credit with its missing values, 100 and 300 trees, on the test rows and on test rows
    /// with a third of the values blanked.
    func testRealModelsAreBitIdentical() throws {
        let california = try BoostingTestSupport.california()
        let credit = try BoostingTestSupport.giveMeSomeCredit()
        var binary = GradientBoostingParameters()
        binary.objective = .binary
        var more = GradientBoostingParameters()
        more.numberOfRounds = 300
        for (parameters, train, test, categorical) in [
            (GradientBoostingParameters(), california.train, california.test.0, california.categorical),
            (more, california.train, california.test.0, california.categorical),
            (binary, credit.train, credit.test.0, Set<Int>()),
        ] {
            let model = try GradientBoostingTrainer(parameters: parameters)
                .fit(features: train.0, labels: train.1, categoricalFeatures: categorical)
            try ForestScorerTests.assertBitIdentical(model, test)
            var blanked = test
            for i in stride(from: 0, to: blanked.scalars.count, by: 3) { blanked.scalars[i] = .nan }
            try ForestScorerTests.assertBitIdentical(model, blanked)
        }
    }
}
