/// How debtors reach the agency (settings `agency.*`): shown on the debtor pages and named in the
/// statement's dispute instructions. Any part may be missing; the pages show what is set.
public struct AgencyContact: Sendable, Equatable {
    public var name: String?
    public var phone: String?
    public var email: String?
    public var address: String?
    public var hours: String?

    public init(name: String? = nil, phone: String? = nil, email: String? = nil, address: String? = nil, hours: String? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
        self.address = address
        self.hours = hours
    }

    /// True when no way to reach the agency is set (the pages then say where else to look).
    public var hasNoChannel: Bool { phone == nil && email == nil && address == nil }
}
