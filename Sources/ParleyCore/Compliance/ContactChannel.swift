/// How a contact reaches the debtor (contract §6).
public enum ContactChannel: String, Sendable, CaseIterable {
    case phone, sms, email, letter, visit, portal

    /// Channels that reach the debtor in real time, so the debtor-local contact window applies.
    public var followsContactHours: Bool {
        switch self {
        case .phone, .sms, .visit: true
        case .email, .letter, .portal: false
        }
    }
}

/// Who started the contact. Only outbound contacts are judged by the compliance rules.
public enum ContactDirection: String, Sendable, CaseIterable {
    case outbound, inbound
}
