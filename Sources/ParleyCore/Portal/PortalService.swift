/// Links to the debtor's statement page (contract §16): issued by whoever may log activity on the
/// case, or made in the flow of a message that uses `{{portal.url}}`; revoked at once; opened by
/// the token alone. Tokens are 32 random bytes; only their SHA-256 is stored.
public struct PortalService: Sendable {
    private let store: any PortalStore
    private let cases: CaseService
    private let caseStore: any CaseStore
    private let debtors: any DebtorStore
    private let money: MoneyService
    private let ids: IDGenerator
    private let clock: WallClock
    /// The base URL debtors reach the pages at (`public_url`), without a trailing slash.
    public let publicURL: String
    public let agency: AgencyContact

    public static let lifetimeDays: Int64 = 30
    public static let statementPathPrefix = "/p/s/"

    public init(store: any PortalStore, cases: CaseService, caseStore: any CaseStore, debtors: any DebtorStore, money: MoneyService,
                ids: IDGenerator, clock: WallClock, publicURL: String, agency: AgencyContact) {
        self.store = store
        self.cases = cases
        self.caseStore = caseStore
        self.debtors = debtors
        self.money = money
        self.ids = ids
        self.clock = clock
        self.publicURL = publicURL
        self.agency = agency
    }

    /// A new link for a case, with its audit entry and timeline event, not yet written: the caller
    /// records it alone (`issue`) or in the transaction of the message that carries it.
    public func prepare(caseID: CaseID, by actor: Principal, messageID: MessageID? = nil) -> IssuedPortalLink {
        let now = clock.now()
        let token = SecretToken.make()
        let link = PortalLink(id: ids.make("pl"), caseID: caseID, tokenHash: SecretToken.hash(token),
                              expiresAt: now.adding(days: Self.lifetimeDays), revokedAt: nil, createdBy: actor.userID, createdAt: now)
        var detail: [(String, JSONValue)] = [("case_id", .string(caseID.rawValue)), ("expires_at", .string(link.expiresAt.rfc3339))]
        if let messageID { detail.append(("message_id", .string(messageID.rawValue))) }
        let audit = AuditRecord(action: .portalLinkIssued, entity: "portal_link", entityID: link.id, detail: .object(detail))
        let event = TimelineEvent(at: now, kind: .portalLink, actor: actor.userID,
                                  summary: messageID == nil ? "Statement link issued" : "Statement link issued with a message",
                                  ref: link.id)
        return IssuedPortalLink(link: link, token: token, audit: audit, event: event)
    }

    /// Writes a prepared link (joins the caller's transaction when there is one).
    public func record(_ issued: IssuedPortalLink, actor: Principal) throws {
        try store.insert(issued.link, audit: issued.audit, event: issued.event, actor: actor)
    }

    /// `POST /v1/cases/{id}/portal-links`: for whoever may log activity on a case they can see.
    public func issue(caseID: CaseID, by actor: Principal) throws -> IssuedPortalLink {
        try actor.require(.logCaseActivity)
        _ = try cases.visibleCase(caseID, by: actor)
        let issued = prepare(caseID: caseID, by: actor)
        try record(issued, actor: actor)
        return issued
    }

    /// Ends a link at once; the same rights as issuing. Links on cases the actor cannot see are 404.
    public func revoke(_ id: PortalLinkID, by actor: Principal) throws -> PortalLink {
        try actor.require(.logCaseActivity)
        guard var link = try store.link(id: id) else { throw DomainError.notFound("portal link \(id)") }
        do { _ = try cases.visibleCase(link.caseID, by: actor) } catch DomainError.notFound {
            throw DomainError.notFound("portal link \(id)")
        }
        guard link.revokedAt == nil else { throw DomainError.conflict("the portal link is already revoked") }
        let now = clock.now()
        link.revokedAt = now
        let revoked = try store.revoke(link, audit: AuditRecord(action: .portalLinkRevoked, entity: "portal_link", entityID: id,
                                                                detail: .object([("case_id", .string(link.caseID.rawValue))])),
                                       event: TimelineEvent(at: now, kind: .portalLink, actor: actor.userID,
                                                            summary: "Statement link revoked", ref: id), actor: actor)
        guard revoked else { throw DomainError.conflict("the portal link is already revoked") }
        return link
    }

    /// The full URL a message carries: the public base URL and the page's path.
    public func url(of issued: IssuedPortalLink) -> String { publicURL + issued.path }

    /// The link a token names, whatever its state; nil when no link has it.
    public func link(token: String) throws -> PortalLink? {
        guard !token.isEmpty, token.utf8.count <= 100 else { return nil }
        return try store.link(tokenHash: SecretToken.hash(token))
    }

    /// Refuses a link that no longer opens the page (410).
    public func ensureUsable(_ link: PortalLink) throws {
        if link.revokedAt != nil { throw DomainError.gone("this link has been withdrawn") }
        if link.expiresAt <= clock.now() { throw DomainError.gone("this link has expired") }
    }

    /// Whom a page for `caseID` speaks to.
    public func audience(caseID: CaseID) throws -> PageAudience {
        guard let debtCase = try caseStore.debtCase(id: caseID), let debtor = try debtors.debtor(id: debtCase.debtorID) else {
            throw CorruptDataError("case \(caseID) or its debtor is missing")
        }
        return PageAudience(debtorName: debtor.name, language: debtor.language, timezone: debtor.timezone)
    }

    /// What the statement page shows, for a link already checked with `ensureUsable`.
    public func statement(for link: PortalLink) throws -> DebtorStatement {
        let statement = try money.portalStatement(caseID: link.caseID)
        return DebtorStatement(statement: statement, latestDispute: try caseStore.disputes(caseID: link.caseID).last,
                               asOf: clock.now(), linkExpiresAt: link.expiresAt)
    }
}

/// The statement page's content: the debtor-facing statement, where a dispute stands, and when.
public struct DebtorStatement: Sendable {
    public let statement: Statement
    /// The most recent dispute (disputes are listed in id order, which is creation order).
    public let latestDispute: Dispute?
    public let asOf: Instant
    public let linkExpiresAt: Instant
}
