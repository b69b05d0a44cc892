import Foundation
import Synchronization

/// The compliance engine as a service (contract §7): the policy (read by everyone, changed by
/// compliance and admin, every change audited), the judgement of a contact against the rules and
/// the history before it, the pre-contact check dialers call, and the alerts.
public final class ComplianceService: Sendable {
    private let policyStore: any CompliancePolicyStore
    private let alertStore: any ComplianceAlertStore
    private let communications: any CommunicationStore
    private let cases: any CaseStore
    private let debtors: any DebtorStore
    private let clock: WallClock
    /// The engine of the current policy with the policy's version; replaced as a whole on change.
    private let current: Mutex<(engine: ComplianceEngine, version: Int64)>
    /// Serialises policy changes (see `replacePolicy`).
    private let policyChanges = NSLock()
    /// Told the rules of every verdict (for `/metrics`).
    private let onVerdict: @Sendable (ComplianceVerdict) -> Void

    public init(policyStore: any CompliancePolicyStore, alertStore: any ComplianceAlertStore,
                communications: any CommunicationStore, cases: any CaseStore, debtors: any DebtorStore, clock: WallClock,
                onVerdict: @escaping @Sendable (ComplianceVerdict) -> Void = { _ in }) throws {
        self.policyStore = policyStore
        self.alertStore = alertStore
        self.communications = communications
        self.cases = cases
        self.debtors = debtors
        self.clock = clock
        self.onVerdict = onVerdict
        var policy = CompliancePolicy.defaults
        var version: Int64 = 0
        if let stored = try policyStore.policyDocument() {
            do {
                policy = try CompliancePolicy.decode(stored.document)
            } catch {
                throw CorruptDataError("the stored compliance policy is not valid: \(error)")
            }
            version = stored.version
        }
        current = Mutex((ComplianceEngine(policy: policy), version))
    }

    public var engine: ComplianceEngine { current.withLock { $0.engine } }

    // MARK: Policy

    public func policy(by actor: Principal) throws -> (policy: CompliancePolicy, version: Int64) {
        try actor.require(.readPolicy)
        return current.withLock { ($0.engine.policy, $0.version) }
    }

    /// Replaces the policy; absent keys take the defaults. A document that is not valid changes nothing.
    ///
    /// Changes are serialised by a lock of their own, never by `current`: the write may run other
    /// requests' writes (group commit) that read the policy, so no lock they take is held across it.
    public func replacePolicy(_ document: JSONValue, ifMatch versions: Set<Int64>?, by actor: Principal) throws -> (CompliancePolicy, Int64) {
        try actor.require(.writePolicy)
        let policy = try CompliancePolicy.decode(document)
        return try policyChanges.withLock {
            let version = current.withLock { $0.version }
            if let versions, !versions.contains(version) {
                throw DomainError.preconditionFailed("the policy is at version \(version)")
            }
            let next = version + 1
            try policyStore.savePolicy(policy.json, version: next, at: clock.now(), audit: AuditRecord(
                action: .compliancePolicyChanged, entity: "compliance_policy", entityID: "policy",
                detail: .object([("version", .number(String(next))), ("policy", policy.json)])), actor: actor)
            let engine = ComplianceEngine(policy: policy)
            current.withLock { $0 = (engine, next) }
            return (policy, next)
        }
    }

    // MARK: Judgement

    /// What a judgement is about: a contact (to be made, or being recorded) on a case.
    public struct Contact: Sendable {
        public var debtCase: DebtCase
        /// The case's debtor when the caller has read it already (else it is read).
        public var debtor: Debtor?
        public var at: Instant
        public var channel: ContactChannel
        public var direction: ContactDirection = .outbound
        public var outcome: ContactOutcome?
        public var to: String?
        public var content: String?
        public var summary: String?
        public var messageBody: String?
        /// Messages of the channel queued on the case and not sent yet (when each is due): asking
        /// for another counts them as the contacts they will be, so a fourth sms in a week is
        /// refused now rather than queued and suppressed later.
        public var queued: [Instant] = []

        public init(debtCase: DebtCase, at: Instant, channel: ContactChannel) {
            self.debtCase = debtCase
            self.at = at
            self.channel = channel
        }
    }

    /// Judges a contact against every rule as of its instant and the history before it. Inbound
    /// contacts are not judged. Call inside a transaction when the contact is then recorded, so
    /// the history cannot change between judging and recording.
    public func judge(_ contact: Contact, actorRole: Role) throws -> (verdict: ComplianceVerdict, target: ContactTarget) {
        guard let debtor = try contact.debtor ?? debtors.debtor(id: contact.debtCase.debtorID) else {
            throw CorruptDataError("case \(contact.debtCase.id) names a missing debtor")
        }
        let target = Self.target(for: contact.channel, to: contact.to, debtor: debtor)
        guard contact.direction == .outbound else { return (.allowed, target) }
        let engine = self.engine
        let request = engine.historyRequest(at: contact.at, debtorTimeZone: debtor.timezone,
                                            jurisdiction: contact.debtCase.jurisdiction, channel: contact.channel,
                                            outcome: contact.outcome)
        var history = try communications.history(request, caseID: contact.debtCase.id, debtorID: debtor.id,
                                                  to: target.phoneNumber)
        if let window = request.caseSMS, contact.channel == .sms, !contact.queued.isEmpty {
            history.caseSMS = (history.caseSMS + contact.queued.filter { window.since <= $0 && $0 <= window.until }).sorted(by: >)
        }
        let openDispute = Self.disputeWasOpen(at: contact.at, among: try cases.disputes(caseID: contact.debtCase.id))
        let verdict = engine.evaluate(ComplianceContext(
            at: contact.at, channel: contact.channel, direction: contact.direction, outcome: contact.outcome,
            actorRole: actorRole, restrictions: debtor.restrictions, debtorTimeZone: debtor.timezone,
            jurisdiction: contact.debtCase.jurisdiction, target: target, openDispute: openDispute,
            content: contact.content, summary: contact.summary, messageBody: contact.messageBody, history: history))
        onVerdict(verdict)
        return (verdict, target)
    }

    /// Whether the case had an open dispute at `instant`, by the disputes' own opening and
    /// resolution instants (one indexed read of the case's disputes): a contact logged after the
    /// fact is judged as things stood when it was made, so a call before a dispute was opened is
    /// no violation, nor one made while it was open a legal one. Neither the case's status (a
    /// payment can make a disputed case `paid` while its dispute stays open) nor its `updated_at`
    /// (a monitor run for a past `as_of` sets it back) can stand in for them.
    static func disputeWasOpen(at instant: Instant, among disputes: [Dispute]) -> Bool {
        disputes.contains { dispute in
            dispute.openedAt <= instant && (dispute.resolvedAt.map { instant < $0 } ?? true)
        }
    }

    /// The phone or address a contact uses: the one named by `to` (with its consent as recorded on
    /// the debtor; a number or address not on record has none), else the debtor's first (contract
    /// §15: the per-number rules and consent are judged on that one, consented or not).
    static func target(for channel: ContactChannel, to: String?, debtor: Debtor) -> ContactTarget {
        switch channel {
        case .phone, .sms:
            guard let to else { return debtor.phones.first.map(ContactTarget.init) ?? .none }
            return debtor.phones.first { $0.number == to }.map(ContactTarget.init)
                ?? .phone(number: to, consentCalls: false, consentSMS: false)
        case .email:
            guard let to else { return debtor.emails.first.map(ContactTarget.init) ?? .none }
            return debtor.emails.first { $0.address.lowercased() == to.lowercased() }.map(ContactTarget.init)
                ?? .email(address: to, optedOut: true)
        case .letter, .visit, .portal:
            return .none
        }
    }

    /// `POST /v1/compliance/check`: may this contact be made at `at` (default now)?
    public func check(caseID: CaseID, channel: ContactChannel, at: Instant?, to: String?, by actor: Principal) throws -> ComplianceVerdict {
        try actor.require(.complianceCheck)
        var failure = to.map(CommunicationService.validateTo) ?? ValidationFailure()
        guard let (debtCase, debtor) = try visibleCaseAndDebtor(caseID, by: actor) else {
            failure.add("case_id", "names no case")
            throw failure
        }
        try failure.throwIfAny()
        var contact = Contact(debtCase: debtCase, at: at ?? clock.now(), channel: channel)
        contact.debtor = debtor
        contact.to = to.map { ContactTarget.normalizedAddress($0, channel: channel) }
        return try judge(contact, actorRole: actor.role).verdict
    }

    /// The checks of a compliance check's fields: the case must exist and be visible to the caller
    /// (an id that names nothing is 422, contract §15), a `to` is 1 to 320 characters.
    public func validateCheck(caseID: CaseID?, to: String?, by actor: Principal) throws -> ValidationFailure {
        var failure = to.map(CommunicationService.validateTo) ?? ValidationFailure()
        if let caseID, try visibleCaseAndDebtor(caseID, by: actor) == nil { failure.add("case_id", "names no case") }
        return failure
    }

    /// The case and its debtor, nil when there is no such case or the caller may not see it.
    private func visibleCaseAndDebtor(_ caseID: CaseID, by actor: Principal) throws -> (DebtCase, Debtor)? {
        guard let (debtCase, debtor) = try cases.debtCaseAndDebtor(id: caseID),
              CaseScope(actor).includes(assignedTo: debtCase.assignedTo, team: debtCase.team) else { return nil }
        return (debtCase, debtor)
    }

    // MARK: Alerts

    public func alerts(_ filter: AlertFilter, page: PageRequest, by actor: Principal) throws -> Page<ComplianceAlert> {
        try actor.require(.readAlerts)
        // A case named in the filter must be one the actor sees, as on every list filtered by case.
        if let caseID = filter.caseID {
            guard let debtCase = try cases.debtCase(id: caseID),
                  CaseScope(actor).includes(assignedTo: debtCase.assignedTo, team: debtCase.team)
            else { throw DomainError.notFound("case \(caseID)") }
        }
        return try alertStore.alerts(filter, scope: CaseScope(actor), page: page)
    }

    public func resolveAlert(_ id: AlertID, note: String?, by actor: Principal) throws -> ComplianceAlert {
        try actor.require(.writePolicy)
        guard var alert = try alertStore.alert(id: id) else { throw DomainError.notFound("alert \(id)") }
        guard alert.status == .open else { throw DomainError.conflict("the alert is already resolved") }
        if let note, note.unicodeScalars.count > 2_000 { throw ValidationFailure("note", "must be at most 2000 characters") }
        let now = clock.now()
        alert.status = .resolved
        alert.resolvedAt = now
        alert.resolvedBy = actor.userID
        alert.resolution = note?.trimmingSpaces
        let resolved = try alertStore.resolve(
            alert,
            audit: AuditRecord(action: .complianceAlertResolved, entity: "compliance_alert", entityID: id, detail: .object([
                ("case_id", .string(alert.caseID.rawValue)), ("rule", .string(alert.rule)),
                ("note", alert.resolution.map(JSONValue.string) ?? .null),
            ])),
            event: TimelineEvent(at: now, kind: .complianceAlert, actor: actor.userID,
                                 summary: "Compliance alert resolved: \(alert.rule)", ref: id),
            actor: actor)
        guard resolved else { throw DomainError.conflict("the alert is already resolved") }
        return alert
    }
}
