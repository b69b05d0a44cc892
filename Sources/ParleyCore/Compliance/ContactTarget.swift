/// The phone number or address a contact uses (the request's `to`, default the debtor's first),
/// with the consent facts the `channel_consent` rule needs.
public enum ContactTarget: Sendable, Equatable {
    case phone(number: String, consentCalls: Bool, consentSMS: Bool)
    case email(address: String, optedOut: Bool)
    /// The debtor has no phone or e-mail for the channel (or the channel needs none).
    case none

    public init(_ phone: Phone) {
        self = .phone(number: phone.number, consentCalls: phone.consentCalls, consentSMS: phone.consentSMS)
    }

    public init(_ email: Email) {
        self = .email(address: email.address, optedOut: email.optedOut)
    }

    /// The phone number, which the CN per-number rule counts by.
    public var phoneNumber: String? {
        if case .phone(let number, _, _) = self { return number }
        return nil
    }
}

extension ContactTarget {
    /// A `to` as the rules compare it: trimmed, and a phone number typed with spaces, dashes, dots or
    /// brackets (`+86 135-1290 3478`) reduced to its E.164 form, so it is counted as the number it is.
    /// Anything else is kept as sent.
    public static func normalizedAddress(_ to: String, channel: ContactChannel) -> String {
        let trimmed = to.trimmingSpaces
        guard channel == .phone || channel == .sms else { return trimmed }
        let compact = String(trimmed.unicodeScalars.filter { !" -.()\u{A0}".unicodeScalars.contains($0) }.map(Character.init))
        return Validators.isE164(compact) ? compact : trimmed
    }
}
