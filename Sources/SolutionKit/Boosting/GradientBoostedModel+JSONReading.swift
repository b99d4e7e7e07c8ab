/// Reads the JSON that `jsonData()` writes straight from the bytes, much faster than `JSONDecoder`.
///
/// It accepts what the synthesised `Decodable` conformances accept: keys in any order, unknown keys ignored,
/// optional fields absent or `null`, non-finite numbers as the strings "inf", "-inf", "nan", the objective as
/// a one-key object (`{"huber":{"delta":1}}`). Missing keys and wrong types are reported with their key path.
extension GradientBoostedModel {
    init(reading reader: inout JSONByteReader) throws {
        let objectStart = reader.valueStart()
        var formatVersion: Int?, objective: BoostingObjective?, parameters: GradientBoostingParameters?
        var featureCount: Int?, featureNames: [String]?, categoricalFeatures: [Int]?, initialScore: Double?
        var trees: [DecisionTree]?, bestIteration: Int?, history: [BoostingRecord]?
        try reader.readObject { reader, key in
            switch key {
            case "formatVersion": formatVersion = try reader.readInt()
            case "objective": objective = try BoostingObjective(reading: &reader)
            case "parameters": parameters = try GradientBoostingParameters(reading: &reader)
            case "featureCount": featureCount = try reader.readInt()
            case "featureNames": featureNames = try reader.readArray { try $0.readString() }
            case "categoricalFeatures": categoricalFeatures = try reader.readArray { try $0.readInt() }
            case "initialScore": initialScore = try reader.readDouble()
            case "trees": trees = try reader.readArray { try DecisionTree(reading: &$0) }
            case "bestIteration": bestIteration = try reader.readOptional { try $0.readInt() }
            case "history": history = try reader.readArray { try BoostingRecord(reading: &$0) }
            default: try reader.skipValue()
            }
        }
        let required = RequiredKeys(reader: reader, objectStart: objectStart)
        self.init(objective: try required(objective, "objective"), parameters: try required(parameters, "parameters"),
                  featureCount: try required(featureCount, "featureCount"),
                  featureNames: try required(featureNames, "featureNames"),
                  categoricalFeatures: try required(categoricalFeatures, "categoricalFeatures"),
                  initialScore: try required(initialScore, "initialScore"))
        self.formatVersion = try required(formatVersion, "formatVersion")
        self.trees = try required(trees, "trees")
        self.bestIteration = bestIteration
        self.history = try required(history, "history")
    }
}

extension DecisionTree {
    init(reading reader: inout JSONByteReader) throws {
        let objectStart = reader.valueStart()
        var splitFeature: [Int32]?, threshold: [Float]?, missingGoesLeft: [Bool]?, isCategorical: [Bool]?
        var leftCategories: [[Int32]]?, leftChild: [Int32]?, rightChild: [Int32]?, splitGain: [Double]?
        var internalCount: [Int]?, internalValue: [Double]?, leafValue: [Double]?, leafCount: [Int]?
        try reader.readObject { reader, key in
            switch key {
            case "splitFeature": splitFeature = try reader.readArray { try $0.readInt32() }
            case "threshold": threshold = try reader.readArray { try $0.readFloat() }
            case "missingGoesLeft": missingGoesLeft = try reader.readArray { try $0.readBool() }
            case "isCategorical": isCategorical = try reader.readArray { try $0.readBool() }
            case "leftCategories": leftCategories = try reader.readArray { try $0.readArray { try $0.readInt32() } }
            case "leftChild": leftChild = try reader.readArray { try $0.readInt32() }
            case "rightChild": rightChild = try reader.readArray { try $0.readInt32() }
            case "splitGain": splitGain = try reader.readArray { try $0.readDouble() }
            case "internalCount": internalCount = try reader.readArray { try $0.readInt() }
            case "internalValue": internalValue = try reader.readArray { try $0.readDouble() }
            case "leafValue": leafValue = try reader.readArray { try $0.readDouble() }
            case "leafCount": leafCount = try reader.readArray { try $0.readInt() }
            default: try reader.skipValue()
            }
        }
        let required = RequiredKeys(reader: reader, objectStart: objectStart)
        self.init()
        self.splitFeature = try required(splitFeature, "splitFeature")
        self.threshold = try required(threshold, "threshold")
        self.missingGoesLeft = try required(missingGoesLeft, "missingGoesLeft")
        self.isCategorical = try required(isCategorical, "isCategorical")
        self.leftCategories = try required(leftCategories, "leftCategories")
        self.leftChild = try required(leftChild, "leftChild")
        self.rightChild = try required(rightChild, "rightChild")
        self.splitGain = try required(splitGain, "splitGain")
        self.internalCount = try required(internalCount, "internalCount")
        self.internalValue = try required(internalValue, "internalValue")
        self.leafValue = try required(leafValue, "leafValue")
        self.leafCount = try required(leafCount, "leafCount")
    }
}

extension BoostingRecord {
    init(reading reader: inout JSONByteReader) throws {
        let objectStart = reader.valueStart()
        var iteration: Int?, training: Double?, validation: Double?
        try reader.readObject { reader, key in
            switch key {
            case "iteration": iteration = try reader.readInt()
            case "training": training = try reader.readOptional { try $0.readDouble() }
            case "validation": validation = try reader.readOptional { try $0.readDouble() }
            default: try reader.skipValue()
            }
        }
        let required = RequiredKeys(reader: reader, objectStart: objectStart)
        self.init(iteration: try required(iteration, "iteration"), training: training, validation: validation)
    }
}

/// Turns an absent required field into "missing key X" pointing at its object.
struct RequiredKeys {
    let reader: JSONByteReader
    let objectStart: Int

    init(reader: JSONByteReader, objectStart: Int) {
        self.reader = reader
        self.objectStart = objectStart
    }

    func callAsFunction<Value>(_ value: Value?, _ key: String) throws -> Value {
        guard let value else { throw reader.error("missing key \(key)", at: objectStart) }
        return value
    }
}

extension JSONByteReader {
    /// An optional value: `null` reads as nil, as with `decodeIfPresent`.
    mutating func readOptional<Value>(_ read: (inout JSONByteReader) throws -> Value) throws -> Value? {
        try readNullIfPresent() ? nil : read(&self)
    }
}
