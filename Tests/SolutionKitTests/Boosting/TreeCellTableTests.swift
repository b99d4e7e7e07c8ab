import XCTest
@testable import SolutionKit

/// The cell-table TreeSHAP of `FastTreeSHAP`: exact against the recursive algorithm and brute-force Shapley values,
/// scores bit-identical to `CompactTreePredictor`, on random trees with NaN, mixed missing directions and
/// trees that fall back to the recursive algorithm.
final class TreeCellTableTests: XCTestCase {
    /// A random tree in pre-order (children after parents): thresholds from a small grid so features repeat
    /// thresholds across nodes, missing directions at random.
    static func randomTree(features: Int, leaves: Int, generator g: inout CellTestRandom) -> DecisionTree {
        var tree = DecisionTree()
        func build(_ leavesHere: Int) -> (Int32, Int) {
            if leavesHere == 1 {
                let leaf = tree.leafValue.count
                tree.leafValue.append(Double(g.next(upTo: 2001)) / 1000 - 1)
                let count = 1 + g.next(upTo: 60)
                tree.leafCount.append(count)
                return (~Int32(leaf), count)
            }
            let node = tree.splitFeature.count
            tree.splitFeature.append(Int32(g.next(upTo: features)))
            tree.threshold.append(Float(g.next(upTo: 7)) / 2 - 1)
            tree.missingGoesLeft.append(g.next(upTo: 2) == 0)
            tree.isCategorical.append(false)
            tree.leftCategories.append([])
            tree.leftChild.append(0); tree.rightChild.append(0)
            tree.splitGain.append(1); tree.internalCount.append(0); tree.internalValue.append(0)
            let leftLeaves = 1 + g.next(upTo: leavesHere - 1)
            let (left, leftCount) = build(leftLeaves)
            let (right, rightCount) = build(leavesHere - leftLeaves)
            tree.leftChild[node] = left
            tree.rightChild[node] = right
            tree.internalCount[node] = leftCount + rightCount
            return (Int32(node), leftCount + rightCount)
        }
        _ = build(leaves)
        return tree
    }

    static func randomModel(trees: Int, features: Int, maxLeaves: Int, seed: UInt64) -> GradientBoostedModel {
        var g = CellTestRandom(seed: seed)
        var model = GradientBoostedModel(objective: .binary, parameters: GradientBoostingParameters(), featureCount: features,
                                         featureNames: (0..<features).map { "f\($0)" }, categoricalFeatures: [],
                                         initialScore: -1.25)
        for t in 0..<trees { model.trees.append(randomTree(features: features, leaves: t % 5 == 4 ? 1 : 1 + g.next(upTo: maxLeaves),
                                                           generator: &g)) }
        return model
    }

    /// Rows on and around the threshold grid, a share of them NaN per feature.
    static func randomRows(_ rows: Int, features: Int, seed: UInt64) -> Tensor {
        var g = CellTestRandom(seed: seed)
        let values = (0..<(rows * features)).map { _ -> Float in
            switch g.next(upTo: 10) {
            case 0, 1: return .nan
            case 2, 3: return Float(g.next(upTo: 7)) / 2 - 1           // exactly on a threshold
            default: return Float(g.next(upTo: 4001)) / 1000 - 2
            }
        }
        return Tensor(shape: [rows, features], scalars: values)
    }

    func assertExact(_ model: GradientBoostedModel, _ x: Tensor, maxCellsPerTree: Int = FastTreeSHAP.defaultMaxCellsPerTree,
                     expectFallback: Bool? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        let tables = FastTreeSHAP(model: model, maxCellsPerTree: maxCellsPerTree)
        if let expectFallback {
            XCTAssertEqual(tables.fallbackTreeCount > 0, expectFallback, file: file, line: line)
        }
        let reference = try model.contributions(for: x)
        let explained = tables.explain(x)
        let compact = try model.compactPredictor().rawPredictions(for: x)
        XCTAssertEqual(explained.scores, compact, "scores must be bit-identical", file: file, line: line)
        XCTAssertEqual(tables.rawPredictions(for: x), compact, file: file, line: line)
        XCTAssertEqual(FastTreeSHAP(model: model, explaining: false, maxCellsPerTree: maxCellsPerTree).rawPredictions(for: x),
                       compact, file: file, line: line)
        XCTAssertEqual(explained.contributions.count, reference.values.count, file: file, line: line)
        for (i, (a, b)) in zip(explained.contributions, reference.values).enumerated() where abs(a - b) > 1e-12 {
            XCTFail("contribution \(i): \(a) vs \(b)", file: file, line: line)
            break
        }
        XCTAssertEqual(tables.contributions(for: x), explained.contributions, file: file, line: line)
    }

    func testRandomTreesWithMissingValuesMatchRecursiveTreeSHAP() throws {
        for seed in 1...6 as ClosedRange<UInt64> {
            let model = Self.randomModel(trees: 25, features: 5, maxLeaves: 12, seed: seed)
            try assertExact(model, Self.randomRows(300, features: 5, seed: seed + 100), expectFallback: false)
        }
    }

    func testTreesOverTheCellCapFallBackAndStayExact() throws {
        let model = Self.randomModel(trees: 30, features: 6, maxLeaves: 16, seed: 7)
        let x = Self.randomRows(200, features: 6, seed: 8)
        try assertExact(model, x, maxCellsPerTree: 12, expectFallback: true)
        try assertExact(model, x, maxCellsPerTree: 1, expectFallback: true)
    }

    func testTrainedModelWithCategoricalSplitsFallsBackAndStaysExact() throws {
        var x = BoostingTestSupport.uniformMatrix(rows: 500, features: 4, seed: 21)
        for r in 0..<500 { x.scalars[r * 4 + 3] = Float(r % 6) }
        for r in stride(from: 0, to: 500, by: 13) { x.scalars[r * 4 + 1] = .nan }
        let y = BoostingTestSupport.friedmanLike(x, seed: 22).enumerated().map { r, v in v + (r % 6 == 2 ? 3 : 0) }
        var p = GradientBoostingParameters()
        p.numberOfRounds = 20
        p.numberOfLeaves = 12
        p.minDataPerCategoryGroup = 20
        let model = try GradientBoostingTrainer(parameters: p).fit(features: x, labels: y, categoricalFeatures: [3])
        XCTAssertTrue(model.trees.contains { $0.isCategorical.contains(true) })
        try assertExact(model, x, expectFallback: true)
    }

    func testSmallTreesMatchBruteForceShapleyValues() throws {
        let m = 4
        let model = Self.randomModel(trees: 4, features: m, maxLeaves: 9, seed: 31)
        let x = Self.randomRows(40, features: m, seed: 32)
        let phi = FastTreeSHAP(model: model).contributions(for: x)
        x.scalars.withUnsafeBufferPointer { buffer in
            for r in 0..<x.rows {
                let row = buffer.baseAddress! + r * m
                for i in 0..<m {
                    let expected = BruteForceShapley.value(model, row: row, feature: i)
                    XCTAssertEqual(phi[r * (m + 1) + i], expected, accuracy: 1e-12, "row \(r) feature \(i)")
                }
            }
        }
    }

    func testBatchesOfAnySizeGiveTheSameRows() throws {
        let model = Self.randomModel(trees: 12, features: 3, maxLeaves: 8, seed: 41)
        let x = Self.randomRows(4099, features: 3, seed: 42)
        let tables = FastTreeSHAP(model: model)
        let whole = tables.explain(x)
        for (start, count) in [(0, 1), (1, 3), (5, 4), (9, 4090)] {
            let part = tables.explain(x.gatheringRows(Array(start..<(start + count))))
            XCTAssertEqual(part.scores, Array(whole.scores[start..<(start + count)]))
            XCTAssertEqual(part.contributions, Array(whole.contributions[(start * 4)..<((start + count) * 4)]))
        }
    }
}

/// A small deterministic generator (SplitMix64), so random trees are the same on every run.
struct CellTestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func next(upTo bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
