import ParleyCore
import Testing

@Suite struct CSVReaderTests {
    func records(_ text: String) -> [CSVReader.Record] {
        var reader = CSVReader(Array(text.utf8))
        var out: [CSVReader.Record] = []
        while let record = reader.next() { out.append(record) }
        return out
    }

    @Test func quotedFieldsWithCommasQuotesAndNewlinesKeepPhysicalLines() {
        let parsed = records("\u{FEFF}a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\"multi\nline\",z\r\nlast,row")
        guard parsed.count == 4 else { Issue.record("got \(parsed.count) records"); return }
        if case .fields(let line, let fields) = parsed[0] { #expect(line == 1); #expect(fields == ["a", "b"]) }
        if case .fields(let line, let fields) = parsed[1] { #expect(line == 2); #expect(fields == ["x, y", "say \"hi\""]) }
        if case .fields(let line, let fields) = parsed[2] { #expect(line == 3); #expect(fields == ["multi\nline", "z"]) }
        if case .fields(let line, let fields) = parsed[3] { #expect(line == 5); #expect(fields == ["last", "row"]) }
    }

    @Test func malformedRecordsAreReportedAndSkipped() {
        let parsed = records("h\nok,1\nbad\"quote,2\nafter,3\n\"unterminated,4")
        var lines: [Int] = []
        var malformed: [Int] = []
        for record in parsed {
            switch record {
            case .fields(let line, _): lines.append(line)
            case .malformed(let line, _): malformed.append(line)
            }
        }
        #expect(lines == [1, 2, 4])
        #expect(malformed == [3, 5])
    }

    @Test func emptyFieldsAndBlankLines() {
        let parsed = records("a,,c\n\n,,\n")
        guard parsed.count == 2 else { Issue.record("got \(parsed.count)"); return }
        if case .fields(_, let fields) = parsed[0] { #expect(fields == ["a", "", "c"]) }
        if case .fields(let line, let fields) = parsed[1] { #expect(line == 3); #expect(fields == ["", "", ""]) }
    }
}

@Suite struct CaseStatusTests {
    @Test func tableMatchesTheContract() {
        #expect(CaseStatus.open.allowedTargets.map(\.rawValue) == ["contacted", "promise", "plan", "disputed", "legal", "closed"])
        #expect(CaseStatus.disputed.allowedTargets == [.open, .closed])
        #expect(CaseStatus.legal.allowedTargets == [.open, .disputed, .closed])
        #expect(CaseStatus.paid.allowedTargets.isEmpty)
        #expect(CaseStatus.closed.allowedTargets.isEmpty)
        for status in CaseStatus.allCases { #expect(!status.canMove(to: status)) }
        for status in CaseStatus.allCases { #expect(!status.canMove(to: .paid)) }
    }

    @Test func segmentRulesFirstMatchWins() {
        let now = Instant(rfc3339: "2026-11-29T00:00:00Z")!
        var inputs = SegmentInputs()
        #expect(SegmentRules.segment(inputs, now: now) == .wait_and_see)
        inputs.daysPastDue = 200
        #expect(SegmentRules.segment(inputs, now: now) == .high_risk)
        inputs.lastPaymentAt = now.adding(days: -40)  // inside 90 days, outside the 30 of willingness
        #expect(SegmentRules.segment(inputs, now: now) == .wait_and_see)
        inputs.refusedOutcomeIn60Days = true
        #expect(SegmentRules.segment(inputs, now: now) == .resistant)
        inputs.bankruptcy = true
        #expect(SegmentRules.segment(inputs, now: now) == .high_risk)
    }

    @Test func balanceIsDerivedAndNeverNegative() {
        var ledger = LedgerTotals()
        ledger.paidFees = 5_000
        ledger.paidInterest = 10_000
        ledger.waivedPrincipal = 1_000
        let balance = Balance(principalMinor: 1_250_000, interestMinor: 30_000, feesMinor: 5_000, ledger: ledger)
        #expect(balance.paidMinor == 15_000)
        #expect(balance.waivedMinor == 1_000)
        #expect(balance.balanceMinor == 1_269_000)
        #expect(balance.feesOutstanding == 0)
        #expect(balance.interestOutstanding == 20_000)
    }
}
