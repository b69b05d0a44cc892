import ParleyCore
import ParleySQLite
import ParleyTestSupport
import Testing

@Suite struct AuditAPITests {
    @Test func mutationsAreAuditedAndTheChainVerifies() throws {
        try withTestApp { app in
            let (id, _) = try app.admin.createUser(role: "compliance")
            _ = try app.admin.patch("/v1/users/\(id)", #"{"team":"risk"}"#)
            let entries = try app.admin.get("/v1/audit?entity_id=\(id)")
            guard case .array(let items)? = entries["data"] else { Issue.record("no data"); return }
            #expect(items.compactMap { $0["action"]?.string } == ["user.created", "user.updated"])
            #expect(items.allSatisfy { $0["hash"]?.string?.count == 64 })
            let adminID = try #require(items.first?["actor"]?.string)
            #expect(adminID.hasPrefix("usr_"))
            let verify = try app.admin.get("/v1/audit/verify")
            #expect(verify["ok"] == .bool(true))
            #expect(verify["entries"]?.int64 == 3)
            #expect(try app.admin.get("/v1/audit?from=not-a-date").status == 422)
        }
    }

    @Test func verifyFindsATamperedEntry() throws {
        try withTestApp { app in
            for index in 0..<3 { _ = try app.admin.createUser(name: "T\(index)", role: "agent") }
            // Someone with file access rewrites history (the triggers must be dropped first).
            let tamper = try DatabasePool(configuration: DatabaseConfiguration(path: app.directory + "/parley.db"))
            try tamper.write { db in
                try db.execute("DROP TRIGGER audit_log_no_update")
                try db.run("UPDATE audit_log SET detail = ? WHERE seq = 3", [#"{"name":"Mallory"}"#])
            }
            let verify = try app.admin.get("/v1/audit/verify")
            #expect(verify["ok"] == .bool(false))
            #expect(verify["broken_at_seq"]?.int64 == 3)
            #expect(verify["entries"]?.int64 == 4)
        }
    }

    @Test func theAuditLogRefusesUpdatesAndDeletes() throws {
        try withTestApp { app in
            let pool = try DatabasePool(configuration: DatabaseConfiguration(path: app.directory + "/parley.db"))
            #expect(throws: SQLiteError.self) { try pool.write { try $0.run("DELETE FROM audit_log") } }
            #expect(throws: SQLiteError.self) { try pool.write { try $0.run("UPDATE audit_log SET actor = 'x'") } }
        }
    }
}
