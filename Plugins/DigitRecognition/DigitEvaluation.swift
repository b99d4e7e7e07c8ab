import Foundation
import SolutionKit

/// Metrics and report charts for a digit model on the evaluation images.
enum DigitEvaluation {
    static func evaluate(_ model: DigitModel, on data: DigitDataset) throws -> MetricReport {
        let rows = data.split.test
        guard !rows.isEmpty else { throw DataRequestError("\(data.source): no evaluation images") }
        guard data.height == model.inputHeight, data.width == model.inputWidth else {
            throw DataRequestError("\(data.source): images are \(data.height)×\(data.width) but the model takes "
                                   + "\(model.inputHeight)×\(model.inputWidth)")
        }
        guard data.classNames == model.classNames else {
            throw DataRequestError("\(data.source): classes \(data.classNames) differ from the model's \(model.classNames)")
        }
        let (images, actual) = data.subset(rows)
        let started = Date()
        let probabilities = model.probabilities(images, batchSize: 256)
        let inferenceSeconds = Date().timeIntervalSince(started)
        let predicted = probabilities.argmaxOfRows()
        let classes = model.classNames.count
        let matrix = try ConfusionMatrix(predicted: predicted, actual: actual, classCount: classes)

        let values: [MetricReport.Value] = [
            .init(name: "accuracy", value: matrix.accuracy),
            .init(name: "macro_f1", value: matrix.macroF1),
            .init(name: "macro_precision", value: matrix.macroPrecision),
            .init(name: "macro_recall", value: matrix.macroRecall),
        ]
        let perClass = (0..<classes).map { c in
            [model.classNames[c], String(matrix.support(of: c)), String(format: "%.4f", matrix.precision(of: c)),
             String(format: "%.4f", matrix.recall(of: c)), String(format: "%.4f", matrix.f1(of: c))]
        }
        var charts: [MetricReport.Chart] = [
            .init(name: "confusion-matrix", title: "Confusion matrix",
                  svg: HeatMapChart(confusionMatrix: matrix, classNames: model.classNames,
                                    title: "Confusion matrix (\(rows.count) evaluation images)").svg()),
        ]
        let wrong = mostConfidentlyWrong(probabilities: probabilities, predicted: predicted, actual: actual, limit: 24)
        charts.append(.init(name: "per-class", title: "Per-class precision and recall", data: .bars(GroupedBarChart(
            title: "Precision and recall per class", xLabel: "class", yLabel: "score", categories: model.classNames,
            groups: [.init(name: "precision", values: (0..<classes).map { matrix.precision(of: $0) }),
                     .init(name: "recall", values: (0..<classes).map { matrix.recall(of: $0) }),
                     .init(name: "f1", values: (0..<classes).map { matrix.f1(of: $0) })], yRange: 0...1))))
        if !wrong.isEmpty {
            charts.append(.init(name: "confident-errors", title: "Most confidently wrong evaluation images", svg: ImageGridChart(
                title: "Most confidently wrong (true→predicted, probability)", tiles: wrong.map { pick in
                    ImageGridChart.Tile(image: inkOnWhite(images, index: pick.index),
                                        caption: "\(model.classNames[actual[pick.index]])→\(model.classNames[predicted[pick.index]]) \(String(format: "%.2f", pick.confidence))")
                }).svg()))
        }
        if let history = model.history {
            charts.insert(contentsOf: history.reportCharts(xLabel: "epoch", yLabel: "loss"), at: 0)
        }
        let imagesPerSecond = Double(rows.count) / max(inferenceSeconds, 1e-9)
        var speed = "Inference: \(rows.count) images in \(String(format: "%.3f", inferenceSeconds)) s at batch 256 "
            + "(\(String(format: "%.0f", imagesPerSecond)) images/s)."
        if !model.epochSeconds.isEmpty {
            let sorted = model.epochSeconds.sorted()
            speed += " Training: median \(String(format: "%.2f", sorted[sorted.count / 2])) s per epoch over \(sorted.count) epochs "
                + "(\(model.epochSeconds.map { String(format: "%.2f", $0) }.joined(separator: ", ")))."
        }
        let sections = [
            MetricReport.Section(title: "Data", markdown: data.summary),
            MetricReport.Section(title: "Speed", markdown: speed),
            MetricReport.Section(title: "Per-class precision and recall",
                                 markdown: MarkdownReport.table(headers: ["class", "support", "precision", "recall", "f1"],
                                                                rows: perClass, alignRight: [1, 2, 3, 4])),
        ]
        let tables = [
            MetricReport.Table(name: "timing", content: .object([
                "epoch_seconds": .array(model.epochSeconds.map { .number($0) }),
                "training_images": .number(Double(data.split.train.count)),
                "inference_images": .number(Double(rows.count)),
                "inference_seconds": .number(inferenceSeconds),
                "inference_batch_size": .number(256),
            ])),
            MetricReport.Table(name: "confusion-matrix", content: try JSONValue(encoding: matrix)),
            MetricReport.Table(name: "per-class", content: .array((0..<classes).map { c in
                .object(["class": .string(model.classNames[c]), "support": .number(Double(matrix.support(of: c))),
                         "precision": .number(matrix.precision(of: c)), "recall": .number(matrix.recall(of: c)),
                         "f1": .number(matrix.f1(of: c))])
            })),
        ]
        return MetricReport(values: values, primary: "accuracy", sections: sections, charts: charts, tables: tables)
    }

    /// Misclassified images by the probability given to the wrong class, highest first.
    static func mostConfidentlyWrong(probabilities: Tensor, predicted: [Int], actual: [Int], limit: Int) -> [(index: Int, confidence: Double)] {
        let classes = probabilities.columns
        var wrong: [(index: Int, confidence: Double)] = []
        for i in predicted.indices where predicted[i] != actual[i] {
            wrong.append((i, Double(probabilities.scalars[i * classes + predicted[i]])))
        }
        return Array(wrong.sorted { $0.confidence > $1.confidence || ($0.confidence == $1.confidence && $0.index < $1.index) }.prefix(limit))
    }
}

/// One image of a `[count, 1, height, width]` batch of 0…1 intensities as ink dark on white, as a person reads digits.
func inkOnWhite(_ images: Tensor, index: Int) -> GrayImage {
    let h = images.shape[2], w = images.shape[3]
    let pixels = (0..<(h * w)).map { UInt8(max(0, min(255, 255 - (images.scalars[index * h * w + $0] * 255).rounded()))) }
    return GrayImage(width: w, height: h, pixels: pixels)
}
