/// Selects the `k` best-scoring candidates without sorting them all: a bounded min-heap, O(n log k).
public enum TopK {
    /// Indices of the k largest scores, best first, skipping those where `excluded(index)` is true.
    /// Ties go to the smaller index, so the order is deterministic.
    public static func select(_ scores: UnsafeBufferPointer<Float>, k: Int, excluded: (Int) -> Bool = { _ in false }) -> [Int] {
        guard k > 0 else { return [] }
        var heap: [(score: Float, index: Int)] = []
        heap.reserveCapacity(k)
        // "a is worse than b": lower score, or equal score and larger index.
        @inline(__always) func worse(_ a: (score: Float, index: Int), _ b: (score: Float, index: Int)) -> Bool {
            a.score < b.score || (a.score == b.score && a.index > b.index)
        }
        func siftDown(_ start: Int) {
            var i = start
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && worse(heap[l], heap[m]) { m = l }
                if r < heap.count && worse(heap[r], heap[m]) { m = r }
                if m == i { return }
                heap.swapAt(i, m)
                i = m
            }
        }
        for index in 0..<scores.count where !excluded(index) {
            let score = scores[index]
            guard !score.isNaN else { continue }
            let candidate = (score: score, index: index)
            if heap.count < k {
                heap.append(candidate)
                var i = heap.count - 1
                while i > 0 {
                    let parent = (i - 1) / 2
                    if worse(heap[i], heap[parent]) { heap.swapAt(i, parent); i = parent } else { break }
                }
            } else if worse(heap[0], candidate) {
                heap[0] = candidate
                siftDown(0)
            }
        }
        return heap.sorted { worse($1, $0) }.map(\.index)
    }
}
