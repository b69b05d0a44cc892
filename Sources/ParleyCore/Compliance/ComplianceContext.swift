import Foundation

/// Everything the rules need to judge one contact, gathered by the caller: the facts of the
/// contact, of the debtor and case, and the earlier contacts. Rules take their parameters from the
/// policy the engine was built with, never from here.
public struct ComplianceContext: Sendable {
    /// When the contact happens (a check's `at`, a communication's `occurred_at`, a message's send time).
    public var at: Instant
    public var channel: ContactChannel
    public var direction: ContactDirection
    /// The logged result; nil for pre-contact checks and for messages about to be sent.
    public var outcome: ContactOutcome?
    public var actorRole: Role
    public var restrictions: Restrictions
    /// The debtor's IANA zone; every debtor-local rule reasons in it.
    public var debtorTimeZone: String {
        didSet { timeZone = LocalTime.zone(named: debtorTimeZone) }
    }
    /// The case's jurisdiction (ISO 3166 code); picks the policy profile.
    public var jurisdiction: String
    public var target: ContactTarget
    public var openDispute: Bool
    /// A communication's content and summary, a message's subject and body: all screened.
    public var content: String?
    public var summary: String?
    public var messageBody: String?
    public var history: ComplianceHistory

    /// `debtorTimeZone` resolved once, for the rules.
    public private(set) var timeZone: TimeZone

    public init(at: Instant, channel: ContactChannel, direction: ContactDirection = .outbound,
                outcome: ContactOutcome? = nil, actorRole: Role, restrictions: Restrictions = Restrictions(),
                debtorTimeZone: String, jurisdiction: String, target: ContactTarget = .none,
                openDispute: Bool = false, content: String? = nil, summary: String? = nil,
                messageBody: String? = nil, history: ComplianceHistory = ComplianceHistory()) {
        self.at = at
        self.channel = channel
        self.direction = direction
        self.outcome = outcome
        self.actorRole = actorRole
        self.restrictions = restrictions
        self.debtorTimeZone = debtorTimeZone
        self.jurisdiction = jurisdiction
        self.target = target
        self.openDispute = openDispute
        self.content = content
        self.summary = summary
        self.messageBody = messageBody
        self.history = history
        self.timeZone = LocalTime.zone(named: debtorTimeZone)
    }

    /// The texts the language rules screen, absent ones left out.
    public var texts: [String] { [content, summary, messageBody].compactMap { $0 } }

    /// The same contact, moved to `instant`; the engine's search for `next_allowed_at` uses it.
    public func moved(to instant: Instant) -> ComplianceContext {
        var copy = self
        copy.at = instant
        return copy
    }
}
