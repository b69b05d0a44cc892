/// What came of a contact (contract §6). Phone and visit have conversation outcomes; the
/// written channels have delivery outcomes.
public enum ContactOutcome: String, Sendable, CaseIterable {
    case connectedRPC = "connected_rpc"
    case connectedThirdParty = "connected_third_party"
    case noAnswer = "no_answer"
    case voicemail
    case busy
    case wrongNumber = "wrong_number"
    case refused
    case sent, delivered, failed, received

    /// The outcomes a communication on `channel` may record.
    public static func allowed(for channel: ContactChannel) -> [ContactOutcome] {
        switch channel {
        case .phone, .visit: [.connectedRPC, .connectedThirdParty, .noAnswer, .voicemail, .busy, .wrongNumber, .refused]
        case .sms, .email, .letter, .portal: [.sent, .delivered, .failed, .received]
        }
    }

    /// Someone was spoken to: the debtor (right party) or a third party.
    public var isConnected: Bool { self == .connectedRPC || self == .connectedThirdParty }

    /// An attempt nobody picked up; CN counts these per phone number per day.
    public var isUnanswered: Bool { self == .noAnswer || self == .voicemail || self == .busy }
}
