/// Input checks shared by the linear models, so both report bad data with the same messages.
enum LinearInput {
    /// Checks `x` is a non-empty finite matrix and returns its (rows, features).
    static func checkFeatures(_ x: Tensor) throws -> (rows: Int, features: Int) {
        guard x.rank == 2 else { throw LinearModelError.notAMatrix(shape: x.shape) }
        let rows = x.shape[0], features = x.shape[1]
        guard rows > 0 else { throw LinearModelError.noRows }
        try x.scalars.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count where !buffer[i].isFinite {
                throw LinearModelError.nonFiniteFeature(row: i / max(features, 1), column: i % max(features, 1))
            }
        }
        return (rows, features)
    }

    static func checkValues(_ values: [Double], field: String, rows: Int, nonNegative: Bool = false) throws {
        guard values.count == rows else {
            throw LinearModelError.countMismatch(field: field, expected: rows, got: values.count)
        }
        for (row, v) in values.enumerated() {
            guard v.isFinite else { throw LinearModelError.nonFiniteValue(field: field, row: row) }
            if nonNegative && v < 0 { throw LinearModelError.negativeWeight(field: field, row: row) }
        }
    }

    static func checkPositive(_ value: Double, name: String, allowZero: Bool) throws {
        guard value.isFinite, allowZero ? value >= 0 : value > 0 else {
            throw LinearModelError.invalidHyperparameter(
                name: name, value: value, requirement: allowZero ? "must be finite and ≥ 0" : "must be finite and > 0")
        }
    }
}
