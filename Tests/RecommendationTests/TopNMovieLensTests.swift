import XCTest
@testable import Recommendation
import SolutionKit

/// The top-N recipes on MovieLens 100K's fold u1 (release test run only; the bench measures all five folds).
final class TopNMovieLensTests: XCTestCase {
    func testFoldOneTopNRecipes() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
        let folder = RecommendationPluginTests.movieLensFolder
        guard FileManager.default.fileExists(atPath: folder) else { throw XCTSkip("\(folder) is absent") }
        let popularity = try RecommendationCrossValidation.run(folder: folder, recipe: "popularity", folds: [1])[0]
        let ease = try RecommendationCrossValidation.run(folder: folder, recipe: "ease", folds: [1])[0]
        let blend = try RecommendationCrossValidation.run(folder: folder, recipe: "blend", folds: [1])[0]
        // Fold u1 measured with the defaults: see THRESHOLDS below; the old EASE (λ 300, binary input) gave 0.4449.
        XCTAssertGreaterThan(ease.ndcg10, THRESHOLDS.ease)
        XCTAssertGreaterThan(blend.ndcg10, THRESHOLDS.blend)
        XCTAssertLessThan(blend.rmse, THRESHOLDS.blendRMSE)
        // Lists reach beyond the popular items: more coverage and more novelty than the popularity list.
        XCTAssertGreaterThan(blend.coverage10, popularity.coverage10 * 3)
        XCTAssertGreaterThan(blend.novelty10, popularity.novelty10)
    }
}
