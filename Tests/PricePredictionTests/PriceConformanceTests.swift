import PricePrediction
import SolutionKit
import SolutionKitConformance
import XCTest

/// The price-prediction plugin honours the whole plugin contract, checked by the shared suite.
final class PriceConformanceTests: XCTestCase {
    func testPassesTheConformanceSuite() throws {
        let folder = try PriceTestSupport.temporaryFolder(self)
        let training = folder.appendingPathComponent("train.csv")
        try PriceTestSupport.write(try PriceTestSupport.sampleSlice(rows: 400), to: training)
        let fixture = ConformanceFixture(
            trainingData: .file(training.path, options: ["target": "median_house_value"]),
            scoringInput: """
                id,longitude,latitude,housing_median_age,total_rooms,total_bedrooms,population,households,median_income,ocean_proximity
                a,-122.23,37.88,41,880,129,322,126,8.3252,NEAR BAY
                b,-118.3,34.2,20,2000,,1000,400,3.1,<1H OCEAN
                c,-121.9,37.4,30,1500,300,900,280,5.0,INLAND
                d,-117.1,32.7,15,3000,600,1600,580,2.5,NEAR OCEAN

                """,
            invalidRow: "e,-120,36,10,abc,100,300,90,4.0,INLAND",
            overrides: ["mlp": ["epochs=3"], "gbdt": ["num_iterations=20"]])
        let report = ConformanceSuite.run(PricePredictionPlugin(), fixture: fixture)
        XCTAssertTrue(report.isPassing, "\(report)")
        for recipe in ["gbdt", "mlp", "ridge"] {
            XCTAssertTrue(report.passed.contains("bundle round trip [\(recipe)]"), "\(report)")
        }
        XCTAssertTrue(report.passed.contains("scorer rejects a bad row with a reason"), "\(report)")
        XCTAssertTrue(report.passed.contains("dataset sample loads"), "\(report)")
    }
}
