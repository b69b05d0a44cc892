import Foundation

/// A named message text with placeholders (`{{debtor.name}}`), for sms or e-mail (contract §8).
public struct Template: Sendable, Equatable {
    public let name: String
    public var channel: MessageChannel
    public var subject: String?
    public var body: String
    public var version: Int64
    public var updatedAt: Instant
    public var updatedBy: String

    public init(name: String, channel: MessageChannel, subject: String?, body: String, version: Int64, updatedAt: Instant,
                updatedBy: String) {
        self.name = name
        self.channel = channel
        self.subject = subject
        self.body = body
        self.version = version
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

/// The channels Parley pushes messages on.
public enum MessageChannel: String, Sendable, CaseIterable {
    case sms, email
    public var contactChannel: ContactChannel { self == .sms ? .sms : .email }
}

/// The placeholders a template may use, and filling them in. Unknown names are refused when the
/// template is saved, so a typo never reaches a debtor as `{{debtor.nmae}}`.
public enum Placeholders {
    public static let known: Set<String> = [
        "debtor.name", "case.creditor", "case.currency", "case.balance", "case.balance_minor", "case.external_ref",
        "installment.seq", "installment.due_date", "installment.amount", "installment.amount_minor",
        "promise.due_date", "promise.amount", "promise.amount_minor", "portal.url",
    ]

    /// The placeholder names in `text`, in order of appearance; nil for an unclosed `{{`.
    public static func names(in text: String) -> [String]? {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { return nil }
            names.append(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// Whether `text` uses the placeholder `name`.
    public static func uses(_ name: String, in text: String) -> Bool { names(in: text)?.contains(name) ?? false }

    /// Field errors for `text` (the field named `field`): unclosed or unknown placeholders.
    public static func validate(_ text: String, field: String, into failure: inout ValidationFailure) {
        guard let names = names(in: text) else {
            failure.add(field, "has a {{ without its closing }}")
            return
        }
        let unknown = names.filter { !known.contains($0) }
        if !unknown.isEmpty {
            failure.add(field, "unknown placeholders: " + unknown.map { $0.isEmpty ? "{{}}" : $0 }.joined(separator: ", ")
                        + "; known: " + known.sorted().joined(separator: ", "))
        }
    }

    /// Fills every placeholder from `values`; a placeholder without a value is an error naming it.
    public static func render(_ text: String, values: [String: String], field: String) throws -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            out += rest[..<open.lowerBound]
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            guard let value = values[name] else {
                throw ValidationFailure(field, "placeholder \(name) has no value for this message")
            }
            out += value
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}

public protocol TemplateStore: Sendable {
    func template(named name: String) throws -> Template?
    func templates(page: PageRequest) throws -> Page<Template>
    /// Inserts or replaces; `expectedVersion` nil means the template must not exist yet.
    func save(_ template: Template, expectedVersion: Int64?, audit: AuditRecord, actor: Principal) throws
}
