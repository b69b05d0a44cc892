/// A link to the debtor's statement page (contract §16): a random token, stored only as its
/// SHA-256, valid for 30 days and usable any number of times until it expires or is revoked.
public struct PortalLink: Sendable, Equatable {
    public let id: PortalLinkID
    public let caseID: CaseID
    public let tokenHash: [UInt8]
    public let expiresAt: Instant
    public var revokedAt: Instant?
    public let createdBy: String
    public let createdAt: Instant

    public init(id: PortalLinkID, caseID: CaseID, tokenHash: [UInt8], expiresAt: Instant, revokedAt: Instant?, createdBy: String,
                createdAt: Instant) {
        self.id = id
        self.caseID = caseID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.createdBy = createdBy
        self.createdAt = createdAt
    }

    /// Whether the link still opens the page at `now`.
    public func isUsable(at now: Instant) -> Bool { revokedAt == nil && now < expiresAt }
}

/// A link just made, with the token that only its creator ever sees, and what recording it writes.
public struct IssuedPortalLink: Sendable {
    public let link: PortalLink
    public let token: String
    public let audit: AuditRecord
    public let event: TimelineEvent

    /// The page's path, relative to the public base URL: `/p/s/{token}`.
    public var path: String { PortalService.statementPathPrefix + token }
}

public protocol PortalStore: Sendable {
    /// Inserts a link with its audit entry and timeline event (joining an open transaction, if any).
    func insert(_ link: PortalLink, audit: AuditRecord, event: TimelineEvent, actor: Principal) throws
    func link(id: PortalLinkID) throws -> PortalLink?
    func link(tokenHash: [UInt8]) throws -> PortalLink?
    /// Marks the link revoked, only if it is not revoked yet (false otherwise), with audit and timeline.
    func revoke(_ link: PortalLink, audit: AuditRecord, event: TimelineEvent, actor: Principal) throws -> Bool
}
