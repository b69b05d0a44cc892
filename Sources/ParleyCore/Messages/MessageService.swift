/// Templates and messages (contract §8): templates are screened for unknown placeholders and
/// prohibited language when saved; a message passes the compliance gate when it is asked for
/// (blocked: 422 with the violations) and again when it is sent. A text that uses `{{portal.url}}`
/// gets a fresh statement link, written in the transaction that writes the message.
public struct MessageService: Sendable {
    private let templates: any TemplateStore
    private let store: any MessageStore
    private let cases: CaseService
    private let debtors: any DebtorStore
    private let compliance: ComplianceService
    private let portal: PortalService
    private let transactor: any Transactor
    private let ids: IDGenerator
    private let clock: WallClock

    public init(templates: any TemplateStore, store: any MessageStore, cases: CaseService, debtors: any DebtorStore,
                compliance: ComplianceService, portal: PortalService, transactor: any Transactor, ids: IDGenerator, clock: WallClock) {
        self.templates = templates
        self.store = store
        self.cases = cases
        self.debtors = debtors
        self.compliance = compliance
        self.portal = portal
        self.transactor = transactor
        self.ids = ids
        self.clock = clock
    }

    // MARK: Templates

    public static func isTemplateName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }

    /// Creates or replaces a template; answers it and whether it was created.
    public func saveTemplate(name: String, channel: MessageChannel, subject: String?, body: String, ifMatch versions: Set<Int64>?,
                             by actor: Principal) throws -> (Template, created: Bool) {
        try actor.require(.writePolicy)
        try Self.validateTemplate(name: name, channel: channel, subject: subject, body: body).throwIfAny()
        try screen(body + "\n" + (subject ?? ""))
        let existing = try templates.template(named: name)
        // A template that does not exist has no version to name.
        if let versions, !(existing.map { versions.contains($0.version) } ?? false) {
            throw DomainError.preconditionFailed("template \(name) is at version \(existing?.version ?? 0)")
        }
        let template = Template(name: name, channel: channel, subject: subject, body: body,
                                version: (existing?.version ?? 0) + 1, updatedAt: clock.now(), updatedBy: actor.userID)
        try templates.save(template, expectedVersion: existing?.version, audit: AuditRecord(
            action: .templateSaved, entity: "template", entityID: name, detail: .object([
                ("channel", .string(channel.rawValue)), ("version", .number(String(template.version))),
            ])), actor: actor)
        return (template, existing == nil)
    }

    /// The field checks of a template; nil for a field that is absent or failed to decode.
    public static func validateTemplate(name: String, channel: MessageChannel?, subject: String?, body: String?) -> ValidationFailure {
        var failure = ValidationFailure()
        if !isTemplateName(name) { failure.add("name", "must be 1 to 64 of a-z, 0-9, _ and -") }
        if let body {
            if body.trimmingSpaces.isEmpty || body.unicodeScalars.count > 5_000 { failure.add("body", "must be 1 to 5000 characters") }
            Placeholders.validate(body, field: "body", into: &failure)
            checkReminderPlaceholders(name: name, text: body, field: "body", into: &failure)
        }
        if channel == .email, (subject ?? "").trimmingSpaces.isEmpty { failure.add("subject", "an e-mail template needs a subject") }
        if let subject {
            if let channel, channel != .email { failure.add("subject", "only e-mail templates have a subject") }
            if subject.unicodeScalars.count > 200 { failure.add("subject", "must be at most 200 characters") }
            Placeholders.validate(subject, field: "subject", into: &failure)
            checkReminderPlaceholders(name: name, text: subject, field: "subject", into: &failure)
        }
        return failure
    }

    /// A `reminder_installment` template has no promise to fill in, nor a `reminder_promise` one an
    /// instalment: such a placeholder is refused when the template is saved, not found at a run.
    private static func checkReminderPlaceholders(name: String, text: String, field: String, into failure: inout ValidationFailure) {
        guard name.hasPrefix("reminder_"), let kind = ReminderKind(rawValue: String(name.dropFirst("reminder_".count))),
              let names = Placeholders.names(in: text) else { return }
        let foreign = kind == .installment ? "promise." : "installment."
        let unfilled = names.filter { $0.hasPrefix(foreign) }
        if !unfilled.isEmpty {
            failure.add(field, "reminders of a \(kind.rawValue) have no value for " + unfilled.map { "{{\($0)}}" }.joined(separator: ", "))
        }
    }

    /// The field checks of a message's own text; nil for a field that is absent or failed to decode.
    public static func validateText(channel: MessageChannel?, subject: String?, body: String?) -> ValidationFailure {
        var failure = ValidationFailure()
        if let body {
            if body.trimmingSpaces.isEmpty || body.unicodeScalars.count > 5_000 { failure.add("body", "must be 1 to 5000 characters") }
            Placeholders.validate(body, field: "body", into: &failure)
        }
        if channel == .email, (subject ?? "").trimmingSpaces.isEmpty { failure.add("subject", "an e-mail needs a subject") }
        if channel == .sms, subject != nil { failure.add("subject", "an sms has no subject") }
        return failure
    }

    /// Prohibited language in a text is refused outright (a template or message is our own words).
    private func screen(_ text: String) throws {
        let found = compliance.engine.prohibitedLanguage.matches(text)
        guard found.isEmpty else {
            throw ComplianceBlock(violations: [Violation(
                rule: .prohibitedLanguage, message: "the text contains prohibited terms: " + found.joined(separator: ", "),
                nextAllowedAt: nil)], nextAllowedAt: nil)
        }
    }

    public func template(named name: String, by actor: Principal) throws -> Template {
        try actor.require(.readPolicy)
        guard let template = try templates.template(named: name) else { throw DomainError.notFound("template \(name)") }
        return template
    }

    public func listTemplates(page: PageRequest, by actor: Principal) throws -> Page<Template> {
        try actor.require(.readPolicy)
        return try templates.templates(page: page)
    }

    // MARK: Messages

    /// What to send: a template, or a subject and body of its own.
    public enum Content: Sendable {
        case template(String)
        case text(subject: String?, body: String)
    }

    /// Asks for a message now: rendered, screened, judged; queued when allowed.
    public func send(caseID: CaseID, channel: MessageChannel, content: Content, by actor: Principal) throws -> Message {
        try actor.require(.logCaseActivity)
        let debtCase = try cases.visibleCase(caseID, by: actor)
        // A closed case is no longer the agency's to collect (recalled, written off, settled): no
        // message goes out about it. A paid one may still hear from us (a receipt, a thank-you).
        guard debtCase.status != .closed else { throw DomainError.conflict("the case is closed; no message goes out about it") }
        let now = clock.now()
        let messageID: MessageID = ids.make("msg")
        let rendered = try render(content, channel: channel, debtCase: debtCase, extra: [:], messageID: messageID, actor: actor)
        let (subject, body) = (rendered.subject, rendered.body)
        try screen(body + "\n" + (subject ?? ""))
        var contact = ComplianceService.Contact(debtCase: debtCase, at: now, channel: channel.contactChannel)
        contact.messageBody = body
        // Judged and queued in one transaction, on the case as it is then: two requests at once
        // cannot both take the last sms of the week, nor one slip in as the case closes.
        return try transactor.atomically {
            guard let current = try cases.caseForJob(caseID), current.status != .closed else {
                throw DomainError.conflict("the case is closed; no message goes out about it")
            }
            contact.debtCase = current
            if channel == .sms { contact.queued = try store.queuedTimes(caseID: caseID, channel: channel, dueBy: now) }
            let (verdict, target) = try compliance.judge(contact, actorRole: actor.role)
            guard verdict.ok else { throw ComplianceBlock(violations: verdict.violations, nextAllowedAt: verdict.nextAllowedAt) }
            let message = Message(id: messageID, caseID: caseID, channel: channel, to: target.address, subject: subject,
                                  body: body, status: .queued, scheduledFor: now, template: rendered.template, createdBy: actor.userID,
                                  createdAt: now)
            try store.insert(message, audit: Self.queuedAudit(message), event: Self.queuedEvent(message, actor: actor.userID),
                             actor: actor)
            if let link = rendered.portalLink { try portal.record(link, actor: actor) }
            return message
        }
    }

    public enum ReminderKind: String, Sendable { case installment, promise }

    /// The built-in reminder texts; a template named `reminder_installment` or `reminder_promise`
    /// of the chosen channel replaces them.
    static let defaultReminder: [ReminderKind: String] = [
        .installment: "{{debtor.name}}, instalment {{installment.seq}} of {{installment.amount}} to {{case.creditor}} is due on {{installment.due_date}}.",
        .promise: "{{debtor.name}}, the payment of {{promise.amount}} you promised to {{case.creditor}} is due on {{promise.due_date}}.",
    ]

    /// Schedules a reminder (the reminders job): on sms when the debtor consented to sms, else by
    /// e-mail, else not at all. False when this reminder exists already, under `key` or under
    /// `formerKey` (the key the job gave the same reminder before), or cannot be sent.
    public func scheduleReminder(key: String, formerKey: String? = nil, caseID: CaseID, kind: ReminderKind,
                                 values: [String: String], at: Instant) throws -> Bool {
        if let formerKey, try store.hasReminder(key: formerKey) { return false }
        // A closed case is reminded of nothing (its queued messages are suppressed, too).
        guard let debtCase = try cases.caseForJob(caseID), debtCase.status != .closed,
              let debtor = try debtors.debtor(id: debtCase.debtorID) else { return false }
        let channel: MessageChannel
        let to: String
        if let phone = debtor.phones.first(where: { $0.consentSMS }) {
            (channel, to) = (.sms, phone.number)
        } else if let email = debtor.emails.first(where: { !$0.optedOut }) {
            (channel, to) = (.email, email.address)
        } else {
            return false
        }
        let name = "reminder_" + kind.rawValue
        let custom = try templates.template(named: name).flatMap { $0.channel == channel ? $0 : nil }
        let builtIn = Content.text(subject: channel == .email ? "Payment reminder" : nil, body: Self.defaultReminder[kind] ?? "")
        let messageID: MessageID = ids.make("msg")
        // A custom template that cannot be filled for this reminder (one saved before such
        // placeholders were refused) falls back to the built-in text rather than stopping every reminder.
        let rendered = try custom.flatMap { _ in
            try? render(.template(name), channel: channel, debtCase: debtCase, extra: values, messageID: messageID, actor: .system)
        } ?? render(builtIn, channel: channel, debtCase: debtCase, extra: values, messageID: messageID, actor: .system)
        let message = Message(id: messageID, caseID: caseID, channel: channel, to: to, subject: rendered.subject, body: rendered.body,
                              status: .scheduled, scheduledFor: at, template: rendered.template, reminderKey: key,
                              createdBy: Principal.system.userID, createdAt: clock.now())
        // The link is written only with a reminder that is new: a repeated run makes none.
        return try transactor.atomically {
            guard try store.insert(message, audit: Self.queuedAudit(message),
                                   event: Self.queuedEvent(message, actor: Principal.system.userID), actor: .system) else { return false }
            if let link = rendered.portalLink { try portal.record(link, actor: .system) }
            return true
        }
    }

    /// A message text filled in, with the statement link it carries if it uses `{{portal.url}}`.
    struct Rendered {
        let subject: String?
        let body: String
        let template: String?
        let portalLink: IssuedPortalLink?
    }

    private func render(_ content: Content, channel: MessageChannel, debtCase: DebtCase, extra: [String: String],
                        messageID: MessageID, actor: Principal) throws -> Rendered {
        guard let debtor = try debtors.debtor(id: debtCase.debtorID) else {
            throw CorruptDataError("case \(debtCase.id) names a missing debtor")
        }
        var values = extra
        values["debtor.name"] = debtor.name
        values["case.creditor"] = debtCase.creditor
        values["case.currency"] = debtCase.currency
        values["case.external_ref"] = debtCase.externalRef
        values["case.balance_minor"] = String(debtCase.balance.balanceMinor)
        values["case.balance"] = MoneyText.format(debtCase.balance.balanceMinor, currency: debtCase.currency)
        let subject: String?, body: String, templateName: String?
        switch content {
        case .template(let name):
            guard let template = try templates.template(named: name) else { throw ValidationFailure("template", "names no template") }
            guard template.channel == channel else {
                throw ValidationFailure("template", "is a \(template.channel.rawValue) template; the message is \(channel.rawValue)")
            }
            // Saved before e-mail templates needed a subject: an e-mail still needs one.
            if channel == .email, (template.subject ?? "").trimmingSpaces.isEmpty {
                throw ValidationFailure("template", "has no subject, which an e-mail needs")
            }
            (subject, body, templateName) = (template.subject, template.body, name)
        case .text(let textSubject, let textBody):
            try Self.validateText(channel: channel, subject: textSubject, body: textBody).throwIfAny()
            (subject, body, templateName) = (textSubject, textBody, nil)
        }
        var portalLink: IssuedPortalLink?
        if Placeholders.uses("portal.url", in: body) || subject.map({ Placeholders.uses("portal.url", in: $0) }) == true {
            let link = freshPortalLink(caseID: debtCase.id, by: actor, messageID: messageID)
            values["portal.url"] = portal.url(of: link)
            portalLink = link
        }
        let bodyField = templateName == nil ? "body" : "template"
        let subjectField = templateName == nil ? "subject" : "template"
        return Rendered(subject: try subject.map { try Placeholders.render($0, values: values, field: subjectField) },
                        body: try Placeholders.render(body, values: values, field: bodyField), template: templateName,
                        portalLink: portalLink)
    }

    /// A statement link whose URL spells no prohibited term: the screen reads letters across
    /// punctuation, and a random token could, very rarely, contain one and block the message.
    private func freshPortalLink(caseID: CaseID, by actor: Principal, messageID: MessageID) -> IssuedPortalLink {
        let terms = compliance.engine.prohibitedLanguage
        var link = portal.prepare(caseID: caseID, by: actor, messageID: messageID)
        for _ in 0..<8 where !terms.matches(portal.url(of: link)).isEmpty {
            link = portal.prepare(caseID: caseID, by: actor, messageID: messageID)
        }
        return link
    }

    static func queuedAudit(_ message: Message) -> AuditRecord {
        AuditRecord(action: .messageQueued, entity: "message", entityID: message.id, detail: .object([
            ("case_id", .string(message.caseID.rawValue)), ("channel", .string(message.channel.rawValue)),
            ("status", .string(message.status.rawValue)), ("template", message.template.map(JSONValue.string) ?? .null),
            ("scheduled_for", .string(message.scheduledFor.rfc3339)),
        ]))
    }

    static func queuedEvent(_ message: Message, actor: String) -> TimelineEvent {
        TimelineEvent(at: message.createdAt, kind: .message, actor: actor,
                      summary: "Message \(message.status.rawValue) on \(message.channel.rawValue)"
                        + (message.template.map { " (template \($0))" } ?? ""), ref: message.id)
    }

    public func list(_ filter: MessageFilter, page: PageRequest, by actor: Principal) throws -> Page<Message> {
        try actor.require(.readCases)
        if let caseID = filter.caseID { _ = try cases.visibleCase(caseID, by: actor) }
        return try store.messages(filter, scope: CaseScope(actor), page: page)
    }

    public func get(_ id: MessageID, by actor: Principal) throws -> Message {
        guard let message = try store.message(id: id) else { throw DomainError.notFound("message \(id)") }
        // A message of a case the actor cannot see is not found, and its case goes unnamed.
        do { _ = try cases.visibleCase(message.caseID, by: actor) } catch DomainError.notFound {
            throw DomainError.notFound("message \(id)")
        }
        return message
    }
}

/// The compliance gate refused a contact: 422 with the violations (contract §1 errors).
public struct ComplianceBlock: Error, Sendable {
    public let violations: [Violation]
    public let nextAllowedAt: Instant?
    public init(violations: [Violation], nextAllowedAt: Instant?) {
        self.violations = violations
        self.nextAllowedAt = nextAllowedAt
    }
}
