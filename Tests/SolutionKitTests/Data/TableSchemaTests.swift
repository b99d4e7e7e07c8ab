import XCTest
@testable import SolutionKit

final class TableSchemaTests: XCTestCase {
    let schema = TableSchema(columns: [
        .init(name: "rooms", kind: .numeric),
        .init(name: "kind", kind: .categorical, categories: ["A", "B"]),
    ])

    func testHeaderInAnyOrderWithExtrasReportsThem() throws {
        let match = try schema.match(header: ["id", "kind", "note", "rooms"])
        XCTAssertEqual(match.fieldIndices, [3, 1])
        XCTAssertEqual(match.extraColumns, ["id", "note"])
        XCTAssertEqual(match.headerFieldCount, 4)
    }

    func testMissingColumnsAreNamed() {
        XCTAssertThrowsError(try schema.match(header: ["id"], source: "new.csv")) { error in
            XCTAssertEqual(error as? SchemaError, .missingColumns(source: "new.csv", names: ["rooms", "kind"], header: ["id"]))
            XCTAssertEqual("\(error)", "new.csv, line 1: missing columns 'rooms', 'kind' required by the model (the header has: id)")
        }
    }

    func testTableSchemaIsCodableAndDescribesColumns() throws {
        let table = try DataTestSupport.table("rooms,kind\n1,A\n2,B\n")
        XCTAssertEqual(table.schema, schema)
        let json = try JSONEncoder().encode(schema)
        XCTAssertEqual(try JSONDecoder().decode(TableSchema.self, from: json), schema)
    }
}
