/// Surveys, public feedback and follow-ups (contract §10). The public endpoint and the feedback
/// page are two front doors to `submit`, with one validation, one follow-up rule and one
/// per-address rate limit.
public struct FeedbackService: Sendable {
    private let store: any FeedbackStore
    private let cases: CaseService
    private let communications: any CommunicationStore
    private let compliance: ComplianceService
    private let limiter: RateLimiter
    private let ids: IDGenerator
    private let clock: WallClock
    private let changes: CaseChangeFeed

    public static let surveyLifetimeDays: Int64 = 14

    public init(store: any FeedbackStore, cases: CaseService, communications: any CommunicationStore, compliance: ComplianceService,
                limiter: RateLimiter, ids: IDGenerator, clock: WallClock, changes: CaseChangeFeed = .silent) {
        self.store = store
        self.cases = cases
        self.communications = communications
        self.compliance = compliance
        self.limiter = limiter
        self.ids = ids
        self.clock = clock
        self.changes = changes
    }

    public func createSurvey(caseID: CaseID, communicationID: CommunicationID?, by actor: Principal) throws -> (Survey, token: String) {
        try actor.require(.logCaseActivity)
        let debtCase = try cases.visibleCase(caseID, by: actor)
        var agentID = debtCase.assignedTo
        if let communicationID {
            guard let communication = try communications.communication(id: communicationID, caseID: caseID) else {
                throw ValidationFailure("communication_id", "names no communication of this case")
            }
            if communication.recordedBy != Principal.system.userID { agentID = communication.recordedBy }
        }
        let now = clock.now()
        let token = SecretToken.make()
        let survey = Survey(id: ids.make("srv"), caseID: caseID, communicationID: communicationID, agentID: agentID,
                            tokenHash: SecretToken.hash(token), expiresAt: now.adding(days: Self.surveyLifetimeDays), usedAt: nil,
                            createdBy: actor.userID, createdAt: now)
        try store.insert(survey, audit: AuditRecord(action: .surveyCreated, entity: "survey", entityID: survey.id, detail: .object([
            ("case_id", .string(caseID.rawValue)), ("communication_id", communicationID.map { JSONValue.string($0.rawValue) } ?? .null),
            ("expires_at", .string(survey.expiresAt.rfc3339)),
        ])), event: TimelineEvent(at: now, kind: .survey, actor: actor.userID, summary: "Feedback survey sent", ref: survey.id), actor: actor)
        return (survey, token)
    }

    /// Counts one request from `address` against the public limit (429 beyond it).
    public func admit(_ address: String) throws {
        if let wait = limiter.check(address, at: clock.now()) { throw DomainError.rateLimited(retryAfterSeconds: wait) }
    }

    /// The survey a token opens: 404 when unknown, 410 when used or expired.
    public func openSurvey(token: String) throws -> Survey {
        guard let survey = try survey(token: token) else { throw DomainError.notFound("survey") }
        if survey.usedAt != nil { throw DomainError.gone("this survey has already been answered") }
        if survey.expiresAt <= clock.now() { throw DomainError.gone("this survey has expired") }
        return survey
    }

    /// The survey a token names, used or not; nil when none has it (the feedback page needs the
    /// debtor's language even to say that a survey was already answered).
    public func survey(token: String) throws -> Survey? {
        guard !token.isEmpty, token.utf8.count <= 100 else { return nil }
        return try store.survey(tokenHash: SecretToken.hash(token))
    }

    /// Field errors of an answer, named as the JSON endpoint names them.
    public static func validate(scores: FeedbackScores, nps: Int?, comment: String?) -> ValidationFailure {
        var failure = ValidationFailure()
        for (name, value) in [("communication", scores.communication), ("attitude", scores.attitude), ("resolution", scores.resolution)]
        where !(1...5).contains(value) {
            failure.add("scores." + name, "must be an integer from 1 to 5")
        }
        if let nps, !(0...10).contains(nps) { failure.add("nps", "must be an integer from 0 to 10") }
        if let comment, comment.unicodeScalars.count > 2_000 { failure.add("comment", "must be at most 2000 characters") }
        return failure
    }

    public func submit(token: String, scores: FeedbackScores, nps: Int?, comment: String?) throws -> Feedback {
        let survey = try openSurvey(token: token)
        try Self.validate(scores: scores, nps: nps, comment: comment).throwIfAny()
        let now = clock.now()
        let trimmed = comment?.trimmingSpaces
        let feedback = Feedback(id: ids.make("fbk"), caseID: survey.caseID, surveyID: survey.id, communicationID: survey.communicationID,
                                agentID: survey.agentID, scores: scores, nps: nps, comment: trimmed?.isEmpty == true ? nil : trimmed,
                                createdAt: now)
        var audit = [AuditRecord(action: .feedbackReceived, entity: "feedback", entityID: feedback.id, detail: .object([
            ("case_id", .string(feedback.caseID.rawValue)), ("survey_id", .string(survey.id.rawValue)),
            ("scores", .array(scores.all.map { .number(String($0)) })), ("nps", nps.map { .number(String($0)) } ?? .null),
        ]))]
        var events = [TimelineEvent(at: now, kind: .feedback, actor: Principal.system.userID,
                                    summary: "Feedback received: \(scores.all.map(String.init).joined(separator: "/"))"
                                        + (nps.map { ", NPS \($0)" } ?? ""), ref: feedback.id)]
        var followUp: FollowUp?
        if feedback.needsFollowUp {
            let team = try cases.caseForJob(survey.caseID)?.team
            let due = now.adding(days: Int64(compliance.engine.policy.followupDueDays))
            let opened = FollowUp(id: ids.make("fup"), caseID: survey.caseID, feedbackID: feedback.id, assignedTeam: team,
                                  status: .open, dueAt: due, createdAt: now)
            followUp = opened
            audit.append(AuditRecord(action: .followUpOpened, entity: "followup", entityID: opened.id, detail: .object([
                ("case_id", .string(opened.caseID.rawValue)), ("feedback_id", .string(feedback.id.rawValue)),
                ("assigned_team", team.map(JSONValue.string) ?? .null), ("due_at", .string(due.rfc3339)),
            ])))
            events.append(TimelineEvent(at: now, kind: .followup, actor: Principal.system.userID,
                                        summary: "Follow-up opened for poor feedback, due \(due.rfc3339)", ref: opened.id))
        }
        guard try store.record(feedback, followUp: followUp, audit: audit, events: events, at: now) else {
            throw DomainError.gone("this survey has already been answered")
        }
        changes.changed(feedback.caseID)
        return feedback
    }

    public func feedback(_ filter: FeedbackFilter, page: PageRequest, by actor: Principal) throws -> Page<Feedback> {
        try actor.require(.readComplaintsAndFeedback)
        if let caseID = filter.caseID { _ = try cases.visibleCase(caseID, by: actor) }
        return try store.feedback(filter, scope: CaseScope(actor), page: page)
    }

    public func followUps(status: FollowUp.Status?, page: PageRequest, by actor: Principal) throws -> Page<FollowUp> {
        try actor.require(.readComplaintsAndFeedback)
        return try store.followUps(status: status, scope: CaseScope(actor), page: page)
    }

    public func closeFollowUp(_ id: FollowUpID, note: String?, by actor: Principal) throws -> FollowUp {
        try actor.require(.approveAndAssign)
        guard var followUp = try store.followUp(id: id) else { throw DomainError.notFound("follow-up \(id)") }
        guard followUp.status == .open else { throw DomainError.conflict("the follow-up is already closed") }
        if let note, note.unicodeScalars.count > 2_000 { throw ValidationFailure("note", "must be at most 2000 characters") }
        let now = clock.now()
        followUp.status = .closed
        followUp.closedAt = now
        followUp.closedBy = actor.userID
        followUp.note = note?.trimmingSpaces
        guard try store.close(followUp, audit: AuditRecord(action: .followUpClosed, entity: "followup", entityID: id, detail: .object([
            ("case_id", .string(followUp.caseID.rawValue)), ("note", followUp.note.map(JSONValue.string) ?? .null),
        ])), event: TimelineEvent(at: now, kind: .followup, actor: actor.userID, summary: "Follow-up closed", ref: id), actor: actor)
        else { throw DomainError.conflict("the follow-up is already closed") }
        return followUp
    }
}

/// Random bearer tokens for debtors (surveys, portal links): 32 bytes from the system's CSPRNG,
/// base64url; only their SHA-256 is stored.
public enum SecretToken {
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hashing.base64URL((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    public static func hash(_ token: String) -> [UInt8] { Hashing.sha256(Array(token.utf8)) }
}
