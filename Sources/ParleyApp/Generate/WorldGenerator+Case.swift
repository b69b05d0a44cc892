import ParleyCore
import ParleyStore

extension WorldGenerator {
    /// The `index`-th case (placed in index order over the period) with everything that happened to it.
    mutating func addCase(_ index: Int, to batch: inout WorldRows.Batch) {
        let now = settings.now.millisecondsSinceEpoch
        let span = Int64(settings.days) * Self.day
        let createdAt = now - span + span * Int64(index) / Int64(max(settings.cases, 1)) + Int64.random(in: 0..<1_000, using: &random)
        let money = Self.currencies[random.pick(Self.currencies.map(\.weight))]
        let debtor = WorldRows.Debtor(
            id: id("dbt", at: createdAt), externalRef: "D" + String(index), name: "Debtor " + String(index), timezone: money.timezone,
            phone: "+1555" + String(1_000_000 + index), createdAt: createdAt)
        batch.debtors.append(debtor)
        let assignment = random.pick([0.85, 0.05, 0.10])
        let agent = agents[Int.random(in: 0..<agents.count, using: &random)]
        let principal = Int64.random(in: 20_000...5_000_000, using: &random)
        let delinquent = Instant(millisecondsSinceEpoch: createdAt - Int64.random(in: 30...720, using: &random) * Self.day).utcDate
        var debtCase = WorldRows.Case(
            id: id("case", at: createdAt), debtorID: debtor.id, creditor: Self.creditors[random.pick(Self.creditorWeights)],
            externalRef: "R" + String(index), currency: money.code, principal: principal,
            interest: principal * Int64.random(in: 0...20, using: &random) / 100, fees: Int64.random(in: 0...5_000, using: &random),
            delinquentSince: delinquent.description, jurisdiction: money.jurisdiction,
            assignedTo: assignment == 0 ? agent.id : nil, team: assignment == 2 ? nil : agent.team, status: .open,
            segment: .wait_and_see, createdBy: supervisor, createdAt: createdAt)
        let actor = debtCase.assignedTo ?? supervisor

        // Contacts over the first 150 days after placement (never in the future).
        let window = min(150 * Self.day, now - createdAt)
        let count = Int.random(in: 0...(2 * settings.communicationsPerCase), using: &random)
        var times = (0..<count).map { _ in createdAt + Int64.random(in: 0...max(window, 1), using: &random) }.filter { $0 <= now }
        times.sort()
        var connectedAt: [Int64] = []
        for at in times {
            let contact = makeContact(debtCase, debtor, at: at, actor: actor)
            if contact.outcome.isConnected && contact.direction == "outbound" { connectedAt.append(at) }
            batch.communications.append(contact)
        }
        let starts = (batch.payments.count, batch.promises.count, batch.plans.count, batch.complaints.count)
        addMoney(&debtCase, connectedAt: connectedAt, actor: actor, to: &batch)
        addVoice(debtCase, contacts: batch.communications.suffix(times.count), actor: actor, to: &batch)
        if debtCase.status == .open && !times.isEmpty { debtCase.status = .contacted }
        if let last = times.last { debtCase.updatedAt = max(debtCase.updatedAt, last) }
        // The segment the rules give on this history, as the daily segments job would set it.
        debtCase.segment = SegmentAssessor.ruleSegment(facts: Self.facts(
            debtCase, timezone: debtor.timezone, contacts: batch.communications.suffix(times.count),
            payments: batch.payments[starts.0...], promises: batch.promises[starts.1...], plans: batch.plans[starts.2...],
            complaints: batch.complaints[starts.3...], now: settings.now), now: settings.now)
        batch.cases.append(debtCase)
    }

    /// What the segment store would read about the case (`SQLiteSegmentStore.facts`).
    static func facts(_ c: WorldRows.Case, timezone: String, contacts: ArraySlice<WorldRows.Communication>,
                      payments: ArraySlice<WorldRows.Payment>, promises: ArraySlice<WorldRows.Promise>, plans: ArraySlice<WorldRows.Plan>,
                      complaints: ArraySlice<WorldRows.Complaint>, now: Instant) -> SegmentFacts {
        func instant(_ millis: Int64?) -> Instant? { millis.map(Instant.init(millisecondsSinceEpoch:)) }
        let since = CalendarDate(iso: c.delinquentSince) ?? now.utcDate
        return SegmentFacts(
            debtorTimeZone: timezone, openComplaint: complaints.contains { $0.status == "open" || $0.status == "investigating" },
            daysPastDue: SegmentRules.daysPastDue(since: since, now: now),
            lastPaymentAt: instant(payments.filter { !$0.reversed }.map(\.paidAt).max()),
            brokenCommitmentsAt: promises.filter { $0.status == .broken }.compactMap { instant($0.resolvedAt) }
                + plans.filter { $0.status == .broken }.map { Instant(millisecondsSinceEpoch: $0.updatedAt) },
            latestRefusalAt: instant(contacts.filter { $0.outcome == .refused }.map(\.occurredAt).max()),
            latestKeptPromiseAt: instant(promises.filter { $0.status == .kept }.compactMap(\.resolvedAt).max()),
            activePlanInGoodStanding: plans.contains { $0.status == .active && !$0.installments.contains { $0.status == .missed } },
            latestDebtorInboundAt: instant(contacts.filter { $0.direction == "inbound" && $0.outcome != .connectedThirdParty }
                .map(\.occurredAt).max()))
    }

    mutating func makeContact(_ c: WorldRows.Case, _ debtor: WorldRows.Debtor, at: Int64, actor: String) -> WorldRows.Communication {
        let channel: ContactChannel = [.phone, .sms, .email, .letter, .visit][random.pick([0.6, 0.25, 0.1, 0.03, 0.02])]
        let inbound = (channel == .phone || channel == .sms) && random.chance(0.08)
        let outcome: ContactOutcome
        switch channel {
        case .phone, .visit:
            outcome = inbound ? .connectedRPC
                : [.connectedRPC, .connectedThirdParty, .noAnswer, .voicemail, .busy, .wrongNumber, .refused][
                    random.pick([0.25, 0.05, 0.4, 0.15, 0.1, 0.03, 0.02])]
        default:
            outcome = inbound ? .received : [.sent, .delivered, .failed][random.pick([0.3, 0.65, 0.05])]
        }
        var violations: [ComplianceRuleName] = []
        if !inbound && random.chance(0.03) {
            violations.append([.contactHours, .callFrequency, .conversationCooldown, .smsFrequency][Int.random(in: 0..<4, using: &random)])
            if random.chance(0.15) { violations.append(.contactHours) }
        }
        let recordedAt = at + Int64.random(in: 0...600_000, using: &random)
        return WorldRows.Communication(
            id: id("com", at: recordedAt), caseID: c.id, debtorID: debtor.id, channel: channel, direction: inbound ? "inbound" : "outbound",
            outcome: outcome, occurredAt: at, durationSeconds: outcome.isConnected ? Int64.random(in: 30...900, using: &random) : nil,
            toAddress: channel == .phone || channel == .sms ? debtor.phone : nil, complianceOK: inbound ? nil : violations.isEmpty,
            violations: violations, recordedBy: actor, recordedAt: recordedAt)
    }
}
