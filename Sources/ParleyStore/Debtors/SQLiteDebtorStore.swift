import ParleyCore
import ParleySQLite

/// Debtors. Invariants: `external_ref` is unique; the national id is stored but never written to
/// the audit log; every restriction change is audited on its own, with old and new values.
public struct SQLiteDebtorStore: DebtorStore {
    let database: DatabasePool

    public init(database: DatabasePool) { self.database = database }

    public func insert(_ debtor: Debtor, actor: Principal) throws {
        do {
            try database.write { db in
                try DebtorRows.insert(debtor, db)
                try AuditLog.append(
                    AuditRecord(action: .debtorCreated, entity: "debtor", entityID: debtor.id,
                                detail: .object([("external_ref", debtor.externalRef.map(JSONValue.string) ?? .null)])),
                    actor: actor, at: debtor.createdAt, in: db)
            }
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw DomainError.conflict("a debtor with external_ref \(debtor.externalRef ?? "") already exists")
        }
    }

    public func debtor(id: String) throws -> Debtor? {
        try database.read { db in
            try db.queryFirst("SELECT" + DebtorRows.columns + "FROM debtor d WHERE d.id = ?", [id], DebtorRows.read)
        }
    }

    public func update(_ debtor: Debtor, expectedVersion: Int64, changedRestrictions: [String], actor: Principal) throws {
        do {
            try database.write { db in
                guard let old = try db.queryFirst("SELECT" + DebtorRows.columns + "FROM debtor d WHERE d.id = ?", [debtor.id],
                                                  DebtorRows.read),
                      old.version == expectedVersion else {
                    throw DomainError.preconditionFailed("debtor \(debtor.id) was changed meanwhile")
                }
                let r = debtor.restrictions
                try db.run("""
                    UPDATE debtor SET external_ref = ?, name = ?, timezone = ?, language = ?, address = ?,
                        national_id = ?, cease_communication = ?, attorney_represented = ?, attorney = ?, bankruptcy = ?,
                        deceased = ?, vulnerable = ?, breathing_space_until = ?, phones = ?, emails = ?, version = ?,
                        updated_at = ?
                    WHERE id = ?
                    """,
                    [debtor.externalRef, debtor.name, debtor.timezone, debtor.language,
                     debtor.address.map(DebtorRows.encodeAddress), debtor.nationalID, r.ceaseCommunication,
                     r.attorneyRepresented, r.attorney == .null ? nil : r.attorney.canonical, r.bankruptcy, r.deceased,
                     r.vulnerable, r.breathingSpaceUntil?.description, DebtorRows.encodePhones(debtor.phones),
                     DebtorRows.encodeEmails(debtor.emails), debtor.version, debtor.updatedAt.millisecondsSinceEpoch, debtor.id])
                try DebtorRows.deleteContacts(old, db)
                try DebtorRows.insertContacts(debtor, db)
                let contactFields = Self.changedContactFields(old, debtor)
                if !contactFields.isEmpty {
                    try AuditLog.append(
                        AuditRecord(action: .debtorUpdated, entity: "debtor", entityID: debtor.id,
                                    detail: .object([("fields", .array(contactFields.map(JSONValue.string)))])),
                        actor: actor, at: debtor.updatedAt, in: db)
                }
                for name in changedRestrictions {
                    try AuditLog.append(
                        AuditRecord(action: .debtorRestrictionChanged, entity: "debtor", entityID: debtor.id, detail: .object([
                            ("restriction", .string(name)), ("from", Self.value(of: name, old.restrictions)),
                            ("to", Self.value(of: name, debtor.restrictions)),
                        ])), actor: actor, at: debtor.updatedAt, in: db)
                    try Self.recordRestrictionEvent(name, debtor, actor: actor, db)
                }
            }
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw DomainError.conflict("a debtor with external_ref \(debtor.externalRef ?? "") already exists")
        }
    }

    /// A restriction change shows on the timeline of each of the debtor's cases.
    static func recordRestrictionEvent(_ name: String, _ debtor: Debtor, actor: Principal, _ db: Connection) throws {
        let summary = "Restriction \(name) set to \(value(of: name, debtor.restrictions).compact)"
        try db.run("""
            INSERT INTO case_event (case_id, at, kind, actor, summary, ref)
            SELECT id, ?, 'restriction_changed', ?, ?, ? FROM debt_case WHERE debtor_id = ?
            """, [debtor.updatedAt.millisecondsSinceEpoch, actor.userID, summary, debtor.id, debtor.id])
    }

    static func changedContactFields(_ old: Debtor, _ new: Debtor) -> [String] {
        var fields: [String] = []
        if old.externalRef != new.externalRef { fields.append("external_ref") }
        if old.name != new.name { fields.append("name") }
        if old.timezone != new.timezone { fields.append("timezone") }
        if old.language != new.language { fields.append("language") }
        if old.phones != new.phones { fields.append("phones") }
        if old.emails != new.emails { fields.append("emails") }
        if old.address != new.address { fields.append("address") }
        if old.nationalID != new.nationalID { fields.append("national_id") }
        return fields
    }

    static func value(of restriction: String, _ r: Restrictions) -> JSONValue {
        switch restriction {
        case "cease_communication": .bool(r.ceaseCommunication)
        case "attorney_represented": .bool(r.attorneyRepresented)
        case "attorney": r.attorney
        case "bankruptcy": .bool(r.bankruptcy)
        case "deceased": .bool(r.deceased)
        case "vulnerable": .bool(r.vulnerable)
        case "breathing_space_until": r.breathingSpaceUntil.map { .string($0.description) } ?? .null
        default: .null
        }
    }

    public func debtors(_ filter: DebtorFilter, scope: CaseScope, page: PageRequest) throws -> Page<Debtor> {
        var sql: SQL = "SELECT" + DebtorRows.columns + "FROM debtor d WHERE d.id > ?"
        var arguments: [any SQLBindable] = [page.after ?? ""]
        if let query = filter.query?.trimmingSpaces, !query.isEmpty {
            // Phone numbers and e-mail addresses are looked up in the contact index only; anything
            // else is an exact external_ref or a part of the name (a scan in id order that stops at
            // the page size).
            let digits = query.hasPrefix("+") ? String(query.dropFirst()) : query
            if !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                sql = sql + "AND (d.external_ref = ? OR d.id IN (SELECT debtor_id FROM debtor_contact WHERE value = ?))"
                arguments += [query, "+" + digits]
            } else if query.contains("@") {
                sql = sql + "AND d.id IN (SELECT debtor_id FROM debtor_contact WHERE value = ?)"
                arguments.append(DebtorRows.fold(query))
            } else if query.utf8.contains(0) {
                // LIKE would end the pattern at the NUL and match everyone; `=` compares every byte.
                sql = sql + "AND d.external_ref = ?"
                arguments.append(query)
            } else {
                sql = sql + "AND (d.external_ref = ? OR d.name LIKE ? ESCAPE '\\')"
                // LIKE folds ASCII letters itself; other letters are matched as stored.
                let escaped = query.replacing("\\", with: "\\\\").replacing("%", with: "\\%").replacing("_", with: "\\_")
                arguments += [query, "%" + escaped + "%"]
            }
        }
        if let segment = filter.segment {
            sql = sql + "AND EXISTS (SELECT 1 FROM debt_case c WHERE c.debtor_id = d.id AND coalesce(c.segment_override, c.segment) = ?)"
            arguments.append(segment)
        }
        if case .own(let userID, let team) = scope {
            sql = sql + "AND EXISTS (SELECT 1 FROM debt_case c WHERE c.debtor_id = d.id AND (c.assigned_to = ? OR c.team = ?))"
            arguments += [userID, team]
        }
        sql = sql + "ORDER BY d.id LIMIT ?"
        arguments.append(page.limit + 1)
        let rows = try database.read { db in try db.query(sql, arguments, DebtorRows.read) }
        return Page(fetched: rows, limit: page.limit) { $0.id }
    }

    public func debtorIsVisible(_ id: String, scope: CaseScope) throws -> Bool {
        guard case .own(let userID, let team) = scope else { return true }
        return try database.read { db in
            try db.queryFirst("SELECT 1 FROM debt_case WHERE debtor_id = ? AND (assigned_to = ? OR team = ?) LIMIT 1",
                              [id, userID, team]) { _ in true } ?? false
        }
    }
}
