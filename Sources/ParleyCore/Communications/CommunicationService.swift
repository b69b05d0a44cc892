/// The communication record (contract §6): every contact is stored when well-formed, judged
/// first when outbound; a broken rule is recorded with the contact and opens an alert, never a
/// refusal. A connected contact moves an open case to `contacted`.
public struct CommunicationService: Sendable {
    private let store: any CommunicationStore
    private let cases: CaseService
    private let caseStore: any CaseStore
    private let compliance: ComplianceService
    private let transactor: any Transactor
    private let ids: IDGenerator
    private let clock: WallClock
    private let changes: CaseChangeFeed

    /// How far ahead of the server's clock an `occurred_at` may be (clients' clocks drift).
    static let futureTolerance: Int64 = 5 * 60

    public init(store: any CommunicationStore, cases: CaseService, caseStore: any CaseStore, compliance: ComplianceService,
                transactor: any Transactor, ids: IDGenerator, clock: WallClock, changes: CaseChangeFeed = .silent) {
        self.changes = changes
        self.store = store
        self.cases = cases
        self.caseStore = caseStore
        self.compliance = compliance
        self.transactor = transactor
        self.ids = ids
        self.clock = clock
    }

    /// Field errors of a contact as the client describes it.
    public static func validate(_ contact: NewCommunication, now: Instant) -> ValidationFailure {
        validateFields(channel: contact.channel, outcome: contact.outcome, occurredAt: contact.occurredAt,
                       durationSeconds: contact.durationSeconds, summary: contact.summary, content: contact.content,
                       to: contact.to, now: now)
    }

    /// The checks of each field that is there (nil: absent or already failed to decode), so a body
    /// with a bad `channel` still hears about its `duration_seconds`. Without `now`, `occurred_at`
    /// is not compared with it.
    public static func validateFields(channel: ContactChannel?, outcome: ContactOutcome?, occurredAt: Instant?,
                                      durationSeconds: Int64?, summary: String?, content: String?, to: String?,
                                      now: Instant?) -> ValidationFailure {
        var failure = ValidationFailure()
        if let channel, let outcome, !ContactOutcome.allowed(for: channel).contains(outcome) {
            failure.add("outcome", "for \(channel.rawValue) must be one of "
                        + ContactOutcome.allowed(for: channel).map(\.rawValue).joined(separator: ", "))
        }
        if let occurredAt, let now, occurredAt > now.adding(seconds: futureTolerance) { failure.add("occurred_at", "must not be in the future") }
        if let duration = durationSeconds, !(0...86_400).contains(duration) {
            failure.add("duration_seconds", "must be from 0 to 86400")
        }
        if let summary, summary.unicodeScalars.count > 4_000 { failure.add("summary", "must be at most 4000 characters") }
        if let content, content.unicodeScalars.count > 20_000 { failure.add("content", "must be at most 20000 characters") }
        if let to { failure.merge(validateTo(to)) }
        return failure
    }

    /// A `to` names a number or address: 1 to 320 characters (communications and compliance checks).
    public static func validateTo(_ to: String) -> ValidationFailure {
        to.trimmingSpaces.isEmpty || to.unicodeScalars.count > 320 ? ValidationFailure("to", "must be 1 to 320 characters") : ValidationFailure()
    }

    public func log(_ contact: NewCommunication, caseID: CaseID, by actor: Principal) throws -> Communication {
        try log(caseID: caseID, by: actor) { contact }
    }

    /// Logs the contact `decode` gives, called once the case is known to exist and be visible, so
    /// an unknown case is 404 before anything is said about the body.
    public func log(caseID: CaseID, by actor: Principal, _ decode: () throws -> NewCommunication) throws -> Communication {
        try actor.require(.logCaseActivity)
        let now = clock.now()
        let communication = try transactor.atomically {
            // One read on the writer, inside the transaction: the judgement and the status change
            // see the case as it is. Visibility is checked on this same read: agents see only their own cases.
            guard let (debtCase, debtor) = try caseStore.debtCaseAndDebtor(id: caseID),
                  CaseScope(actor).includes(assignedTo: debtCase.assignedTo, team: debtCase.team)
            else { throw DomainError.notFound("case \(caseID)") }
            var contact = try decode()
            contact.to = contact.to.map { ContactTarget.normalizedAddress($0, channel: contact.channel) }
            try Self.validate(contact, now: now).throwIfAny()
            var judged = ComplianceService.Contact(debtCase: debtCase, at: contact.occurredAt, channel: contact.channel)
            judged.debtor = debtor
            judged.direction = contact.direction
            judged.outcome = contact.outcome
            judged.to = contact.to
            judged.content = contact.content
            judged.summary = contact.summary
            let (verdict, target) = try compliance.judge(judged, actorRole: actor.role)
            let communication = Communication(
                id: ids.make("com"), caseID: caseID, debtorID: debtCase.debtorID, channel: contact.channel,
                direction: contact.direction, outcome: contact.outcome, occurredAt: contact.occurredAt,
                durationSeconds: contact.durationSeconds, summary: contact.summary, content: contact.content,
                to: contact.to ?? target.address, compliance: contact.direction == .outbound ? verdict : nil,
                recordedBy: actor.userID, recordedAt: now)
            let alerts = verdict.violations.map { violation in
                ComplianceAlert(id: ids.make("alr"), caseID: caseID, communicationID: communication.id,
                                rule: violation.rule.rawValue, message: violation.message, status: .open, createdAt: now)
            }
            try store.insert(communication, alerts: alerts, audit: Self.audit(communication, alerts),
                             events: Self.alertEvents(alerts), actor: actor, caseAsRead: debtCase)
            // "Logging a connected contact moves open to contacted" (contract §5): the debtor or a third party reached.
            if contact.outcome == .connectedRPC || contact.outcome == .connectedThirdParty, debtCase.status == .open {
                try moveToContacted(debtCase, because: communication, actor: actor, at: now)
            }
            return communication
        }
        // Only a refusal or a contact the debtor started moves the segment (Docs/segmentation.md).
        if communication.outcome == .refused || communication.direction == .inbound { changes.changed(caseID) }
        return communication
    }

    private func moveToContacted(_ debtCase: DebtCase, because communication: Communication, actor: Principal, at now: Instant) throws {
        var updated = debtCase
        updated.status = .contacted
        updated.version += 1
        updated.updatedAt = now
        try caseStore.apply(CaseMutation(
            debtCase: updated, expectedVersion: debtCase.version,
            audit: [AuditRecord(action: .caseTransitioned, entity: "case", entityID: debtCase.id, detail: .object([
                ("from", .string(debtCase.status.rawValue)), ("to", .string(CaseStatus.contacted.rawValue)),
                ("communication_id", .string(communication.id.rawValue)),
            ]))],
            events: [TimelineEvent(at: now, kind: .transition, actor: actor.userID,
                                   summary: "Status open → contacted: " + (communication.outcome == .connectedRPC ? "debtor reached" : "third party reached"),
                                   ref: communication.id)]),
            actor: actor)
    }

    static func audit(_ communication: Communication, _ alerts: [ComplianceAlert]) -> [AuditRecord] {
        var records = [AuditRecord(action: .communicationLogged, entity: "communication", entityID: communication.id, detail: .object([
            ("case_id", .string(communication.caseID.rawValue)), ("channel", .string(communication.channel.rawValue)),
            ("direction", .string(communication.direction.rawValue)), ("outcome", .string(communication.outcome.rawValue)),
            ("occurred_at", .string(communication.occurredAt.rfc3339)),
            ("compliance_ok", communication.compliance.map { .bool($0.ok) } ?? .null),
        ]))]
        for alert in alerts {
            records.append(AuditRecord(action: .complianceAlertOpened, entity: "compliance_alert", entityID: alert.id, detail: .object([
                ("case_id", .string(alert.caseID.rawValue)), ("communication_id", alert.communicationID.map { JSONValue.string($0.rawValue) } ?? .null),
                ("rule", .string(alert.rule)),
            ])))
        }
        return records
    }

    /// The timeline events of a contact's alerts. The contact itself is on the timeline through its
    /// own row (`CaseStore.timeline` reads the communications), so it needs no event of its own.
    static func alertEvents(_ alerts: [ComplianceAlert]) -> [TimelineEvent] {
        alerts.map { alert in
            TimelineEvent(at: alert.createdAt, kind: .complianceAlert, actor: "system",
                          summary: "Compliance alert opened: \(alert.rule)", ref: alert.id)
        }
    }

    public func list(caseID: CaseID, page: PageRequest, by actor: Principal) throws -> Page<Communication> {
        _ = try cases.visibleCase(caseID, by: actor)
        if let after = page.after, Communication.parsePosition(after) == nil {
            throw ValidationFailure("cursor", "is not a cursor this API issued")
        }
        return try store.communications(caseID: caseID, page: page)
    }

    public func get(_ id: CommunicationID, caseID: CaseID, by actor: Principal) throws -> Communication {
        _ = try cases.visibleCase(caseID, by: actor)
        guard let communication = try store.communication(id: id, caseID: caseID) else {
            throw DomainError.notFound("communication \(id)")
        }
        return communication
    }
}

extension ContactTarget {
    /// The number or address, whichever the target has.
    public var address: String? {
        switch self {
        case .phone(let number, _, _): number
        case .email(let address, _): address
        case .none: nil
        }
    }
}
