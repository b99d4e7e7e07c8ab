import Foundation
@testable import Recommendation
import SolutionKit
import SolutionKitConformance
import XCTest

final class RecommendationPluginTests: XCTestCase {
    let plugin = RecommendationPlugin()

    func temporaryFile(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rec-tests-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func readError(_ text: String, options: [String: String] = [:]) -> String? {
        do {
            _ = try RatingsFileReader(options: options).read(bytes: Array(text.utf8), name: "r.csv")
            return nil
        } catch {
            return "\(error)"
        }
    }

    // MARK: Bad input, each with a clear error naming the line

    func testRatingOutsideTheScale() {
        XCTAssertEqual(readError("user,item,rating\na,x,4\nb,y,6\n"),
                       "r.csv, line 3: rating 6 is outside the scale 1-5 (declare another with --option scale=MIN-MAX)")
        XCTAssertNil(readError("user,item,rating\na,x,4.5\nb,y,0.5\n", options: ["scale": "0.5-5"]))
    }

    func testDuplicatePairPolicy() throws {
        let text = "user,item,rating,timestamp\na,x,4,10\nb,x,2,11\na,x,1,12\n"
        XCTAssertEqual(readError(text), "r.csv, line 4: user a already rated item x on line 2; keep the latest rating with --option duplicates=last")
        let log = try RatingsFileReader(options: ["duplicates": "last"]).read(bytes: Array(text.utf8), name: "r.csv")
        XCTAssertEqual(log.count, 2)
        XCTAssertEqual(log.ratings, [1, 2], "the later rating (timestamp 12) replaces the earlier one")
    }

    func testEmptyLineMissingColumnAndNonNumericRating() {
        XCTAssertEqual(readError("user,item,rating\na,x,4\n\nb,y,3\n"), "r.csv, line 3: empty line")
        XCTAssertEqual(readError("user,item,rating\na,x,4\nb,y\n"),
                       "r.csv, line 3: 2 field(s), expected at least 3 (user, item, rating)")
        XCTAssertEqual(readError("user,item,rating\na,x,four\n"), "r.csv, line 2: rating \"four\" is not a number")
        XCTAssertEqual(readError("user,item,score_x\na,x,4\n"),
                       "r.csv, line 1: no rating column; the header is: user, item, score_x; name it with --option rating=COLUMN")
        XCTAssertEqual(readError(""), "r.csv: the file is empty")
        // Trailing blank lines are not an error.
        XCTAssertNil(readError("user,item,rating\na,x,4\n\n\n"))
    }

    func testHeaderlessTabSeparatedFileWithStringIds() throws {
        let log = try RatingsFileReader(options: [:]).read(bytes: Array("alice\tm-1\t5\t881250949\nbob\tm-2\t3\t881250950\n".utf8), name: "t.tsv")
        XCTAssertEqual(log.users, ["alice", "bob"])
        XCTAssertEqual(log.items, ["m-1", "m-2"])
        XCTAssertEqual(log.ratings, [5, 3])
        XCTAssertEqual(log.timestamps, [881250949, 881250950])
    }

    func testLatin1TitlesDecode() throws {
        // "Á köldum klaka (Cold Fever) (1994)" as MovieLens stores it: Latin-1 bytes 0xC1 and 0xF6.
        var bytes = Array("1682|Scream of Stone (Schrei aus Stein) (1991)|08-Mar-1996\n1633|".utf8)
        bytes += [0xC1] + Array(" k".utf8) + [0xF6] + Array("ldum klaka (Cold Fever) (1994)|01-Jan-1994\n".utf8)
        let path = try temporaryFile("u.item", "")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let titles = try RecommendationDatasets.readTitles(path: path)
        XCTAssertEqual(titles["1633"], "Á köldum klaka (Cold Fever) (1994)")
        XCTAssertEqual(titles["1682"], "Scream of Stone (Schrei aus Stein) (1991)")
    }

    // MARK: Contract

    static func conformanceFixture() -> ConformanceFixture {
        ConformanceFixture(trainingData: .dataset("sample"), scoringInput: "user\nu1\nu2\nnobody\nu3\n", invalidRow: ",",
                           overrides: ["bayes-mf": ["sweeps=12", "burn_in=4", "thin=2", "factors=4"],
                                       "mf": ["epochs=3", "factors=8"], "als": ["sweeps=3", "factors=8"],
                                       "ials": ["sweeps=4"], "slim": ["max_sweeps=20"], "ease": ["cv_folds=2"],
                                       "blend": ["ratings=baseline,item-knn", "ease.cv_folds=0", "ials.sweeps=4", "cv_folds=2"]])
    }

    func testPassesTheConformanceSuite() throws {
        let report = ConformanceSuite.run(plugin, fixture: Self.conformanceFixture())
        XCTAssertTrue(report.isPassing, "\(report)")
        XCTAssertTrue(report.passed.contains("scorer rejects a bad row with a reason"), "\(report)")
    }

    // MARK: Scoring

    func testScorerTopKColdStartPairsAndRoundTrip() throws {
        let data = try plugin.load(.dataset("sample"))
        let configuration = try RecipeConfiguration.resolve(for: plugin, recipe: "mf", overrides: ["epochs=5", "factors=8"])
        let model = try RecommendationModel.cast(try plugin.train(configuration, on: data, context: RunContext(seed: 1)))
        let folder = try temporaryFile("x", "")
        let bundlePath = URL(fileURLWithPath: folder).deletingLastPathComponent().appendingPathComponent("bundle").path
        try ModelBundle.save(model, plugin: plugin, trainingData: data, metrics: nil, seed: 1, to: bundlePath)
        let loaded = try RecommendationModel.cast(try plugin.model(from: ModelBundle.load(from: bundlePath, expectingPlugin: plugin.id)))

        func run(_ scorer: any BatchScorer, _ input: String, options: [String: String] = [:]) throws -> (String, String, ScoringSummary) {
            let out = URL(fileURLWithPath: folder).deletingLastPathComponent().appendingPathComponent("out-\(UUID().uuidString)").path
            let rej = out + ".rejects"
            let o = try OutputSink.file(atomicallyAt: out), r = try OutputSink.file(atomicallyAt: rej)
            let summary = try scorer.score(MemoryByteSource(input), into: o, rejects: r, options: ScoringOptions(values: options))
            try o.commit(); try r.commit()
            return (try String(contentsOfFile: out, encoding: .utf8), try String(contentsOfFile: rej, encoding: .utf8), summary)
        }
        let input = "user\nu1\nstranger\n\nu2\n"
        let (output, rejects, summary) = try run(RecommendationScorer(model: model), input, options: ["k": "5"])
        XCTAssertEqual(summary, ScoringSummary(rowsRead: 4, rowsScored: 3, rowsRejected: 1))
        XCTAssertEqual(rejects, "line,reason\n4,empty line\n")
        let lines = output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "user,cold_start,items,titles,scores")
        XCTAssertTrue(lines[1].hasPrefix("u1,false,"))
        XCTAssertTrue(lines[2].hasPrefix("stranger,true,"))
        // The cold-start list is the most popular items; a known user's list excludes what they rated.
        let popular = model.recommend(user: -1, k: 5).map { model.items[$0.item] }
        XCTAssertTrue(lines[2].contains(popular.joined(separator: "|")))
        let u1 = model.userIndex["u1"]!
        let rated = Set((model.seen.userStarts[u1]..<model.seen.userStarts[u1 + 1]).map { model.items[Int(model.seen.userItems[$0])] })
        let listed = lines[1].split(separator: ",")[2].split(separator: "|").map(String.init)
        XCTAssertEqual(listed.count, 5)
        XCTAssertTrue(rated.isDisjoint(with: listed))
        XCTAssertTrue(lines[1].contains("Synthetic"), "titles are written")

        // The reloaded bundle scores identically, in top-k and in pairs mode.
        XCTAssertEqual(try run(RecommendationScorer(model: loaded), input, options: ["k": "5"]).0, output)
        let pairs = "user,item\nu1,i3\nu1,unknown-item\nghost,i1\n"
        let (p1, _, s1) = try run(RecommendationScorer(model: model), pairs)
        XCTAssertEqual(s1.rowsScored, 3)
        XCTAssertEqual(p1, try run(RecommendationScorer(model: loaded), pairs).0)
        let pairLines = p1.split(separator: "\n")
        XCTAssertEqual(pairLines[0], "user,item,prediction,cold_start")
        XCTAssertTrue(pairLines[2].hasSuffix(",true"))
        let expected = model.predictRating(user: u1, item: model.itemIndex["i3"]!)
        XCTAssertEqual(pairLines[1], "u1,i3,\(String(format: "%.4f", Double(expected))),false")
    }

    // MARK: MovieLens (release test run only)

    static var movieLensFolder: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("../shared/datasets/movielens-100k").standardized.path
    }

    func testMovieLensFoldsLoadWithTheDocumentedCounts() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
        let folder = Self.movieLensFolder
        guard FileManager.default.fileExists(atPath: folder) else { throw XCTSkip("\(folder) is absent") }
        // SOURCE.md: uK.base 80,000 rows and uK.test 20,000 for K = 1..5; u.item 1,682 titles.
        for fold in 1...5 {
            let data = try RecommendationDatasets.loadMovieLens(folder: folder, options: ["fold": String(fold)], evaluationOnly: false)
            XCTAssertEqual(data.trainingCount, 80_000)
            XCTAssertEqual(data.evaluationCount, 20_000)
            XCTAssertEqual(data.titles.count, 1_682)
        }
        let data = try RecommendationDatasets.loadMovieLens(folder: folder, options: [:], evaluationOnly: false)
        XCTAssertEqual(Set(data.train.users).union(data.test.users).count, 943)
        // Two of the Latin-1 titles of u.item (bytes 0xE9 and 0xC1, 0xF6).
        XCTAssertEqual(data.titles["1366"], "JLG/JLG - autoportrait de décembre (1994)")
        XCTAssertEqual(data.titles["1633"], "Á köldum klaka (Cold Fever) (1994)")
    }

    func testMovieLensFoldOneAccuracy() throws {
        #if DEBUG
        throw XCTSkip("runs in the release test run")
        #endif
        let folder = Self.movieLensFolder
        guard FileManager.default.fileExists(atPath: folder) else { throw XCTSkip("\(folder) is absent") }
        // Fold u1 (the hardest of the five): Surprise SVD defaults give about 0.95 there; bayes-mf measured 0.917.
        let bayes = try RecommendationCrossValidation.run(folder: folder, recipe: "bayes-mf", folds: [1])[0]
        XCTAssertLessThan(bayes.rmse, 0.925)
        let ease = try RecommendationCrossValidation.run(folder: folder, recipe: "ease", folds: [1])[0]
        let popularity = try RecommendationCrossValidation.run(folder: folder, recipe: "popularity", folds: [1])[0]
        XCTAssertGreaterThan(ease.ndcg10, popularity.ndcg10 * 1.25)
    }
}
