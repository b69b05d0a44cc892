import ParleyCore
import ParleySQLite

/// Templates, keyed by name; every save is audited.
public struct SQLiteTemplateStore: TemplateStore {
    let database: DatabasePool
    public init(database: DatabasePool) { self.database = database }

    static func read(_ row: Row) throws -> Template {
        try Template(name: row.string(0), channel: row.value(1, as: MessageChannel.self), subject: row.stringOrNil(2),
                     body: row.string(3), version: row.int(4), updatedAt: row.instant(5), updatedBy: row.string(6))
    }

    public func template(named name: String) throws -> Template? {
        try database.read { db in
            try db.queryFirst("SELECT name, channel, subject, body, version, updated_at, updated_by FROM template WHERE name = ?",
                              [name], Self.read)
        }
    }

    public func templates(page: PageRequest) throws -> Page<Template> {
        let rows = try database.read { db in
            try db.query("""
                SELECT name, channel, subject, body, version, updated_at, updated_by FROM template WHERE name > ? ORDER BY name LIMIT ?
                """, [page.after ?? "", page.limit + 1], Self.read)
        }
        return Page(fetched: rows, limit: page.limit) { $0.name }
    }

    public func save(_ template: Template, expectedVersion: Int64?, audit: AuditRecord, actor: Principal) throws {
        try database.write { db in
            let changed: Int
            if let expectedVersion {
                changed = try db.run("""
                    UPDATE template SET channel = ?, subject = ?, body = ?, version = ?, updated_at = ?, updated_by = ?
                    WHERE name = ? AND version = ?
                    """, [template.channel.rawValue, template.subject, template.body, template.version,
                          template.updatedAt.millisecondsSinceEpoch, template.updatedBy, template.name, expectedVersion])
            } else {
                changed = try db.run("""
                    INSERT INTO template (name, channel, subject, body, version, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (name) DO NOTHING
                    """, [template.name, template.channel.rawValue, template.subject, template.body, template.version,
                          template.updatedAt.millisecondsSinceEpoch, template.updatedBy])
            }
            guard changed == 1 else { throw DomainError.preconditionFailed("template \(template.name) was changed meanwhile") }
            try AuditLog.append(audit, actor: actor, at: template.updatedAt, in: db)
        }
    }
}
