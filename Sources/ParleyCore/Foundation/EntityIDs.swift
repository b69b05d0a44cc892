/// The typed ids in use, one per kind of record (see `Identifier`).
public typealias CaseID = Identifier<DebtCase>
public typealias DebtorID = Identifier<Debtor>
public typealias DisputeID = Identifier<Dispute>
public typealias CommunicationID = Identifier<Communication>
public typealias AlertID = Identifier<ComplianceAlert>
public typealias PlanID = Identifier<PaymentPlan>
public typealias PaymentID = Identifier<Payment>
public typealias PromiseID = Identifier<PaymentPromise>
public typealias AdjustmentID = Identifier<Adjustment>
public typealias MessageID = Identifier<Message>
public typealias SurveyID = Identifier<Survey>
public typealias FeedbackID = Identifier<Feedback>
public typealias FollowUpID = Identifier<FollowUp>
public typealias ComplaintID = Identifier<Complaint>
public typealias PortalLinkID = Identifier<PortalLink>
