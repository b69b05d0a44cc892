import ParleyCore
import ParleySQLite

/// Reading and writing debtor rows; the one place their columns are listed. Phones and e-mails
/// are stored as JSON arrays in the row (they are always read with it), and every number and
/// folded address is also in `debtor_contact`, the index that search uses.
enum DebtorRows {
    static let columns: SQL = """
        d.id, d.external_ref, d.name, d.timezone, d.language, d.address, d.national_id, d.cease_communication,
        d.attorney_represented, d.attorney, d.bankruptcy, d.deceased, d.vulnerable, d.breathing_space_until,
        d.version, d.created_at, d.updated_at, d.phones, d.emails
        """

    static func read(_ row: Row) throws -> Debtor {
        try Debtor(
            id: row.identifier(0), externalRef: row.stringOrNil(1), name: row.string(2), timezone: row.string(3),
            language: row.stringOrNil(4), phones: decodePhones(row.string(17)), emails: decodeEmails(row.string(18)),
            address: row.jsonOrNil(5).map(decodeAddress), nationalID: row.stringOrNil(6),
            restrictions: restrictions(row, from: 7), version: row.int(14),
            createdAt: Instant(millisecondsSinceEpoch: row.int(15)), updatedAt: Instant(millisecondsSinceEpoch: row.int(16)))
    }

    /// Restrictions from seven consecutive columns starting at `offset`.
    static func restrictions(_ row: Row, from offset: Int32) throws -> Restrictions {
        var restrictions = Restrictions()
        restrictions.ceaseCommunication = row.bool(offset)
        restrictions.attorneyRepresented = row.bool(offset + 1)
        restrictions.attorney = try row.jsonOrNil(offset + 2) ?? .null
        restrictions.bankruptcy = row.bool(offset + 3)
        restrictions.deceased = row.bool(offset + 4)
        restrictions.vulnerable = row.bool(offset + 5)
        restrictions.breathingSpaceUntil = try row.dateOrNil(offset + 6)
        return restrictions
    }

    static func insert(_ debtor: Debtor, _ db: Connection) throws {
        let r = debtor.restrictions
        try db.run("""
            INSERT INTO debtor (id, external_ref, name, timezone, language, address, national_id,
                cease_communication, attorney_represented, attorney, bankruptcy, deceased, vulnerable, breathing_space_until,
                phones, emails, version, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [debtor.id, debtor.externalRef, debtor.name, debtor.timezone, debtor.language,
             debtor.address.map(encodeAddress), debtor.nationalID, r.ceaseCommunication, r.attorneyRepresented,
             r.attorney == .null ? nil : r.attorney.canonical, r.bankruptcy, r.deceased, r.vulnerable,
             r.breathingSpaceUntil?.description, encodePhones(debtor.phones), encodeEmails(debtor.emails),
             debtor.version, debtor.createdAt.millisecondsSinceEpoch, debtor.updatedAt.millisecondsSinceEpoch])
        try insertContacts(debtor, db)
    }

    static func contactValues(_ debtor: Debtor) -> [String] {
        debtor.phones.map(\.number) + debtor.emails.map { fold($0.address) }
    }

    /// The generation new contacts are written in: the debtor table's highest rowid divided by
    /// 16,384. Contacts written together land together in the index, so a bulk import touches the
    /// newest generation's pages instead of pages all over an index keyed by value (Migration0013).
    static let contactGeneration: SQL = "(SELECT coalesce(max(rowid), 0) >> 14 FROM debtor)"

    /// Every generation in use, for a lookup by value: one index seek per generation.
    static let contactGenerations: SQL = """
        (WITH RECURSIVE generations(n) AS (
            VALUES (0) UNION ALL SELECT n + 1 FROM generations
            WHERE n < (SELECT coalesce(max(generation), 0) FROM debtor_contact))
        SELECT n FROM generations)
        """

    /// `d.id` has one of its contacts equal to the bound value.
    static let hasContact: SQL = "d.id IN (SELECT debtor_id FROM debtor_contact WHERE generation IN" + contactGenerations
        + "AND value = ?)"

    static let insertContact: SQL = ("INSERT OR IGNORE INTO debtor_contact (generation, value, debtor_id) VALUES ("
        + contactGeneration + ", ?, ?)").kept

    static let deleteContact: SQL = ("DELETE FROM debtor_contact WHERE generation IN" + contactGenerations
        + "AND value = ? AND debtor_id = ?").kept

    static func insertContacts(_ debtor: Debtor, _ db: Connection) throws {
        for value in contactValues(debtor) {
            try db.run(insertContact, [value, debtor.id])
        }
    }

    /// Brings the index from `old`'s contacts to `new`'s, touching only the values that changed
    /// (a delete seeks every generation; most changes to a debtor leave its contacts alone).
    static func replaceContacts(of old: Debtor, with new: Debtor, _ db: Connection) throws {
        let before = Set(contactValues(old)), after = Set(contactValues(new))
        for value in before.subtracting(after) {
            try db.run(deleteContact, [value, old.id])
        }
        for value in after.subtracting(before) {
            try db.run(insertContact, [value, new.id])
        }
    }

    /// Lower-cased for case-insensitive search.
    static func fold(_ text: String) -> String {
        text.utf8.allSatisfy({ $0 < 0x41 || ($0 > 0x5A && $0 < 0x80) }) ? text : text.lowercased()
    }

    static func encodePhones(_ phones: [Phone]) -> String {
        guard !phones.isEmpty else { return "[]" }
        var writer = JSONWriter(capacity: 96 * phones.count)
        ContactJSON.write(phones, to: &writer)
        return writer.string
    }

    static func decodePhones(_ text: String) throws -> [Phone] {
        if let phones = StoredContactScanner.phones(text) { return phones }
        return try decodeArray(text, "phones").map { item in
            guard let number = item["number"]?.string, let type = item["type"]?.string.flatMap(Phone.Kind.init(rawValue:)) else {
                throw CorruptDataError("a stored phone has no number or an unknown type")
            }
            return Phone(number: number, type: type,
                         consentCalls: item["consent"]?["calls"] == .bool(true), consentSMS: item["consent"]?["sms"] == .bool(true))
        }
    }

    private static func decodeArray(_ text: String, _ what: String) throws -> [JSONValue] {
        if text == "[]" { return [] }
        guard case .array(let items)? = try? JSONParser.parse(Array(text.utf8)) else {
            throw CorruptDataError("stored \(what) are not a JSON array")
        }
        return items
    }

    static func encodeEmails(_ emails: [Email]) -> String {
        guard !emails.isEmpty else { return "[]" }
        var writer = JSONWriter(capacity: 64 * emails.count)
        ContactJSON.write(emails, to: &writer)
        return writer.string
    }

    static func decodeEmails(_ text: String) throws -> [Email] {
        if let emails = StoredContactScanner.emails(text) { return emails }
        return try decodeArray(text, "e-mails").map { item in
            guard let address = item["address"]?.string else { throw CorruptDataError("a stored e-mail has no address") }
            return Email(address: address, optedOut: item["opted_out"] == .bool(true))
        }
    }

    static func encodeAddress(_ address: Address) -> String {
        func value(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return JSONValue.object([
            ("line1", value(address.line1)), ("line2", value(address.line2)), ("city", value(address.city)),
            ("region", value(address.region)), ("postal_code", value(address.postalCode)), ("country", value(address.country)),
        ]).canonical
    }

    static func decodeAddress(_ value: JSONValue) -> Address {
        Address(line1: value["line1"]?.string, line2: value["line2"]?.string, city: value["city"]?.string,
                       region: value["region"]?.string, postalCode: value["postal_code"]?.string, country: value["country"]?.string)
    }
}
