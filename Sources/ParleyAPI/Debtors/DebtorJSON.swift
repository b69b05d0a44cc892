import ParleyCore

/// The wire form of debtors. The national id only ever leaves masked.
enum DebtorJSON {
    static func write(_ debtor: Debtor, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", debtor.id)
        writer.field("external_ref", debtor.externalRef)
        writer.field("name", debtor.name)
        writer.field("timezone", debtor.timezone)
        writer.field("language", debtor.language)
        writer.key("phones")
        ContactJSON.write(debtor.phones, to: &writer)
        writer.key("emails")
        ContactJSON.write(debtor.emails, to: &writer)
        writer.key("address")
        if let address = debtor.address {
            writer.beginObject()
            writer.field("line1", address.line1)
            writer.field("line2", address.line2)
            writer.field("city", address.city)
            writer.field("region", address.region)
            writer.field("postal_code", address.postalCode)
            writer.field("country", address.country)
            writer.endObject()
        } else {
            writer.null()
        }
        writer.field("national_id", debtor.maskedNationalID)
        writer.key("restrictions")
        writeRestrictions(debtor.restrictions, to: &writer)
        writer.field("version", debtor.version)
        writer.field("created_at", debtor.createdAt)
        writer.field("updated_at", debtor.updatedAt)
        writer.endObject()
    }

    static func writeRestrictions(_ r: Restrictions, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("cease_communication", r.ceaseCommunication)
        writer.field("attorney_represented", r.attorneyRepresented)
        writer.field("attorney", r.attorney)
        writer.field("bankruptcy", r.bankruptcy)
        writer.field("deceased", r.deceased)
        writer.field("vulnerable", r.vulnerable)
        writer.field("breathing_space_until", r.breathingSpaceUntil)
        writer.endObject()
    }

    /// Reads a create/patch body into a draft, naming every bad field.
    static func draft(from body: inout JSONBody, creating: Bool) throws -> DebtorService.Draft {
        var draft = DebtorService.Draft()
        if body.has("external_ref") { draft.externalRef = .some(try body.optionalString("external_ref")) }
        if creating || body.has("name") {
            draft.name = try body.optionalString("name")
            if draft.name == nil && (creating || body.value("name") == .null) { body.fail("name", "is required") }
        }
        if creating || body.has("timezone") {
            draft.timezone = try body.optionalString("timezone")
            if draft.timezone == nil && (creating || body.value("timezone") == .null) { body.fail("timezone", "is required") }
        }
        if body.has("language") { draft.language = .some(try body.optionalString("language")) }
        if body.has("national_id") { draft.nationalID = .some(try body.optionalString("national_id")) }
        if let phones = try body.optionalArray("phones") {
            draft.phones = try phones.enumerated().map { index, value in try phone(value, path: "phones[\(index)]", body: &body) }
        }
        if let emails = try body.optionalArray("emails") {
            draft.emails = try emails.enumerated().map { index, value in try email(value, path: "emails[\(index)]", body: &body) }
        }
        if body.has("address") {
            if let address = try body.optionalObject("address") {
                draft.address = .some(Address(
                    line1: try address.optionalString("line1"), line2: try address.optionalString("line2"),
                    city: try address.optionalString("city"), region: try address.optionalString("region"),
                    postalCode: try address.optionalString("postal_code"), country: try address.optionalString("country")))
            } else {
                draft.address = .some(nil)
            }
        }
        if let restrictions = try body.optionalObject("restrictions") {
            var changes = DebtorService.RestrictionChanges()
            changes.ceaseCommunication = try restrictions.optionalBool("cease_communication")
            changes.attorneyRepresented = try restrictions.optionalBool("attorney_represented")
            if let attorney = restrictions.value("attorney") {
                switch attorney {
                case .null, .object, .string: changes.attorney = attorney
                default: throw APIError.badRequest("restrictions.attorney must be an object, a string or null", field: "restrictions.attorney")
                }
            }
            changes.bankruptcy = try restrictions.optionalBool("bankruptcy")
            changes.deceased = try restrictions.optionalBool("deceased")
            changes.vulnerable = try restrictions.optionalBool("vulnerable")
            if restrictions.has("breathing_space_until") {
                if let text = try restrictions.optionalString("breathing_space_until") {
                    if let date = CalendarDate(iso: text) { changes.breathingSpaceUntil = .some(date) } else {
                        body.failPath("restrictions.breathing_space_until", "must be a date YYYY-MM-DD or null")
                    }
                } else {
                    changes.breathingSpaceUntil = .some(nil)
                }
            }
            draft.restrictions = changes
        }
        return draft
    }

    static func phone(_ value: JSONValue, path: String, body: inout JSONBody) throws -> Phone {
        guard case .object(let members) = value else { throw APIError.badRequest("\(path) must be an object", field: path) }
        var phone = JSONBody(object: members, prefix: path)
        let number = try phone.requiredString("number") ?? ""
        let type = try phone.optionalEnum("type", Phone.Kind.self) ?? .mobile
        var calls = true
        var sms = false
        if let consent = try phone.optionalObject("consent") {
            calls = try consent.optionalBool("calls") ?? calls
            sms = try consent.optionalBool("sms") ?? sms
        }
        body.absorb(phone)
        return Phone(number: number, type: type, consentCalls: calls, consentSMS: sms)
    }

    static func email(_ value: JSONValue, path: String, body: inout JSONBody) throws -> Email {
        guard case .object(let members) = value else { throw APIError.badRequest("\(path) must be an object", field: path) }
        var email = JSONBody(object: members, prefix: path)
        let address = try email.requiredString("address") ?? ""
        let optedOut = try email.optionalBool("opted_out") ?? false
        body.absorb(email)
        return Email(address: address, optedOut: optedOut)
    }
}

extension JSONBody {
    /// Takes over the field errors a nested reader collected.
    mutating func absorb(_ nested: JSONBody) {
        for error in nested.failure.errors { failPath(error.field, error.message) }
    }
}
