import ParleyCore
import ParleyJSON
import Testing

@Suite struct IdentifierTests {
    // Overloads the compiler can only choose between because the two id types are distinct.
    private func kind(_ id: CaseID) -> String { "case" }
    private func kind(_ id: DebtorID) -> String { "debtor" }

    @Test func caseAndDebtorIDsAreDistinctTypes() {
        let caseID = CaseID("x_1")
        let debtorID = DebtorID("x_1")
        #expect(kind(caseID) == "case")
        #expect(kind(debtorID) == "debtor")
        #expect(ObjectIdentifier(CaseID.self) != ObjectIdentifier(DebtorID.self))
        #expect((caseID as Any) is CaseID)
        #expect(!((caseID as Any) is DebtorID))
    }

    @Test func equalityHashingAndOrderFollowTheText() {
        let a = CaseID("case_01A"), again = CaseID("case_01A"), b = CaseID("case_01B")
        #expect(a == again)
        #expect(a != b)
        #expect(Set([a, again, b]).count == 2)
        #expect(a.hashValue == again.hashValue)
        #expect(a < b)
        #expect([b, a].sorted() == [a, b])
    }

    @Test func theTextRoundTrips() {
        let id = DebtorID("dbt_01JD")
        #expect(id.rawValue == "dbt_01JD")
        #expect(id.description == "dbt_01JD")
        #expect("\(id)" == "dbt_01JD")
        #expect(DebtorID(id.rawValue) == id)
        let literal: DebtorID = "dbt_01JD"
        #expect(literal == id)
    }

    @Test func jsonCarriesThePlainText() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("case_id", CaseID("case_1"))
        writer.field("debtor_id", DebtorID?.none)
        writer.endObject()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"case_id":"case_1","debtor_id":null}"#)
    }

    @Test func theGeneratorMakesTypedPrefixedIDs() {
        let ids = IDGenerator()
        let first: CaseID = ids.make("case")
        let second: CaseID = ids.make("case")
        #expect(first.rawValue.hasPrefix("case_"))
        #expect(first.rawValue.count == "case_".count + 26)
        #expect(first < second)
    }
}
