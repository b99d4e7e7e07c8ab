/// How strongly a rating counts as evidence that a user likes an item, for the top-N learners that treat a
/// ratings log as implicit feedback (EASE, implicit ALS, SLIM, RP3beta).
///
/// A rating at or above `threshold` ("relevant", 4 on a 1–5 scale, as PROTOCOL.md judges lists) weighs 1; a
/// lower one weighs `lowWeight`: 1 treats every rating alike (classic implicit feedback: "the user watched it"),
/// 0 keeps only the liked items, values in between say "watched, but did not like it much".
public struct RelevanceWeights: Sendable, Equatable, Codable {
    public var threshold: Float
    public var lowWeight: Float

    public init(threshold: Float, lowWeight: Float = 1) {
        self.threshold = threshold
        self.lowWeight = lowWeight
    }

    /// Every rating weighs 1.
    public static let binary = RelevanceWeights(threshold: -.infinity, lowWeight: 1)

    @inline(__always)
    public func weight(_ rating: Float) -> Float { rating >= threshold ? 1 : lowWeight }

    @inline(__always)
    public func isRelevant(_ rating: Float) -> Bool { rating >= threshold }
}
