import Foundation

extension Array {
    /// A Fisher–Yates shuffle drawing one `generator` value per position, from the last down: the kit's one
    /// shuffle, so splits and folds made with the same generator state stay reproducible across releases.
    /// (The standard library's `shuffle(using:)` does not promise its draw order.)
    mutating func seededShuffle(using generator: inout SeededGenerator) {
        guard count > 1 else { return }
        for i in stride(from: count - 1, to: 0, by: -1) {
            swapAt(i, Int(generator.next() % UInt64(i + 1)))
        }
    }
}
