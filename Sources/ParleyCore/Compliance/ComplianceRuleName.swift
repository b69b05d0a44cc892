/// The rules of contract §7, named as they appear in `violations[].rule` and in alerts.
public enum ComplianceRuleName: String, Sendable, CaseIterable {
    case contactHours = "contact_hours"
    case callFrequency = "call_frequency"
    case conversationCooldown = "conversation_cooldown"
    case smsFrequency = "sms_frequency"
    case ceaseCommunication = "cease_communication"
    case attorneyRepresented = "attorney_represented"
    case bankruptcy
    case deceased
    case breathingSpace = "breathing_space"
    case disputePending = "dispute_pending"
    case channelConsent = "channel_consent"
    case vulnerable
    case prohibitedLanguage = "prohibited_language"
    case thirdPartyDisclosure = "third_party_disclosure"
}
