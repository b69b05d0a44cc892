/// `prohibited_language`: threats, abuse, false legal claims or impersonation in any text of the contact.
struct ProhibitedLanguageRule: ComplianceRule {
    let screen: ProhibitedLanguage
    var name: ComplianceRuleName { .prohibitedLanguage }

    func evaluate(_ context: ComplianceContext) -> [Violation] {
        var found: [String] = []
        for text in context.texts {
            for term in screen.matches(text) where !found.contains(term) { found.append(term) }
        }
        guard !found.isEmpty else { return [] }
        let list = found.map { "\"\($0)\"" }.joined(separator: ", ")
        return [Violation(rule: name, message: "the text contains prohibited language: \(list)", nextAllowedAt: nil)]
    }
}
