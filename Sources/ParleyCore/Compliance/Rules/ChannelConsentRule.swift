/// `channel_consent`: calls need the number's call consent, sms its sms consent, e-mail an
/// address that has not opted out. No phone or address for the channel is a violation too.
struct ChannelConsentRule: ComplianceRule {
    var name: ComplianceRuleName { .channelConsent }

    func evaluate(_ context: ComplianceContext) -> [Violation] {
        let problem: String?
        switch (context.channel, context.target) {
        case (.phone, .phone(_, let consentCalls, _)):
            problem = consentCalls ? nil : "the debtor has not consented to calls on this number"
        case (.sms, .phone(_, _, let consentSMS)):
            problem = consentSMS ? nil : "the debtor has not consented to sms on this number"
        case (.email, .email(_, let optedOut)):
            problem = optedOut ? "the debtor has opted out of e-mail at this address" : nil
        case (.phone, _):
            problem = "the debtor has no phone number to call"
        case (.sms, _):
            problem = "the debtor has no phone number to send sms to"
        case (.email, _):
            problem = "the debtor has no e-mail address"
        case (.letter, _), (.visit, _), (.portal, _):
            problem = nil
        }
        guard let problem else { return [] }
        return [Violation(rule: name, message: problem, nextAllowedAt: nil)]
    }
}
