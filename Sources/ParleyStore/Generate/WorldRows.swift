import ParleyCore

/// Rows of a generated world (benchmarks and load tests), as the API would have stored them.
/// Instants are Unix milliseconds, dates `YYYY-MM-DD`, money in minor units.
public enum WorldRows {
    public struct User: Sendable {
        public var id: String, name: String, role: Role, team: String?, createdAt: Int64
        public init(id: String, name: String, role: Role, team: String?, createdAt: Int64) {
            self.id = id; self.name = name; self.role = role; self.team = team; self.createdAt = createdAt
        }
    }

    public struct Debtor: Sendable {
        public var id: String, externalRef: String, name: String, timezone: String, phone: String, createdAt: Int64
        public init(id: String, externalRef: String, name: String, timezone: String, phone: String, createdAt: Int64) {
            self.id = id; self.externalRef = externalRef; self.name = name; self.timezone = timezone; self.phone = phone
            self.createdAt = createdAt
        }
    }

    public struct Case: Sendable {
        public var id: String, debtorID: String, creditor: String, externalRef: String, currency: String
        public var principal: Int64, interest: Int64, fees: Int64
        /// Paid so far, split fees first, then interest, then principal (the allocation order).
        public var paidFees: Int64 = 0, paidInterest: Int64 = 0, paidPrincipal: Int64 = 0
        public var delinquentSince: String, jurisdiction: String, assignedTo: String?, team: String?
        public var status: CaseStatus, segment: Segment, createdBy: String, createdAt: Int64, updatedAt: Int64
        public init(id: String, debtorID: String, creditor: String, externalRef: String, currency: String, principal: Int64,
                    interest: Int64, fees: Int64, delinquentSince: String, jurisdiction: String, assignedTo: String?, team: String?,
                    status: CaseStatus, segment: Segment, createdBy: String, createdAt: Int64) {
            self.id = id; self.debtorID = debtorID; self.creditor = creditor; self.externalRef = externalRef
            self.currency = currency; self.principal = principal; self.interest = interest; self.fees = fees
            self.delinquentSince = delinquentSince; self.jurisdiction = jurisdiction; self.assignedTo = assignedTo
            self.team = team; self.status = status; self.segment = segment; self.createdBy = createdBy
            self.createdAt = createdAt; self.updatedAt = createdAt
        }
        public var placed: Int64 { principal + interest + fees }
        public var paid: Int64 { paidFees + paidInterest + paidPrincipal }
    }

    public struct Communication: Sendable {
        public var id: String, caseID: String, debtorID: String, channel: ContactChannel, direction: String
        public var outcome: ContactOutcome, occurredAt: Int64, durationSeconds: Int64?, toAddress: String?
        /// nil for inbound contacts, which are not judged.
        public var complianceOK: Bool?
        public var violations: [ComplianceRuleName], recordedBy: String, recordedAt: Int64
        public init(id: String, caseID: String, debtorID: String, channel: ContactChannel, direction: String, outcome: ContactOutcome,
                    occurredAt: Int64, durationSeconds: Int64?, toAddress: String?, complianceOK: Bool?,
                    violations: [ComplianceRuleName], recordedBy: String, recordedAt: Int64) {
            self.id = id; self.caseID = caseID; self.debtorID = debtorID; self.channel = channel; self.direction = direction
            self.outcome = outcome; self.occurredAt = occurredAt; self.durationSeconds = durationSeconds
            self.toAddress = toAddress; self.complianceOK = complianceOK; self.violations = violations
            self.recordedBy = recordedBy; self.recordedAt = recordedAt
        }
    }

    public struct Payment: Sendable {
        public var id: String, caseID: String, amount: Int64, currency: String, paidAt: Int64
        public var split: ComponentSplit, reversed: Bool, createdBy: String
        public init(id: String, caseID: String, amount: Int64, currency: String, paidAt: Int64,
                    split: ComponentSplit, reversed: Bool, createdBy: String) {
            self.id = id; self.caseID = caseID; self.amount = amount; self.currency = currency; self.paidAt = paidAt
            self.split = split; self.reversed = reversed; self.createdBy = createdBy
        }
    }

    public struct Promise: Sendable {
        public var id: String, caseID: String, amount: Int64, dueDate: CalendarDate, status: PaymentPromise.Status
        public var createdBy: String, createdAt: Int64, resolvedAt: Int64?
        public init(id: String, caseID: String, amount: Int64, dueDate: CalendarDate, status: PaymentPromise.Status,
                    createdBy: String, createdAt: Int64, resolvedAt: Int64?) {
            self.id = id; self.caseID = caseID; self.amount = amount; self.dueDate = dueDate; self.status = status
            self.createdBy = createdBy; self.createdAt = createdAt; self.resolvedAt = resolvedAt
        }
    }

    public struct Plan: Sendable {
        public var id: String, caseID: String, status: PlanStatus, total: Int64, balanceAtProposal: Int64
        public var installments: [Installment], createdBy: String, createdAt: Int64, updatedAt: Int64
        public init(id: String, caseID: String, status: PlanStatus, total: Int64, balanceAtProposal: Int64,
                    installments: [Installment], createdBy: String, createdAt: Int64, updatedAt: Int64) {
            self.id = id; self.caseID = caseID; self.status = status; self.total = total
            self.balanceAtProposal = balanceAtProposal; self.installments = installments; self.createdBy = createdBy
            self.createdAt = createdAt; self.updatedAt = updatedAt
        }
    }

    /// A survey answered: the survey row and its feedback.
    public struct Feedback: Sendable {
        public var surveyID: String, feedbackID: String, caseID: String, communicationID: String?, agentID: String?
        public var tokenHash: [UInt8], scores: (Int64, Int64, Int64), nps: Int64?, createdBy: String, sentAt: Int64, answeredAt: Int64
        public init(surveyID: String, feedbackID: String, caseID: String, communicationID: String?, agentID: String?, tokenHash: [UInt8],
                    scores: (Int64, Int64, Int64), nps: Int64?, createdBy: String, sentAt: Int64, answeredAt: Int64) {
            self.surveyID = surveyID; self.feedbackID = feedbackID; self.caseID = caseID; self.communicationID = communicationID
            self.agentID = agentID; self.tokenHash = tokenHash; self.scores = scores; self.nps = nps; self.createdBy = createdBy
            self.sentAt = sentAt; self.answeredAt = answeredAt
        }
    }

    public struct Complaint: Sendable {
        public var id: String, caseID: String, category: String, severity: String, status: String
        public var createdBy: String, createdAt: Int64, acknowledgedAt: Int64?, resolvedAt: Int64?
        public init(id: String, caseID: String, category: String, severity: String, status: String, createdBy: String,
                    createdAt: Int64, acknowledgedAt: Int64?, resolvedAt: Int64?) {
            self.id = id; self.caseID = caseID; self.category = category; self.severity = severity; self.status = status
            self.createdBy = createdBy; self.createdAt = createdAt; self.acknowledgedAt = acknowledgedAt; self.resolvedAt = resolvedAt
        }
    }

    /// One transaction's worth of rows, parents before children.
    public struct Batch: Sendable {
        public var debtors: [Debtor] = []
        public var cases: [Case] = []
        public var communications: [Communication] = []
        public var payments: [Payment] = []
        public var promises: [Promise] = []
        public var plans: [Plan] = []
        public var feedback: [Feedback] = []
        public var complaints: [Complaint] = []
        public init() {}
    }
}
