/// Keeps each case's segment current and answers the assessment (contract §11): recomputed when
/// something about the case changes (through `CaseChangeFeed`) and by the daily `segments` job,
/// since time alone moves cases between segments. The stored segment is what lists filter by.
public struct SegmentService: Sendable {
    private let store: any SegmentStore
    private let compliance: ComplianceService
    private let cases: CaseService
    private let clock: WallClock

    public init(store: any SegmentStore, compliance: ComplianceService, cases: CaseService, clock: WallClock) {
        self.store = store
        self.compliance = compliance
        self.cases = cases
        self.clock = clock
    }

    public func assessment(caseID: CaseID, by actor: Principal) throws -> SegmentAssessment {
        let debtCase = try cases.visibleCase(caseID, by: actor)
        guard let facts = try store.facts(caseID: caseID, now: clock.now()) else { throw DomainError.notFound("case \(caseID)") }
        return SegmentAssessor.assess(facts: facts, now: clock.now(), override: debtCase.segmentOverride, policy: compliance.engine.policy)
    }

    public func playbooks(by actor: Principal) throws -> JSONValue {
        try actor.require(.readPolicy)
        return compliance.engine.policy.playbooksJSON
    }

    /// Recomputes the rule segment of one case and stores it when it moved; true when it did.
    @discardableResult
    public func refresh(caseID: CaseID, at now: Instant) throws -> Bool {
        guard let facts = try store.facts(caseID: caseID, now: now), let current = try store.segment(caseID: caseID) else { return false }
        let segment = SegmentAssessor.ruleSegment(facts: facts, now: now, policy: compliance.engine.policy.segmentation)
        guard segment != current else { return false }
        try store.setSegment(caseID: caseID, to: segment, at: now, audit: AuditRecord(
            action: .segmentChanged, entity: "case", entityID: caseID,
            detail: .object([("from", .string(current.rawValue)), ("to", .string(segment.rawValue))])),
            event: TimelineEvent(at: now, kind: .segment, actor: Principal.system.userID,
                                 summary: "Segment \(current.rawValue) → \(segment.rawValue)", ref: nil))
        return true
    }

    /// What `CaseChangeFeed` calls after a change.
    public func refresh(_ subject: CaseChangeFeed.Subject) throws {
        let now = clock.now()
        switch subject {
        case .debtCase(let id): try refresh(caseID: id, at: now)
        case .debtor(let id): for caseID in try store.caseIDs(ofDebtor: id) { try refresh(caseID: caseID, at: now) }
        }
    }

    /// The `segments` job: every open case, a batch at a time.
    public func refreshAll(asOf: Instant) throws -> [(String, Int64)] {
        var checked: Int64 = 0, moved: Int64 = 0
        var after: CaseID?
        while true {
            let batch = try store.liveCaseIDs(after: after, limit: 500)
            guard let last = batch.last else { break }
            for caseID in batch where try refresh(caseID: caseID, at: asOf) { moved += 1 }
            checked += Int64(batch.count)
            after = last
        }
        return [("checked", checked), ("moved", moved)]
    }
}

public protocol SegmentStore: Sendable {
    /// The facts of one case as of `now`; nil when there is no such case.
    func facts(caseID: CaseID, now: Instant) throws -> SegmentFacts?
    func segment(caseID: CaseID) throws -> Segment?
    func setSegment(caseID: CaseID, to segment: Segment, at: Instant, audit: AuditRecord, event: TimelineEvent) throws
    func caseIDs(ofDebtor debtorID: DebtorID) throws -> [CaseID]
    /// Cases not yet `paid` or `closed`, in id order after `after` (nil: from the first).
    func liveCaseIDs(after: CaseID?, limit: Int) throws -> [CaseID]
}
