import ParleyCore
import ParleySQLite

/// Reading and writing debtor rows; the one place their columns are listed.
enum DebtorRows {
    static let columns: SQL = """
        d.id, d.external_ref, d.name, d.timezone, d.language, d.address, d.national_id, d.cease_communication,
        d.attorney_represented, d.attorney, d.bankruptcy, d.deceased, d.vulnerable, d.breathing_space_until,
        d.version, d.created_at, d.updated_at
        """

    static func read(_ row: Row, _ db: Connection) throws -> Debtor {
        let id = row.string(0)
        return Debtor(
            id: id, externalRef: row.stringOrNil(1), name: row.string(2), timezone: row.string(3), language: row.stringOrNil(4),
            phones: try phones(of: id, db), emails: try emails(of: id, db), address: row.stringOrNil(5).flatMap(decodeAddress),
            nationalID: row.stringOrNil(6), restrictions: restrictions(row, from: 7), version: row.int(14),
            createdAt: Instant(millisecondsSinceEpoch: row.int(15)), updatedAt: Instant(millisecondsSinceEpoch: row.int(16)))
    }

    /// Restrictions from seven consecutive columns starting at `offset`.
    static func restrictions(_ row: Row, from offset: Int32) -> Restrictions {
        var restrictions = Restrictions()
        restrictions.ceaseCommunication = row.bool(offset)
        restrictions.attorneyRepresented = row.bool(offset + 1)
        restrictions.attorney = row.stringOrNil(offset + 2).flatMap { try? JSONParser.parse(Array($0.utf8)) } ?? .null
        restrictions.bankruptcy = row.bool(offset + 3)
        restrictions.deceased = row.bool(offset + 4)
        restrictions.vulnerable = row.bool(offset + 5)
        restrictions.breathingSpaceUntil = row.stringOrNil(offset + 6).flatMap(CalendarDate.init(iso:))
        return restrictions
    }

    static func phones(of id: String, _ db: Connection) throws -> [Phone] {
        try db.query("SELECT number, type, consent_calls, consent_sms FROM debtor_phone WHERE debtor_id = ? ORDER BY position", [id]) {
            Phone(number: $0.string(0), type: Phone.Kind(rawValue: $0.string(1)) ?? .other, consentCalls: $0.bool(2), consentSMS: $0.bool(3))
        }
    }

    static func emails(of id: String, _ db: Connection) throws -> [Email] {
        try db.query("SELECT address, opted_out FROM debtor_email WHERE debtor_id = ? ORDER BY position", [id]) {
            Email(address: $0.string(0), optedOut: $0.bool(1))
        }
    }

    static func insert(_ debtor: Debtor, _ db: Connection) throws {
        let r = debtor.restrictions
        try db.run("""
            INSERT INTO debtor (id, external_ref, name, name_folded, timezone, language, address, national_id,
                cease_communication, attorney_represented, attorney, bankruptcy, deceased, vulnerable, breathing_space_until,
                version, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [debtor.id, debtor.externalRef, debtor.name, fold(debtor.name), debtor.timezone, debtor.language,
             debtor.address.map(encodeAddress), debtor.nationalID, r.ceaseCommunication, r.attorneyRepresented,
             r.attorney == .null ? nil : r.attorney.canonical, r.bankruptcy, r.deceased, r.vulnerable,
             r.breathingSpaceUntil?.description, debtor.version, debtor.createdAt.millisecondsSinceEpoch,
             debtor.updatedAt.millisecondsSinceEpoch])
        try insertContacts(debtor, db)
    }

    static func insertContacts(_ debtor: Debtor, _ db: Connection) throws {
        for (position, phone) in debtor.phones.enumerated() {
            try db.run("INSERT INTO debtor_phone (debtor_id, position, number, type, consent_calls, consent_sms) VALUES (?, ?, ?, ?, ?, ?)",
                       [debtor.id, position, phone.number, phone.type.rawValue, phone.consentCalls, phone.consentSMS])
        }
        for (position, email) in debtor.emails.enumerated() {
            try db.run("INSERT INTO debtor_email (debtor_id, position, address, address_folded, opted_out) VALUES (?, ?, ?, ?, ?)",
                       [debtor.id, position, email.address, fold(email.address), email.optedOut])
        }
    }

    /// Lower-cased for case-insensitive search (ASCII and the common Latin letters).
    static func fold(_ text: String) -> String { text.lowercased() }

    static func encodeAddress(_ address: Address) -> String {
        func value(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return JSONValue.object([
            ("line1", value(address.line1)), ("line2", value(address.line2)), ("city", value(address.city)),
            ("region", value(address.region)), ("postal_code", value(address.postalCode)), ("country", value(address.country)),
        ]).canonical
    }

    static func decodeAddress(_ text: String) -> Address? {
        guard let value = try? JSONParser.parse(Array(text.utf8)) else { return nil }
        return Address(line1: value["line1"]?.string, line2: value["line2"]?.string, city: value["city"]?.string,
                       region: value["region"]?.string, postalCode: value["postal_code"]?.string, country: value["country"]?.string)
    }
}
