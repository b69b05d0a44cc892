/// A survey invitation: a single-use token (stored as its SHA-256) valid for 14 days (contract §10).
public struct Survey: Sendable, Equatable {
    public let id: SurveyID
    public let caseID: CaseID
    public let communicationID: CommunicationID?
    /// Whom the feedback is about: the agent who made the contact, else the case's assignee.
    public let agentID: String?
    public let tokenHash: [UInt8]
    public let expiresAt: Instant
    public var usedAt: Instant?
    public let createdBy: String
    public let createdAt: Instant

    public init(id: SurveyID, caseID: CaseID, communicationID: CommunicationID?, agentID: String?, tokenHash: [UInt8], expiresAt: Instant,
                usedAt: Instant?, createdBy: String, createdAt: Instant) {
        self.id = id
        self.caseID = caseID
        self.communicationID = communicationID
        self.agentID = agentID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.createdBy = createdBy
        self.createdAt = createdAt
    }
}

/// The three 1–5 ratings of a survey.
public struct FeedbackScores: Sendable, Equatable {
    public var communication: Int
    public var attitude: Int
    public var resolution: Int
    public init(communication: Int, attitude: Int, resolution: Int) {
        self.communication = communication
        self.attitude = attitude
        self.resolution = resolution
    }
    public var all: [Int] { [communication, attitude, resolution] }
}

public struct Feedback: Sendable, Equatable {
    public let id: FeedbackID
    public let caseID: CaseID
    public let surveyID: SurveyID
    public let communicationID: CommunicationID?
    public let agentID: String?
    public let scores: FeedbackScores
    public let nps: Int?
    public let comment: String?
    public let createdAt: Instant

    public init(id: FeedbackID, caseID: CaseID, surveyID: SurveyID, communicationID: CommunicationID?, agentID: String?, scores: FeedbackScores,
                nps: Int?, comment: String?, createdAt: Instant) {
        self.id = id
        self.caseID = caseID
        self.surveyID = surveyID
        self.communicationID = communicationID
        self.agentID = agentID
        self.scores = scores
        self.nps = nps
        self.comment = comment
        self.createdAt = createdAt
    }

    /// Poor feedback is followed up: any score of 2 or less, or an NPS of 6 or less.
    public var needsFollowUp: Bool { scores.all.contains { $0 <= 2 } || (nps.map { $0 <= 6 } ?? false) }
}

/// A supervisor's task to call back a debtor who gave poor feedback.
public struct FollowUp: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable { case open, closed }
    public let id: FollowUpID
    public let caseID: CaseID
    public let feedbackID: FeedbackID
    public let assignedTeam: String?
    public var status: Status
    public let dueAt: Instant
    public let createdAt: Instant
    public var closedAt: Instant?
    public var closedBy: String?
    public var note: String?

    public init(id: FollowUpID, caseID: CaseID, feedbackID: FeedbackID, assignedTeam: String?, status: Status, dueAt: Instant,
                createdAt: Instant, closedAt: Instant? = nil, closedBy: String? = nil, note: String? = nil) {
        self.id = id
        self.caseID = caseID
        self.feedbackID = feedbackID
        self.assignedTeam = assignedTeam
        self.status = status
        self.dueAt = dueAt
        self.createdAt = createdAt
        self.closedAt = closedAt
        self.closedBy = closedBy
        self.note = note
    }
}

public struct FeedbackFilter: Sendable {
    public var caseID: CaseID?
    public var agentID: String?
    public var from: Instant?
    public var to: Instant?
    public init(caseID: CaseID? = nil, agentID: String? = nil, from: Instant? = nil, to: Instant? = nil) {
        self.caseID = caseID
        self.agentID = agentID
        self.from = from
        self.to = to
    }
}

public protocol FeedbackStore: Sendable {
    func insert(_ survey: Survey, audit: AuditRecord, event: TimelineEvent, actor: Principal) throws
    func survey(tokenHash: [UInt8]) throws -> Survey?
    /// Records feedback and marks its survey used, only if the survey is still unused (false otherwise),
    /// with the follow-up it may open.
    func record(_ feedback: Feedback, followUp: FollowUp?, audit: [AuditRecord], events: [TimelineEvent], at: Instant) throws -> Bool
    func feedback(_ filter: FeedbackFilter, scope: CaseScope, page: PageRequest) throws -> Page<Feedback>
    func followUps(status: FollowUp.Status?, scope: CaseScope, page: PageRequest) throws -> Page<FollowUp>
    func followUp(id: FollowUpID) throws -> FollowUp?
    func close(_ followUp: FollowUp, audit: AuditRecord, event: TimelineEvent, actor: Principal) throws -> Bool
}
