import Dispatch
import ParleyCore
import ParleyTestSupport
import Synchronization
import Testing

@Suite struct OpsAPITests {
    @Test func healthReportsStatusVersionUptimeAndDatabase() throws {
        try withTestApp { app in
            let response = try app.client(key: nil).get("/health")
            #expect(response.status == 200)
            #expect(response["status"]?.string == "ok")
            #expect(response["database"]?.string == "ok")
            #expect(response["version"]?.string != nil)
            #expect(response["uptime_seconds"]?.int64 != nil)
            #expect(response.headers["X-Request-Id"] != nil)
        }
    }

    @Test func metricsCountRequestsByRouteAndStatus() throws {
        try withTestApp { app in
            _ = try app.client(key: nil).get("/health")
            _ = try app.client(key: nil).get("/v1/users")
            // A method a client makes up is counted, under `other`, never as a series of its own.
            _ = try app.client(key: nil).request("BREW", "/health")
            // A request refused before routing is counted too, under the route `refused`.
            let raw = try RawClient(port: app.port)
            try raw.send("HEAD /health HTTP/1.1\r\nHost: x\r\nX(y): 1\r\n\r\n")
            #expect(try raw.readStatusLine().hasPrefix("HTTP/1.1 400"))
            let metrics = try app.client(key: nil).get("/metrics")
            #expect(metrics.status == 200)
            #expect(metrics.text.contains(#"parley_http_requests_total{method="GET",route="/health",status="200"} 1"#))
            #expect(metrics.text.contains(#"route="/v1/users",status="401""#))
            // Latency by route and status too: a 401 is not mixed with the route's 200s.
            #expect(metrics.text.contains(#"parley_http_request_duration_seconds_count{route="/health",status="200"} 1"#))
            #expect(metrics.text.contains(#"parley_http_request_duration_seconds_bucket{route="/v1/users",status="401",le="+Inf"} 1"#))
            #expect(metrics.text.contains("parley_http_open_connections"))
            #expect(metrics.text.contains(#"parley_http_requests_total{method="other",route="unmatched",status="405"} 1"#))
            #expect(!metrics.text.contains("BREW"))
            #expect(metrics.text.contains(#"parley_http_requests_total{method="HEAD",route="refused",status="400"} 1"#))
            // The domain's counters are there at 0 before anything happened: alerts can watch them.
            for series in [#"parley_messages_total{status="failed"} 0"#, #"parley_message_delivery_attempts_total{result="failed"} 0"#,
                           #"parley_compliance_verdicts_total{result="blocked"} 0"#, #"parley_money_events_total{event="payment.reversed"} 0"#] {
                #expect(metrics.text.contains(series), "\(series)")
            }
        }
    }

    @Test func unknownRoutesAre404AndWrongMethods405WithAllow() throws {
        try withTestApp { app in
            let missing = try app.admin.get("/v1/nothing-here")
            #expect(missing.status == 404)
            #expect(missing.headers["Content-Type"] == "application/problem+json")
            #expect(missing["status"]?.int64 == 404)
            let wrong = try app.admin.request("DELETE", "/v1/cases")
            #expect(wrong.status == 405)
            #expect(wrong.headers["Allow"] == "GET, HEAD, OPTIONS, POST")
            #expect(wrong.headers["Content-Type"] == "application/problem+json")
            let big = try app.admin.request("POST", "/v1/users", body: Array(repeating: UInt8(ascii: " "), count: 1_100_000),
                                             contentType: "application/json")
            #expect(big.status == 413)
        }
    }

    @Test func unknownMethodsOnKnownPathsAre405WithAllow() throws {
        try withTestApp { app in
            for (method, path, allow) in [("QUERY", "/health", "GET, HEAD, OPTIONS"), ("BREW", "/v1/users", "GET, HEAD, OPTIONS, POST"),
                                          ("TRACE", "/metrics", "GET, HEAD, OPTIONS"), ("get", "/health", "GET, HEAD, OPTIONS"),
                                          ("DELETE", "/health", "GET, HEAD, OPTIONS")] {
                let response = try app.client(key: nil).request(method, path)
                #expect(response.status == 405, "\(method) \(path)")
                #expect(response.headers["Allow"] == allow, "\(method) \(path)")
                #expect(response.headers["Content-Type"] == "application/problem+json")
                #expect(response["status"]?.int64 == 405)
            }
            #expect(try app.client(key: nil).request("QUERY", "/nothing-here").status == 404)
        }
    }

    @Test func requestIDIsEchoedOrGenerated() throws {
        try withTestApp { app in
            let echoed = try app.client(key: nil).get("/health", headers: [("X-Request-Id", "abc-123")])
            #expect(echoed.headers["X-Request-Id"] == "abc-123")
            let generated = try app.client(key: nil).get("/health", headers: [("X-Request-Id", "bad id with spaces")])
            #expect(generated.headers["X-Request-Id"] != "bad id with spaces")
        }
    }
}

@Suite struct AuthAPITests {
    @Test func missingOrInvalidKeyIs401WithChallenge() throws {
        try withTestApp { app in
            for client in [app.client(key: nil), app.client(key: "not-a-key")] {
                let response = try client.get("/v1/users")
                #expect(response.status == 401)
                #expect(response.headers["WWW-Authenticate"]?.hasPrefix("Bearer") == true)
                #expect(response.headers["Content-Type"] == "application/problem+json")
                #expect(response["status"]?.int64 == 401)
            }
        }
    }

    @Test func validKeyWithoutTheRoleIs403() throws {
        try withTestApp { app in
            let agent = try app.admin.createUser(role: "agent", team: "collection").client
            let response = try agent.post("/v1/users", #"{"name":"X","role":"agent"}"#)
            #expect(response.status == 403)
            #expect(try app.client(key: agent.key).get("/v1/users").status == 403)
            #expect(try app.client(key: agent.key).get("/v1/audit").status == 403)
        }
    }

    @Test func deactivatedUsersKeysStopWorkingAtOnce() throws {
        try withTestApp { app in
            let (id, agent) = try app.admin.createUser(role: "agent")
            #expect(try agent.get("/v1/users/\(id)").status == 200)
            #expect(try app.admin.patch("/v1/users/\(id)", #"{"active":false}"#).status == 200)
            #expect(try agent.get("/v1/users/\(id)").status == 401)
            #expect(try app.admin.patch("/v1/users/\(id)", #"{"active":true}"#).status == 200)
            #expect(try agent.get("/v1/users/\(id)").status == 200)
        }
    }

    /// The last active admin can neither lose the role nor be deactivated: nobody could manage
    /// users afterwards. With a second admin, either may step down.
    @Test func theLastActiveAdminStays() throws {
        try withTestApp { app in
            let adminID = try #require(items(try app.admin.get("/v1/users")).first { $0["role"]?.string == "admin" }?["id"]?.string)
            let demoted = try app.admin.patch("/v1/users/\(adminID)", #"{"role":"agent"}"#)
            #expect(demoted.status == 409)
            #expect(try app.admin.patch("/v1/users/\(adminID)", #"{"active":false}"#).status == 409)
            #expect(try app.admin.get("/v1/users/\(adminID)")["role"]?.string == "admin")
            let (otherID, other) = try app.admin.createUser(role: "admin")
            #expect(try app.admin.patch("/v1/users/\(adminID)", #"{"role":"supervisor"}"#).status == 200)
            #expect(try other.patch("/v1/users/\(otherID)", #"{"active":false}"#).status == 409)
        }
    }

    @Test func rotatedKeysWorkSideBySideUntilTheOldOneIsDeleted() throws {
        try withTestApp { app in
            let (id, first) = try app.admin.createUser(role: "analyst")
            let issued = try first.post("/v1/users/\(id)/keys", "{}")
            #expect(issued.status == 201)
            let second = app.client(key: issued["api_key"]?.string)
            let user = try second.get("/v1/users/\(id)")
            #expect(user.status == 200)
            guard case .array(let keys)? = user["keys"] else { Issue.record("no keys"); return }
            #expect(keys.count == 2)
            #expect(keys.allSatisfy { $0["last4"]?.string?.count == 4 })
            #expect(!user.text.contains(first.key!))
            let firstKeyID = try #require(keys.first?["id"]?.string)
            #expect(try first.get("/v1/users/\(id)").status == 200)
            #expect(try second.delete("/v1/users/\(id)/keys/\(firstKeyID)").status == 204)
            #expect(try first.get("/v1/users/\(id)").status == 401)
            #expect(try second.get("/v1/users/\(id)").status == 200)
            #expect(try second.delete("/v1/users/\(id)/keys/\(firstKeyID)").status == 404)
        }
    }

    @Test func usersCannotTouchOtherUsersKeys() throws {
        try withTestApp { app in
            let (_, agent) = try app.admin.createUser(role: "agent")
            let (otherID, _) = try app.admin.createUser(role: "agent")
            // The rights table: other users' keys are admin-only, so 403 (not 404).
            #expect(try agent.post("/v1/users/\(otherID)/keys", "{}").status == 403)
            #expect(try agent.delete("/v1/users/\(otherID)/keys/key_x").status == 403)
            // No body is needed to issue a key, but one that is sent must be JSON.
            let (ownID, own) = try app.admin.createUser(role: "agent")
            #expect(try own.request("POST", "/v1/users/\(ownID)/keys", body: Array("hello".utf8), contentType: "text/plain").status == 415)
            #expect(try own.request("POST", "/v1/users/\(ownID)/keys", body: Array("hello".utf8), contentType: "application/json").status == 400)
            #expect(try own.request("POST", "/v1/users/\(ownID)/keys").status == 201)
            #expect(try own.request("POST", "/v1/users/\(ownID)/keys", body: [], contentType: "application/json").status == 201)
            // The right is checked first: another user's keys are 403, whatever the body.
            #expect(try own.request("POST", "/v1/users/\(otherID)/keys", body: Array("hello".utf8), contentType: "text/plain").status == 403)
            #expect(try agent.get("/v1/users/\(otherID)").status == 403)
            #expect(try agent.get("/v1/users/usr_01M8Q0ZW2R8CBDMEAQ8J52AEK9").status == 403)
        }
    }
}

@Suite struct UsersAPITests {
    @Test func createGetAndPatchWithETags() throws {
        try withTestApp { app in
            let created = try app.admin.post("/v1/users", #"{"name":"Li Wei","role":"supervisor","team":"collection"}"#)
            #expect(created.status == 201)
            #expect(created["api_key"]?.string?.hasPrefix("pk_") == true)
            let id = try #require(created["id"]?.string)
            #expect(id.hasPrefix("usr_"))
            #expect(created.headers["Location"] == "/v1/users/\(id)")
            let fetched = try app.admin.get("/v1/users/\(id)")
            #expect(fetched["team"]?.string == "collection")
            #expect(fetched["api_key"] == nil)
            #expect(fetched.headers["ETag"] == "\"1\"")

            let stale = try app.admin.patch("/v1/users/\(id)", #"{"team":"legal"}"#, headers: [("If-Match", "\"7\"")])
            #expect(stale.status == 412)
            let patched = try app.admin.patch("/v1/users/\(id)", #"{"team":null,"role":"compliance"}"#, headers: [("If-Match", "\"1\"")])
            #expect(patched.status == 200)
            #expect(patched["team"] == .null)
            #expect(patched["role"]?.string == "compliance")
            #expect(patched.headers["ETag"] == "\"2\"")
        }
    }

    @Test func validationNamesEveryFailingField() throws {
        try withTestApp { app in
            let missing = try app.admin.post("/v1/users", #"{"role":"boss"}"#)
            #expect(missing.status == 422)
            let fields = Set(missing.json["errors"].flatMap { value -> [String]? in
                guard case .array(let items) = value else { return nil }
                return items.compactMap { $0["field"]?.string }
            } ?? [])
            #expect(fields == ["name", "role"])

            #expect(try app.admin.post("/v1/users", #"{"name":5,"role":"agent"}"#).status == 400)
            #expect(try app.admin.post("/v1/users", #"{"name":"A","role":"agent""#).status == 400)
            #expect(try app.admin.request("POST", "/v1/users", body: Array(#"{"name":"A","role":"agent"}"#.utf8),
                                          contentType: "text/plain").status == 415)
            #expect(try app.admin.post("/v1/users", #"{"name":"   ","role":"agent"}"#).status == 422)
            #expect(try app.admin.request("POST", "/v1/users").status == 400)
            #expect(try app.admin.request("POST", "/v1/users", body: Array("name=x".utf8), contentType: nil).status == 415)
            // JSON is UTF-8 (RFC 8259 §8.1): a body declared in another charset is refused, not misread.
            let body = Array(#"{"name":"Zoë","role":"agent"}"#.utf8)
            #expect(try app.admin.request("POST", "/v1/users", body: body, contentType: "application/json; charset=latin1").status == 415)
            #expect(try app.admin.request("POST", "/v1/users", body: body, contentType: "application/json; charset=\"UTF-8\"").status == 201)
        }
    }

    @Test func idempotencyKeyReplaysTheFirstResponseExactly() throws {
        try withTestApp { app in
            let body = #"{"name":"Once","role":"agent"}"#
            let first = try app.admin.post("/v1/users", body, headers: [("Idempotency-Key", "k-1")])
            let again = try app.admin.post("/v1/users", body, headers: [("Idempotency-Key", "k-1")])
            #expect(first.status == 201)
            #expect(again.status == 201)
            #expect(again.body == first.body)
            let different = try app.admin.post("/v1/users", #"{"name":"Twice","role":"agent"}"#, headers: [("Idempotency-Key", "k-1")])
            #expect(different.status == 422)
            let list = try app.admin.get("/v1/users?limit=200")
            guard case .array(let users)? = list["data"] else { Issue.record("no data"); return }
            #expect(users.filter { $0["name"]?.string == "Once" }.count == 1)
            // Keys are scoped to the path: the same key elsewhere is a new request.
            let otherPath = try app.admin.post("/v1/users/\(first["id"]!.string!)/keys", "{}", headers: [("Idempotency-Key", "k-1")])
            #expect(otherPath.status == 201)
        }
    }

    @Test func paginationWalksEveryItemOnceWhileInsertsHappen() throws {
        try withTestApp { app in
            for index in 0..<20 { _ = try app.admin.createUser(name: "U\(index)", role: "agent") }
            var seen: [String] = []
            var cursor: String?
            var inserted = 0
            repeat {
                let path = "/v1/users?limit=7" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try app.admin.get(path)
                #expect(page.status == 200)
                guard case .array(let items)? = page["data"] else { Issue.record("no data"); return }
                seen += items.compactMap { $0["id"]?.string }
                cursor = page["next_cursor"]?.string
                if cursor != nil && inserted < 5 {  // inserted while the walk is still going
                    _ = try app.admin.createUser(name: "Late\(inserted)", role: "agent")
                    inserted += 1
                }
            } while cursor != nil
            #expect(seen.count == Set(seen).count)
            #expect(seen == seen.sorted())
            #expect(seen.count == 1 + 20 + inserted)
            #expect(try app.admin.get("/v1/users?limit=0").status == 422)
            #expect(try app.admin.get("/v1/users?limit=201").status == 422)
            #expect(try app.admin.get("/v1/users?cursor=!!!").status == 422)
            // A cursor of another list, or one naming no id at all, is not this list's.
            func encoded(_ key: String) -> String {
                Hashing.base64URL(Array(key.utf8))
            }
            let debtor = try app.admin.post("/v1/debtors", #"{"name":"Ada","timezone":"UTC"}"#)
            let debtorID = try #require(debtor["id"]?.string)
            let foreign = try app.admin.get("/v1/users?cursor=\(encoded(debtorID))")
            #expect(foreign.status == 422)
            #expect(foreign["errors"]?.compact == #"[{"field":"cursor","message":"is not a cursor of this list"}]"#)
            #expect(try app.admin.get("/v1/users?cursor=\(encoded("usr_ZZZZ"))").status == 422)
            #expect(try app.admin.get("/v1/debtors?cursor=\(encoded(debtorID))").status == 200)
            #expect(try app.admin.get("/v1/audit?cursor=\(encoded("seven"))").status == 422)
            #expect(try app.admin.get("/v1/audit?cursor=\(encoded("7"))").status == 200)
        }
    }

    @Test func sixteenConcurrentWritersLoseNothing() throws {
        try withTestApp { app in
            let failures = Atomic<Int>(0)
            let admin = app.admin
            DispatchQueue.concurrentPerform(iterations: 16) { worker in
                for index in 0..<5 {
                    let status = (try? admin.post("/v1/users", "{\"name\":\"W\(worker)-\(index)\",\"role\":\"agent\"}").status) ?? 0
                    if status != 201 { failures.wrappingAdd(1, ordering: .relaxed) }
                }
            }
            #expect(failures.load(ordering: .relaxed) == 0)
            let list = try app.admin.get("/v1/users?limit=200")
            guard case .array(let users)? = list["data"] else { Issue.record("no data"); return }
            #expect(users.count == 81)
            let verify = try app.admin.get("/v1/audit/verify")
            #expect(verify["ok"] == .bool(true))
            #expect(verify["entries"]?.int64 == 81)
        }
    }
}
