import ParleyCore
import ParleyTestSupport
import Testing

/// A full disk (a size cap makes SQLite answer SQLITE_FULL exactly as a full disk does): writes
/// answer 503 problem+json with Retry-After, reads keep working, nothing acknowledged is lost, and
/// the server takes writes again once there is room.
@Suite struct StorageFaultTests {
    @Test func aFullDatabaseAnswers503AndLosesNothingAcknowledged() throws {
        try withTemporaryDirectory { directory in
            var acknowledged: [String] = []
            try withTestApp(in: directory, configure: { $0.databaseMaxBytes = 2 * 1_048_576 }) { app in
                let padding = String(repeating: "x", count: 1_500)
                var refused: APIClient.Response?
                for index in 0..<5_000 {
                    let response = try app.admin.post("/v1/debtors", """
                        {"name":"Debtor \(index)","timezone":"Asia/Shanghai","address":{"line1":"\(padding)","country":"CN"}}
                        """)
                    if response.status == 201, let id = response.json["id"]?.string {
                        acknowledged.append(id)
                    } else {
                        refused = response
                        break
                    }
                }
                let full = try #require(refused, "the cap was never reached")
                #expect(full.status == 503)
                #expect(full.headers["Content-Type"] == "application/problem+json")
                #expect(full.headers["Retry-After"] == "30")
                #expect(acknowledged.count > 100)
                // Reads still work while writes cannot.
                #expect(try app.admin.get("/health").status == 200)
                #expect(try app.admin.get("/v1/debtors/\(acknowledged[0])").status == 200)
            }
            // Room again (a larger cap, as after freeing disk space): everything acknowledged is there.
            try withTestApp(in: directory, configure: { $0.databaseMaxBytes = 64 * 1_048_576 }) { app in
                for id in acknowledged { #expect(try app.admin.get("/v1/debtors/\(id)").status == 200) }
                let more = try app.admin.post("/v1/debtors", "{\"name\":\"After\",\"timezone\":\"Asia/Shanghai\"}")
                #expect(more.status == 201)
                #expect(try app.admin.get("/v1/audit/verify")["ok"] == .bool(true))
            }
        }
    }
}
