import ParleyCore
import ParleySQLite

/// Debtors. Invariants: `external_ref` is unique; the national id is stored but never written to
/// the audit log. The service decides the audit entries and timeline events; this persists them.
public struct SQLiteDebtorStore: DebtorStore {
    let database: DatabasePool

    public init(database: DatabasePool) { self.database = database }

    public func insert(_ debtor: Debtor, audit: AuditRecord, actor: Principal) throws {
        do {
            try database.write { db in
                try DebtorRows.insert(debtor, db)
                try AuditLog.append(audit, actor: actor, at: debtor.createdAt, in: db)
            }
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw DomainError.conflict("a debtor with external_ref \(debtor.externalRef ?? "") already exists")
        }
    }

    public func debtor(id: DebtorID) throws -> Debtor? {
        try database.read { db in
            try db.queryFirst("SELECT" + DebtorRows.columns + "FROM debtor d WHERE d.id = ?", [id], DebtorRows.read)
        }
    }

    public func update(_ debtor: Debtor, expectedVersion: Int64, audit: [AuditRecord], eventsOnEveryCase: [TimelineEvent],
                       actor: Principal) throws {
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
                try DebtorRows.replaceContacts(of: old, with: debtor, db)
                try AuditLog.append(audit, actor: actor, at: debtor.updatedAt, in: db)
                for event in eventsOnEveryCase {
                    try db.run("""
                        INSERT INTO case_event (case_id, at, kind, actor, summary, ref)
                        SELECT id, ?, ?, ?, ?, ? FROM debt_case WHERE debtor_id = ?
                        """, [event.at.millisecondsSinceEpoch, event.kind.rawValue, event.actor, event.summary, event.ref, debtor.id])
                }
            }
        } catch let error as SQLiteError where error.isUniqueViolation {
            throw DomainError.conflict("a debtor with external_ref \(debtor.externalRef ?? "") already exists")
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
                // Digits without the plus may also be part of a name ("Unit 2024").
                let inName = !query.hasPrefix("+")
                sql = sql + "AND (d.external_ref = ? OR" + DebtorRows.hasContact + (inName ? "OR d.name LIKE ?)" : ")")
                arguments += [query, "+" + digits]
                if inName { arguments.append("%" + query + "%") }
            } else if query.contains("@") {
                // An address, or an external_ref that contains `@`.
                sql = sql + "AND (d.external_ref = ? OR" + DebtorRows.hasContact + ")"
                arguments += [query, DebtorRows.fold(query)]
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

    public func debtorIsVisible(_ id: DebtorID, scope: CaseScope) throws -> Bool {
        guard case .own(let userID, let team) = scope else { return true }
        return try database.read { db in
            try db.queryFirst("SELECT 1 FROM debt_case WHERE debtor_id = ? AND (assigned_to = ? OR team = ?) LIMIT 1",
                              [id, userID, team]) { _ in true } ?? false
        }
    }
}
