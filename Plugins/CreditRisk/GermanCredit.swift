import Foundation
import SolutionKit

/// The Statlog German credit file (`german.data`): 20 space-separated attributes and a class (1 good, 2 bad),
/// no header. Attribute codes such as `A34` are decoded to the readable names of `german.doc`, so reports,
/// points tables and reason codes speak the analyst's language.
enum GermanCredit {
    /// One attribute: its readable column name and, for qualitative ones, the code → name table.
    struct Attribute {
        var name: String
        var codes: [String: String]?
    }

    static let attributes: [Attribute] = [
        .init(name: "checking_account", codes: ["A11": "< 0 DM", "A12": "0 to 200 DM", "A13": ">= 200 DM or salary assigned",
                                                "A14": "no checking account"]),
        .init(name: "duration_months", codes: nil),
        .init(name: "credit_history", codes: ["A30": "no credits or all paid back duly", "A31": "all credits at this bank paid back duly",
                                              "A32": "existing credits paid back duly", "A33": "delay in paying off in the past",
                                              "A34": "critical account or credits elsewhere"]),
        .init(name: "purpose", codes: ["A40": "car (new)", "A41": "car (used)", "A42": "furniture/equipment", "A43": "radio/television",
                                       "A44": "domestic appliances", "A45": "repairs", "A46": "education", "A47": "vacation",
                                       "A48": "retraining", "A49": "business", "A410": "others"]),
        .init(name: "credit_amount", codes: nil),
        .init(name: "savings", codes: ["A61": "< 100 DM", "A62": "100 to 500 DM", "A63": "500 to 1000 DM", "A64": ">= 1000 DM",
                                       "A65": "unknown or no savings account"]),
        .init(name: "employment_since", codes: ["A71": "unemployed", "A72": "< 1 year", "A73": "1 to 4 years", "A74": "4 to 7 years",
                                                "A75": ">= 7 years"]),
        .init(name: "installment_rate_pct", codes: nil),
        .init(name: "personal_status_sex", codes: ["A91": "male divorced/separated", "A92": "female divorced/separated/married",
                                                   "A93": "male single", "A94": "male married/widowed", "A95": "female single"]),
        .init(name: "other_debtors", codes: ["A101": "none", "A102": "co-applicant", "A103": "guarantor"]),
        .init(name: "residence_since", codes: nil),
        .init(name: "property", codes: ["A121": "real estate", "A122": "building society savings or life insurance",
                                        "A123": "car or other", "A124": "unknown or no property"]),
        .init(name: "age_years", codes: nil),
        .init(name: "other_installment_plans", codes: ["A141": "bank", "A142": "stores", "A143": "none"]),
        .init(name: "housing", codes: ["A151": "rent", "A152": "own", "A153": "for free"]),
        .init(name: "existing_credits", codes: nil),
        .init(name: "job", codes: ["A171": "unemployed or unskilled non-resident", "A172": "unskilled resident",
                                   "A173": "skilled employee or official", "A174": "management or self-employed or highly qualified"]),
        .init(name: "people_liable", codes: nil),
        .init(name: "telephone", codes: ["A191": "none", "A192": "yes, registered"]),
        .init(name: "foreign_worker", codes: ["A201": "yes", "A202": "no"]),
    ]

    /// The target column name of the decoded table.
    static let targetName = "class"

    /// Reads a german.data file into decoded feature columns and labels (true = bad, class 2).
    ///
    /// Every line must hold 21 fields; an unknown code, a non-numeric number or a class other than 1/2 is an error
    /// naming the line and the attribute.
    static func read(path: String) throws -> (features: Table, bad: [Bool]) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw DataRequestError("\(path): cannot be read (\(error.localizedDescription))")
        }
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw DataRequestError("\(path): not text")
        }
        var numeric = [[Double]](repeating: [], count: attributes.count)
        var categorical = [[String?]](repeating: [], count: attributes.count)
        var bad: [Bool] = []
        var lines: [Int] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count == attributes.count + 1 else {
                throw DataRequestError("\(path), line \(lineNumber): expected \(attributes.count + 1) fields, found \(fields.count)")
            }
            for (j, attribute) in attributes.enumerated() {
                if let codes = attribute.codes {
                    guard let name = codes[fields[j]] else {
                        throw DataRequestError("\(path), line \(lineNumber), attribute \(j + 1) (\(attribute.name)): "
                                               + "unknown code '\(fields[j])'; known: \(codes.keys.sorted().joined(separator: ", "))")
                    }
                    categorical[j].append(name)
                } else {
                    guard let value = Double(fields[j]), value.isFinite else {
                        throw DataRequestError("\(path), line \(lineNumber), attribute \(j + 1) (\(attribute.name)): "
                                               + "'\(fields[j])' is not a number")
                    }
                    numeric[j].append(value)
                }
            }
            lines.append(lineNumber)
            switch fields[attributes.count] {
            case "1": bad.append(false)
            case "2": bad.append(true)
            case let other:
                throw DataRequestError("\(path), line \(lineNumber): class '\(other)' is neither 1 (good) nor 2 (bad)")
            }
        }
        guard !bad.isEmpty else { throw DataRequestError("\(path): no data rows") }
        let columns: [Column] = attributes.enumerated().map { j, attribute in
            attribute.codes == nil
                ? .numeric(attribute.name, NumericColumn(values: numeric[j]))
                : .categorical(attribute.name, CategoricalColumn(categorical[j]))
        }
        return (try Table(columns: columns, origins: RowOrigins(file: path, lines: lines)), bad)
    }
}
