/// Cases and their lifecycle (contract §5): creation, reads scoped by role, changes,
/// the status machine, disputes, the timeline and the debtor-facing statement.
public struct CaseService: Sendable {
    private let store: any CaseStore
    private let ids: IDGenerator
    private let clock: WallClock
    private let changes: CaseChangeFeed

    public init(store: any CaseStore, ids: IDGenerator, clock: WallClock, changes: CaseChangeFeed = .silent) {
        self.changes = changes
        self.store = store
        self.ids = ids
        self.clock = clock
    }

    /// Every field error of a new case, values and references alike, so a client fixes them all at once.
    public func validate(_ command: NewCase) throws -> ValidationFailure {
        var failure = ValidationFailure()
        CaseValidation.check(
            creditor: command.creditor, externalRef: command.externalRef, currency: command.currency,
            principal: command.principalMinor, interest: command.interestMinor, fees: command.feesMinor,
            delinquentSince: command.delinquentSince, jurisdiction: command.jurisdiction, today: clock.now().utcDate, into: &failure)
        if try store.restrictions(ofDebtor: command.debtorID) == nil { failure.add("debtor_id", "names no debtor") }
        if let assignee = command.assignedTo, try !store.isAssignable(assignee) { failure.add("assigned_to", Self.notAssignable) }
        if let team = command.team, team.trimmingSpaces.isEmpty { failure.add("team", "must not be empty; omit it for no team") }
        validateTags(command.tags, into: &failure)
        return failure
    }

    static let notAssignable = "must name an active agent, supervisor or admin"

    /// The field checks of a case PATCH (an assignee must be someone who works cases).
    public func validate(_ changes: CaseChanges) throws -> ValidationFailure {
        var failure = ValidationFailure()
        if case .some(.some(let assignee)) = changes.assignedTo, try !store.isAssignable(assignee) {
            failure.add("assigned_to", Self.notAssignable)
        }
        if case .some(.some(let team)) = changes.team, team.trimmingSpaces.isEmpty {
            failure.add("team", "must not be empty; use null for no team")
        }
        if let tags = changes.tags { validateTags(tags, into: &failure) }
        return failure
    }

    public func create(_ command: NewCase, by actor: Principal) throws -> DebtCase {
        try actor.require(.writeDebtorsAndCases)
        let now = clock.now()
        try validate(command).throwIfAny()
        let restrictions = try store.restrictions(ofDebtor: command.debtorID)
        guard let delinquentSince = CalendarDate(iso: command.delinquentSince) else {
            throw ValidationFailure("delinquent_since", "must be a YYYY-MM-DD date")
        }
        var inputs = SegmentInputs()
        inputs.bankruptcy = restrictions?.bankruptcy ?? false
        inputs.daysPastDue = SegmentRules.daysPastDue(since: delinquentSince, now: now)
        let debtCase = DebtCase(
            id: ids.make("case"), debtorID: command.debtorID, creditor: command.creditor.trimmingSpaces,
            externalRef: command.externalRef.trimmingSpaces, currency: command.currency,
            balance: Balance(principalMinor: command.principalMinor, interestMinor: command.interestMinor,
                             feesMinor: command.feesMinor, ledger: LedgerTotals()),
            delinquentSince: delinquentSince, jurisdiction: command.jurisdiction, assignedTo: command.assignedTo,
            team: command.team?.trimmingSpaces, priority: command.priority, tags: command.tags.map(\.trimmingSpaces),
            status: .open, statusBefore: nil,
            closeReason: nil, segment: SegmentRules.segment(inputs, now: now), segmentOverride: nil, version: 1,
            createdAt: now, updatedAt: now)
        try store.insert(debtCase, audit: AuditRecord(action: .caseCreated, entity: "case", entityID: debtCase.id, detail: .object([
            ("debtor_id", .string(debtCase.debtorID.rawValue)), ("creditor", .string(debtCase.creditor)),
            ("external_ref", .string(debtCase.externalRef)), ("currency", .string(debtCase.currency)),
            ("placed_minor", .number(String(debtCase.balance.placedMinor))),
        ])), actor: actor)
        return debtCase
    }

    private func validateTags(_ tags: [String], into failure: inout ValidationFailure) {
        if tags.count > 20 { failure.add("tags", "at most 20 tags") }
        for (index, tag) in tags.enumerated() where tag.trimmingSpaces.isEmpty || tag.unicodeScalars.count > 50 {
            failure.add("tags[\(index)]", "must be 1 to 50 characters")
        }
    }

    /// Stores a change of a case; a lost race is 409 unless the request was conditional (`versionedWrite`).
    /// Returns the case as it stands once the change's listeners ran: they may move derived state
    /// (the segment) on with a version of its own, and the answer must carry the version a
    /// following `If-Match` has to name.
    @discardableResult
    private func apply(_ mutation: CaseMutation, conditional: Bool = false, by actor: Principal) throws -> DebtCase {
        try versionedWrite(conditional: conditional) { try store.apply(mutation, actor: actor) }
        changes.changed(mutation.debtCase.id)
        // The change is written (committed, or in the transaction of an idempotent request, which
        // this read joins): a failed read afterwards must not turn it into an error.
        return (try? store.debtCase(id: mutation.debtCase.id)) ?? mutation.debtCase
    }

    /// The case, if the actor may see it; others get `notFound`, not `forbidden`, so the
    /// existence of other agents' cases is not revealed.
    public func visibleCase(_ id: CaseID, by actor: Principal) throws -> DebtCase {
        try actor.require(.readCases)
        guard let debtCase = try store.debtCase(id: id),
              CaseScope(actor).includes(assignedTo: debtCase.assignedTo, team: debtCase.team)
        else { throw DomainError.notFound("case \(id)") }
        return debtCase
    }

    /// A case for the system's own jobs, which see every case.
    public func caseForJob(_ id: CaseID) throws -> DebtCase? { try store.debtCase(id: id) }

    public func get(_ id: CaseID, by actor: Principal) throws -> (DebtCase, DebtorSummary) {
        try actor.require(.readCases)
        guard let (debtCase, debtor) = try store.debtCaseWithDebtor(id: id),
              CaseScope(actor).includes(assignedTo: debtCase.assignedTo, team: debtCase.team)
        else { throw DomainError.notFound("case \(id)") }
        return (debtCase, debtor)
    }

    public func list(_ filter: CaseFilter, page: PageRequest, by actor: Principal) throws -> Page<DebtCase> {
        try actor.require(.readCases)
        return try store.cases(filter, scope: CaseScope(actor), page: page)
    }

    public func update(_ id: CaseID, changes: CaseChanges, ifMatch versions: Set<Int64>?, by actor: Principal) throws -> DebtCase {
        if changes.assignedTo != nil || changes.segmentOverride != nil { try actor.require(.approveAndAssign) }
        try actor.require(.writeDebtorsAndCases)
        var debtCase = try visibleCase(id, by: actor)
        if let versions, !versions.contains(debtCase.version) {
            throw DomainError.preconditionFailed("case \(id) is at version \(debtCase.version)")
        }
        // An assignee sent again unchanged is no assignment: a case kept by a user since
        // deactivated can still be patched otherwise.
        var checked = changes
        if checked.assignedTo == .some(debtCase.assignedTo) { checked.assignedTo = nil }
        try validate(checked).throwIfAny()
        let before = debtCase
        let expected = debtCase.version
        var detail: [(String, JSONValue)] = []
        var events: [TimelineEvent] = []
        let now = clock.now()
        if let assignee = changes.assignedTo {
            debtCase.assignedTo = assignee
            detail.append(("assigned_to", assignee.map(JSONValue.string) ?? .null))
            events.append(TimelineEvent(at: now, kind: .assigned, actor: actor.userID,
                                        summary: assignee.map { "Assigned to \($0)" } ?? "Unassigned", ref: assignee))
        }
        if let change = changes.team {
            let team = change?.trimmingSpaces
            debtCase.team = team
            detail.append(("team", team.map(JSONValue.string) ?? .null))
        }
        if let priority = changes.priority { debtCase.priority = priority; detail.append(("priority", .string(priority.rawValue))) }
        if let tags = changes.tags?.map(\.trimmingSpaces) {
            debtCase.tags = tags
            detail.append(("tags", .array(tags.map(JSONValue.string))))
        }
        if let override = changes.segmentOverride {
            debtCase.segmentOverride = override
            detail.append(("segment_override", override.map { .string($0.rawValue) } ?? .null))
            events.append(TimelineEvent(at: now, kind: .segmentOverride, actor: actor.userID,
                                        summary: override.map { "Segment set to \($0.rawValue)" } ?? "Segment override removed", ref: nil))
        }
        // A PATCH that changes nothing is not a mutation: no new version, no audit entry.
        let unchanged = debtCase.assignedTo == before.assignedTo && debtCase.team == before.team
            && debtCase.priority == before.priority && debtCase.tags == before.tags
            && debtCase.segmentOverride == before.segmentOverride
        guard !unchanged else { return before }
        debtCase.version += 1
        debtCase.updatedAt = now
        return try apply(CaseMutation(
            debtCase: debtCase, expectedVersion: expected,
            audit: [AuditRecord(action: .caseUpdated, entity: "case", entityID: id, detail: .object(detail))],
            events: events), conditional: versions != nil, by: actor)
    }

    /// Moves a case along the status machine; anything the table does not allow is a conflict
    /// that lists the allowed targets.
    public func transition(_ id: CaseID, to target: CaseStatus, reason: String?, by actor: Principal) throws -> DebtCase {
        try transition(id, by: actor) { (target, reason) }
    }

    /// The same with the target and reason `decode` gives, called once the caller is known to move
    /// cases at all (403 otherwise) and to see this one (404 otherwise): those answers come first,
    /// whatever the body says.
    public func transition(_ id: CaseID, by actor: Principal, _ decode: () throws -> (CaseStatus, String?)) throws -> DebtCase {
        try actor.require(.readCases)
        guard Permission.transitionWorkflow.allows(actor.role) || Permission.transitionControl.allows(actor.role) else {
            throw DomainError.forbidden("the \(actor.role.rawValue) role may not move cases")
        }
        var debtCase = try visibleCase(id, by: actor)
        let (target, givenReason) = try decode()
        // A free-text reason is bounded as every other one is, and stored trimmed (a blank one is
        // none); a close reason is one of its names exactly, a dispute's is checked as disputes are.
        if let givenReason, givenReason.unicodeScalars.count > 2_000 { throw ValidationFailure("reason", "must be at most 2000 characters") }
        let reason = givenReason.map(\.trimmingSpaces).flatMap { $0.isEmpty ? nil : $0 }
        try actor.require(target.transitionPermission)
        guard debtCase.status.canMove(to: target) else {
            throw DomainError.conflict(
                "a case in status \(debtCase.status.rawValue) cannot move to \(target.rawValue)",
                allowed: debtCase.status.allowedTargets.map(\.rawValue))
        }
        var closeReason: CloseReason?
        if target == .closed {
            guard let givenReason, let parsed = CloseReason(rawValue: givenReason) else {
                throw ValidationFailure("reason", "closing needs a reason: " + CloseReason.allCases.map(\.rawValue).joined(separator: ", "))
            }
            closeReason = parsed
        }
        if target == .disputed {
            return try openDispute(id, reason: givenReason ?? "disputed", by: actor)
        }
        let now = clock.now()
        let expected = debtCase.version
        let from = debtCase.status
        // Leaving `disputed` by a transition settles its open dispute the way resolving would:
        // reopening rejects it, closing upholds it. The dispute record and the status never disagree.
        var settledDispute: Dispute?
        if from == .disputed, var open = try store.disputes(caseID: id).first(where: { $0.status == .open }) {
            open.status = target == .open ? .rejected : .upheld
            open.note = reason.map { "settled by transition: \($0)" } ?? "settled by transition"
            open.resolvedBy = actor.userID
            open.resolvedAt = now
            settledDispute = open
        }
        debtCase.status = target
        debtCase.closeReason = closeReason
        if target == .closed { debtCase.statusBefore = from }
        debtCase.version += 1
        debtCase.updatedAt = now
        var audit = [Self.transitionAudit(id, from: from, to: target, reason: reason, closeReason: closeReason)]
        var events = [Self.transitionEvent(at: now, by: actor, from: from, to: target, reason: reason)]
        if let settledDispute {
            audit.insert(Self.resolutionAudit(settledDispute), at: 0)
            events.insert(Self.resolutionEvent(settledDispute, caseStatus: target), at: 0)
        }
        return try apply(CaseMutation(
            debtCase: debtCase, expectedVersion: expected, updateDispute: settledDispute, audit: audit, events: events),
            by: actor)
    }

    /// A status move's audit entry and timeline item, whatever made it (a transition, a dispute
    /// opened or resolved): the timeline and the case's audit trail show every move.
    static func transitionAudit(_ id: CaseID, from: CaseStatus, to target: CaseStatus, reason: String?,
                                closeReason: CloseReason? = nil) -> AuditRecord {
        var detail: [(String, JSONValue)] = [("from", .string(from.rawValue)), ("to", .string(target.rawValue))]
        if let reason { detail.append(("reason", .string(reason))) }
        if let closeReason { detail.append(("close_reason", .string(closeReason.rawValue))) }
        return AuditRecord(action: .caseTransitioned, entity: "case", entityID: id, detail: .object(detail))
    }

    static func transitionEvent(at now: Instant, by actor: Principal, from: CaseStatus, to target: CaseStatus,
                                reason: String?) -> TimelineEvent {
        TimelineEvent(at: now, kind: .transition, actor: actor.userID,
                      summary: "Status \(from.rawValue) → \(target.rawValue)" + (reason.map { ": \($0)" } ?? ""), ref: nil)
    }

    /// A dispute's resolution, on its own audit trail (`entity_id` the dispute) and the timeline.
    static func resolutionAudit(_ dispute: Dispute) -> AuditRecord {
        AuditRecord(action: .disputeResolved, entity: "dispute", entityID: dispute.id, detail: .object([
            ("case_id", .string(dispute.caseID.rawValue)), ("outcome", .string(dispute.status.rawValue)),
            ("note", dispute.note.map(JSONValue.string) ?? .null),
        ]))
    }

    static func resolutionEvent(_ dispute: Dispute, caseStatus: CaseStatus) -> TimelineEvent {
        TimelineEvent(at: dispute.resolvedAt ?? dispute.openedAt, kind: .disputeResolved, actor: dispute.resolvedBy ?? dispute.openedBy,
                      summary: "Dispute \(dispute.status.rawValue); case \(caseStatus.rawValue)", ref: dispute.id)
    }

    public func openDispute(_ id: CaseID, reason: String, by actor: Principal) throws -> DebtCase {
        try openDisputeReturningDispute(id, reason: reason, by: actor).0
    }

    /// Opens a dispute: the case becomes `disputed` and outbound collection contact stops.
    public func openDisputeReturningDispute(_ id: CaseID, reason: String, by actor: Principal) throws -> (DebtCase, Dispute) {
        try openDisputeReturningDispute(id, by: actor) { reason }
    }

    /// The same with the reason `decode` gives, called once the case is known to be visible, so an
    /// unknown case is 404 before anything is said about the body.
    public func openDisputeReturningDispute(_ id: CaseID, by actor: Principal, _ decode: () throws -> String) throws -> (DebtCase, Dispute) {
        try actor.require(.openDisputesAndComplaints)
        var debtCase = try visibleCase(id, by: actor)
        let reason = try decode()
        let trimmed = reason.trimmingSpaces
        guard !trimmed.isEmpty, reason.unicodeScalars.count <= 2_000 else { throw ValidationFailure("reason", "must be 1 to 2000 characters") }
        guard debtCase.status.canMove(to: .disputed) else {
            throw DomainError.conflict(
                debtCase.status == .disputed ? "the case already has an open dispute"
                    : "a case in status \(debtCase.status.rawValue) cannot be disputed")
        }
        let now = clock.now()
        let dispute = Dispute(id: ids.make("dsp"), caseID: id, reason: trimmed, status: .open, note: nil,
                              openedBy: actor.userID, openedAt: now, resolvedBy: nil, resolvedAt: nil)
        let expected = debtCase.version
        let from = debtCase.status
        debtCase.statusBefore = from
        debtCase.status = .disputed
        debtCase.version += 1
        debtCase.updatedAt = now
        let applied = try apply(CaseMutation(
            debtCase: debtCase, expectedVersion: expected, insertDispute: dispute,
            audit: [AuditRecord(action: .disputeOpened, entity: "dispute", entityID: dispute.id,
                                detail: .object([("case_id", .string(id.rawValue)), ("from", .string(from.rawValue))])),
                    Self.transitionAudit(id, from: from, to: .disputed, reason: trimmed)],
            events: [TimelineEvent(at: now, kind: .disputeOpened, actor: actor.userID, summary: "Dispute opened: \(trimmed)", ref: dispute.id),
                     Self.transitionEvent(at: now, by: actor, from: from, to: .disputed, reason: trimmed)]),
            by: actor)
        return (applied, dispute)
    }

    /// Resolves the open dispute: upheld closes the case, rejected reopens it.
    public func resolveDispute(_ caseID: CaseID, disputeID: DisputeID, outcome: Dispute.Status, note: String?, by actor: Principal) throws -> Dispute {
        try actor.require(.resolveDisputesAndComplaints)
        var debtCase = try visibleCase(caseID, by: actor)
        guard outcome != .open else { throw ValidationFailure("outcome", "must be upheld or rejected") }
        guard var dispute = try store.disputes(caseID: caseID).first(where: { $0.id == disputeID }) else {
            throw DomainError.notFound("dispute \(disputeID)")
        }
        guard dispute.status == .open else { throw DomainError.conflict("the dispute is already \(dispute.status.rawValue)") }
        let now = clock.now()
        dispute.status = outcome
        dispute.note = note?.trimmingSpaces
        dispute.resolvedBy = actor.userID
        dispute.resolvedAt = now
        let expected = debtCase.version
        let from = debtCase.status
        if outcome == .upheld {
            debtCase.statusBefore = debtCase.status
            debtCase.status = .closed
            debtCase.closeReason = .other
        } else {
            debtCase.status = .open
            debtCase.closeReason = nil
        }
        debtCase.version += 1
        debtCase.updatedAt = now
        let why = "dispute \(outcome.rawValue)"
        try apply(CaseMutation(
            debtCase: debtCase, expectedVersion: expected, updateDispute: dispute,
            audit: [Self.resolutionAudit(dispute),
                    Self.transitionAudit(caseID, from: from, to: debtCase.status, reason: why, closeReason: debtCase.closeReason)],
            events: [Self.resolutionEvent(dispute, caseStatus: debtCase.status),
                     Self.transitionEvent(at: now, by: actor, from: from, to: debtCase.status, reason: why)]),
            by: actor)
        return dispute
    }

    public func dispute(_ caseID: CaseID, disputeID: DisputeID, by actor: Principal) throws -> Dispute {
        _ = try visibleCase(caseID, by: actor)
        guard let dispute = try store.disputes(caseID: caseID).first(where: { $0.id == disputeID }) else {
            throw DomainError.notFound("dispute \(disputeID)")
        }
        return dispute
    }

    public func disputes(_ caseID: CaseID, page: PageRequest, by actor: Principal) throws -> Page<Dispute> {
        _ = try visibleCase(caseID, by: actor)
        // A case has a handful of disputes: page them in memory, in id order.
        let after = page.after ?? ""
        let remaining = try store.disputes(caseID: caseID).filter { $0.id.rawValue > after }
        return Page(fetched: Array(remaining.prefix(page.limit + 1)), limit: page.limit) { $0.id }
    }

    public func timeline(_ caseID: CaseID, page: PageRequest, by actor: Principal) throws -> Page<TimelineEvent> {
        _ = try visibleCase(caseID, by: actor)
        if let after = page.after, TimelineEvent.parsePosition(after) == nil {
            throw ValidationFailure("cursor", "is not a cursor this API issued")
        }
        return try store.timeline(caseID: caseID, page: page)
    }

    public func export(_ filter: CaseFilter, by actor: Principal) throws -> (@Sendable ((ExportRow) throws -> Void) throws -> Void) {
        try actor.require(.exportCases)
        let scope = CaseScope(actor)
        let store = self.store
        return { each in try store.exportRows(filter, scope: scope, each: each) }
    }
}
