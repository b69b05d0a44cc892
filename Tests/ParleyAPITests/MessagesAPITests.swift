import Glibc
import ParleyCore
import ParleyHTTP
import ParleyTestSupport
import Synchronization
import Testing

/// A loopback webhook receiver: records every delivery and answers with `status`.
final class WebhookReceiver: HTTPResponder {
    let status: Atomic<Int>
    private let received = Mutex<[(key: String?, body: JSONValue)]>([])

    init(status: Int) { self.status = Atomic(status) }

    func bodyLimit(for head: HTTPRequestHead) -> Int? { nil }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        let body = (try? JSONParser.parse(request.body)) ?? .null
        received.withLock { $0.append((request.headers["idempotency-key"], body)) }
        return HTTPResponse(status: HTTPStatus(status.load(ordering: .relaxed)))
    }

    var deliveries: [(key: String?, body: JSONValue)] { received.withLock { $0 } }
}

func readText(_ path: String) -> String {
    guard let file = fopen(path, "rb") else { return "" }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes += buffer[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

@Suite struct TemplatesAPITests {
    @Test func templatesAreValidatedScreenedAndVersioned() throws {
        try withTestApp { app in
            let (_, compliance) = try app.admin.createUser(role: "compliance")
            let (_, agent) = try app.admin.createUser(role: "agent")
            let created = try compliance.request("PUT", "/v1/templates/reminder_due",
                                                 json: #"{"channel":"sms","body":"{{debtor.name}}, {{case.balance}} is due to {{case.creditor}}."}"#)
            #expect(created.status == 201)
            #expect(created.headers["ETag"] == "\"1\"")
            let replaced = try compliance.request("PUT", "/v1/templates/reminder_due",
                                                  json: #"{"channel":"sms","body":"Hello {{debtor.name}}"}"#)
            #expect(replaced.status == 200)
            #expect(replaced["version"]?.int64 == 2)
            let unknown = try compliance.request("PUT", "/v1/templates/bad", json: #"{"channel":"sms","body":"Hi {{debtor.nmae}}"}"#)
            #expect(unknown.status == 422)
            #expect(unknown.text.contains("debtor.nmae"))
            let noSubject = try compliance.request("PUT", "/v1/templates/mail", json: #"{"channel":"email","body":"Hi"}"#)
            #expect(noSubject.status == 422)
            #expect(noSubject["errors"]?.compact == #"[{"field":"subject","message":"an e-mail template needs a subject"}]"#)
            let threat = try compliance.request("PUT", "/v1/templates/threat", json: #"{"channel":"sms","body":"Pay or we will have you arrested"}"#)
            #expect(threat.status == 422)
            guard case .array(let violations)? = threat["violations"] else { Issue.record("no violations"); return }
            #expect(violations.first?["rule"]?.string == "prohibited_language")
            #expect(try agent.request("PUT", "/v1/templates/x", json: #"{"channel":"sms","body":"Hi"}"#).status == 403)
            #expect(try agent.get("/v1/templates/reminder_due")["body"]?.string == "Hello {{debtor.name}}")
            #expect(items(try agent.get("/v1/templates")).count == 1)
            #expect(try agent.get("/v1/templates/missing").status == 404)
        }
    }

    /// A reminder template can only use what its kind of reminder fills in.
    @Test func aReminderTemplateWithTheOtherKindsPlaceholderIsRefused() throws {
        try withTestApp { app in
            let wrong = try app.admin.request("PUT", "/v1/templates/reminder_promise",
                                              json: #"{"channel":"sms","body":"{{debtor.name}}, pay {{promise.amount}} for {{installment.seq}}"}"#)
            #expect(wrong.status == 422)
            #expect(wrong["errors"]?.compact == #"[{"field":"body","message":"reminders of a promise have no value for {{installment.seq}}"}]"#)
            let right = try app.admin.request("PUT", "/v1/templates/reminder_installment",
                                              json: #"{"channel":"sms","body":"{{debtor.name}}, {{installment.amount}} is due on {{installment.due_date}}"}"#)
            #expect(right.status == 201)
            let other = try app.admin.request("PUT", "/v1/templates/promise_note",
                                              json: #"{"channel":"sms","body":"{{installment.seq}} and {{promise.amount}}"}"#)
            #expect(other.status == 201)  // only reminder_* templates are tied to a kind
        }
    }

    @Test func ifMatchOnATemplateThatDoesNotExistIsAlways412() throws {
        try withTestApp { app in
            let body = #"{"channel":"sms","body":"Hello {{debtor.name}}"}"#
            for tag in ["\"0\"", "\"1\"", "\"0\", \"1\""] {
                #expect(try app.admin.request("PUT", "/v1/templates/fresh", json: body, headers: [("If-Match", tag)]).status == 412, "\(tag)")
            }
            #expect(try app.admin.get("/v1/templates/fresh").status == 404)
            let created = try app.admin.request("PUT", "/v1/templates/fresh", json: body, headers: [("If-Match", "*")])
            #expect(created.status == 201)
            #expect(try app.admin.request("PUT", "/v1/templates/fresh", json: body, headers: [("If-Match", "\"1\"")]).status == 200)
        }
    }
}

@Suite struct MessagesAPITests {
    static let inHours = "2026-11-20T15:00:00Z"  // 10:00 in New York

    /// Queued sms count as the contacts they will be: the fourth in a week is refused when asked
    /// for, not queued to be suppressed later; e-mail has no such limit.
    @Test func queuedSMSCountTowardsTheWeeklyLimitWhenAnotherIsAskedFor() throws {
        try withTestApp(clock: TestClock(Self.inHours).clock) { app in
            let caseID = try makeUSCase(app.admin)
            for _ in 1...3 {
                #expect(try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"sms","body":"Please call us"}"#).status == 202)
            }
            let fourth = try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"sms","body":"Please call us"}"#)
            #expect(fourth.status == 422)
            guard case .array(let violations)? = fourth["violations"] else { Issue.record("no violations"); return }
            #expect(violations.map { $0["rule"]?.string } == ["sms_frequency"])
            #expect(violations.first?["next_allowed_at"]?.string == "2026-11-27T15:00:00Z")
            #expect(items(try app.admin.get("/v1/cases/\(caseID)/messages")).count == 3)
            // A closed case takes no message at all.
            #expect(try app.admin.post("/v1/cases/\(caseID)/transitions", #"{"to":"closed","reason":"recalled"}"#).status == 200)
            #expect(try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"email","subject":"Hi","body":"Hello"}"#).status == 409)
            // Those queued before the close do not go out either.
            #expect(try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"2026-11-20T15:00:05Z"}"#)["result"]?["suppressed"]?.int64 == 3)
            let queued = items(try app.admin.get("/v1/cases/\(caseID)/messages"))
            #expect(queued.allSatisfy { $0["status"]?.string == "suppressed" && $0["last_error"]?.string == "no longer due: the case is closed" })
        }
    }

    @Test func aQueuedMessageIsDispatchedToTheOutboxAndBecomesACommunication() throws {
        let time = TestClock(Self.inHours)
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeUSCase(app.admin)
            #expect(try app.admin.request("PUT", "/v1/templates/reminder_due",
                                          json: #"{"channel":"sms","body":"{{debtor.name}}: {{case.balance}} due to {{case.creditor}}"}"#).status == 201)
            let queued = try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"sms","template":"reminder_due"}"#)
            #expect(queued.status == 202)
            #expect(queued["status"]?.string == "queued")
            #expect(queued["body"]?.string == "Pat Doe: $1,000.00 due to Acme Bank")
            let messageID = try #require(queued["id"]?.string)
            let run = try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"2026-11-20T15:00:05Z"}"#)
            #expect(run.status == 200)
            #expect(run["result"]?["sent"]?.int64 == 1)
            let sent = try app.admin.get("/v1/messages/\(messageID)")
            #expect(sent["status"]?.string == "sent")
            #expect(sent["attempts"]?.int64 == 1)
            let outbox = readText(app.directory + "/outbox.jsonl")
            #expect(outbox.contains("\"message_id\":\"\(messageID)\""))
            #expect(outbox.contains("\"to\":\"+12125550100\""))
            let record = items(try app.admin.get("/v1/cases/\(caseID)/communications"))
            #expect(record.count == 1)
            #expect(record.first?["channel"]?.string == "sms")
            #expect(record.first?["outcome"]?.string == "sent")
            #expect(items(try app.admin.get("/v1/messages?case_id=\(caseID)&status=sent")).count == 1)
            // The case's own list of its messages (contract §15 readable sub-resources).
            #expect(items(try app.admin.get("/v1/cases/\(caseID)/messages")).compactMap { $0["id"]?.string } == [messageID])
            #expect(items(try app.admin.get("/v1/cases/\(caseID)/messages?status=queued")).isEmpty)
            // Nothing is due any more.
            #expect(try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"2026-11-20T15:10:00Z"}"#)["result"]?["sent"]?.int64 == 0)
            // An agent who cannot see the case does not find the message, nor learn its case.
            let (_, outsider) = try app.admin.createUser(role: "agent", team: "elsewhere")
            let hidden = try outsider.get("/v1/messages/\(messageID)")
            #expect(hidden.status == 404)
            #expect(!hidden.text.contains(caseID))
        }
    }

    @Test func aBlockedMessageIsRefusedWithItsViolations() throws {
        let time = TestClock("2026-11-21T03:30:00Z")  // 22:30 in New York
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeUSCase(app.admin)
            let late = try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"sms","body":"Please call us back."}"#)
            #expect(late.status == 422)
            guard case .array(let violations)? = late["violations"] else { Issue.record("no violations"); return }
            #expect(violations.first?["rule"]?.string == "contact_hours")
            #expect(late["next_allowed_at"]?.string == "2026-11-21T13:00:00Z")
            #expect(try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"email","body":"x"}"#).status == 422)
            #expect(try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"sms"}"#).status == 422)
        }
    }

    @Test func aMessageBlockedAtSendTimeIsSuppressed() throws {
        let time = TestClock(Self.inHours)
        try withTestApp(clock: time.clock) { app in
            let caseID = try makeUSCase(app.admin)
            let queued = try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"email","subject":"Your account","body":"Hello"}"#)
            #expect(queued.status == 202)
            let debtorID = try #require(try app.admin.get("/v1/cases/\(caseID)")["debtor_id"]?.string)
            #expect(try app.admin.patch("/v1/debtors/\(debtorID)", #"{"restrictions":{"cease_communication":true}}"#).status == 200)
            let run = try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"2026-11-20T15:01:00Z"}"#)
            #expect(run["result"]?["suppressed"]?.int64 == 1)
            let message = try app.admin.get("/v1/messages/\(queued["id"]?.string ?? "")")
            #expect(message["status"]?.string == "suppressed")
            guard case .array(let violations)? = message["violations"] else { Issue.record("no violations"); return }
            #expect(violations.contains { $0["rule"]?.string == "cease_communication" })
            #expect(items(try app.admin.get("/v1/cases/\(caseID)/communications")).isEmpty)
        }
    }

    @Test func aWebhookReceivesThePayloadWithTheMessageIDAsIdempotencyKey() throws {
        let receiver = WebhookReceiver(status: 204)
        let time = TestClock(Self.inHours)
        try withHTTPServer(responder: receiver) { hook in
            try withTestApp(configure: { $0.messageWebhookURL = "http://127.0.0.1:\(hook.port)/hook" }, clock: time.clock) { app in
                let caseID = try makeUSCase(app.admin)
                let queued = try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"email","subject":"Hi","body":"Your plan"}"#)
                let messageID = try #require(queued["id"]?.string)
                #expect(try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"2026-11-20T15:00:01Z"}"#)["result"]?["sent"]?.int64 == 1)
                let deliveries = receiver.deliveries
                #expect(deliveries.count == 1)
                #expect(deliveries.first?.key == messageID)
                #expect(deliveries.first?.body["message_id"]?.string == messageID)
                #expect(deliveries.first?.body["channel"]?.string == "email")
                #expect(deliveries.first?.body["to"]?.string == "pat@example.com")
                #expect(deliveries.first?.body["subject"]?.string == "Hi")
                #expect(deliveries.first?.body["body"]?.string == "Your plan")
            }
        }
    }

    /// A server whose messages go to `receiver`, with a US case and an sms queued on it (in hours).
    private func withQueuedSMS(_ receiver: WebhookReceiver, logs: CapturedLogs = CapturedLogs(),
                               _ body: (TestApp, _ messageID: String) throws -> Void) throws {
        let time = TestClock(Self.inHours)
        try withHTTPServer(responder: receiver) { hook in
            try withTestApp(configure: { $0.messageWebhookURL = "http://127.0.0.1:\(hook.port)/hook" }, clock: time.clock,
                            logger: logs.logger()) { app in
                let caseID = try makeUSCase(app.admin)
                let queued = try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"sms","body":"Please call us"}"#)
                try body(app, try #require(queued["id"]?.string))
            }
        }
    }

    @Test func aFailingWebhookGetsFiveAttemptsWithBackoffThenTheMessageFails() throws {
        let receiver = WebhookReceiver(status: 500)
        let logs = CapturedLogs()
        try withQueuedSMS(receiver, logs: logs) { app, messageID in
            // Retries are due 1, 2, 4 and 8 s (± 10 %) after each failure; as_of decides which are due.
            var at = Instant(rfc3339: "2026-11-20T15:00:00Z")!
            for attempt in 1...5 {
                _ = try app.admin.post("/v1/jobs/dispatch/run", "{\"as_of\":\"\(at.rfc3339)\"}")
                let message = try app.admin.get("/v1/messages/\(messageID)")
                #expect(message["attempts"]?.int64 == Int64(attempt))
                // Not due again just before the earliest retry time.
                let early = at.adding(seconds: Int64(1 << (attempt - 1))).millisecondsSinceEpoch - Int64(100 << (attempt - 1)) - 1
                if attempt < 5 {
                    _ = try app.admin.post("/v1/jobs/dispatch/run", "{\"as_of\":\"\(Instant(millisecondsSinceEpoch: early).rfc3339)\"}")
                    #expect(try app.admin.get("/v1/messages/\(messageID)")["attempts"]?.int64 == Int64(attempt))
                }
                at = at.adding(seconds: Int64(2 << (attempt - 1)))
            }
            let failed = try app.admin.get("/v1/messages/\(messageID)")
            #expect(failed["status"]?.string == "failed")
            #expect(failed["next_attempt_at"] == .null)  // no attempt ahead
            #expect(receiver.deliveries.count == 5)
            #expect(Set(receiver.deliveries.map(\.key)) == [messageID])
            _ = try app.admin.post("/v1/jobs/dispatch/run", "{\"as_of\":\"\(at.adding(seconds: 60).rfc3339)\"}")
            #expect(receiver.deliveries.count == 5)
            let metrics = try app.admin.get("/metrics").text
            #expect(metrics.contains("parley_message_delivery_attempts_total{result=\"failed\"} 5"))
            #expect(metrics.contains("parley_job_runs_total{job=\"dispatch\",result=\"ok\"}"))
            // The operator finds each failed attempt in the logs, and the last one as final; the
            // recipient and the text stay out of them.
            let lines = logs.text.split(separator: "\n").filter { $0.contains(messageID) }
            #expect(lines.filter { $0.contains("it will be tried again") }.count == 4)
            #expect(lines.filter { $0.contains("message delivery failed for good") }.count == 1)
            #expect(!logs.text.contains("+12125550100") && !logs.text.contains("Please call us"))
        }
    }

    /// A webhook nobody listens on: the attempt fails with a reason an operator can act on.
    @Test func aWebhookNobodyListensOnFailsWithAPlainReason() throws {
        var closedPort = 0
        try withHTTPServer(responder: WebhookReceiver(status: 204)) { closedPort = $0.port }
        try withTestApp(configure: { $0.messageWebhookURL = "http://127.0.0.1:\(closedPort)/hook" },
                        clock: TestClock(Self.inHours).clock) { app in
            let caseID = try makeUSCase(app.admin)
            let queued = try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"sms","body":"Please call us"}"#)
            let messageID = try #require(queued["id"]?.string)
            _ = try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"2026-11-20T15:00:00Z"}"#)
            let message = try app.admin.get("/v1/messages/\(messageID)")
            #expect(message["attempts"]?.int64 == 1)
            #expect(message["last_error"]?.string == "webhook: connection refused")
        }
    }

    /// A retry that is delivered leaves no attempt ahead on the message.
    @Test func aMessageSentOnARetryHasNoNextAttempt() throws {
        let receiver = WebhookReceiver(status: 503)
        try withQueuedSMS(receiver) { app, messageID in
            _ = try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"2026-11-20T15:00:00Z"}"#)
            let waiting = try app.admin.get("/v1/messages/\(messageID)")
            #expect(waiting["status"]?.string == "queued")
            #expect(waiting["next_attempt_at"]?.string != nil)
            receiver.status.store(200, ordering: .relaxed)
            _ = try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"2026-11-20T15:00:05Z"}"#)
            let sent = try app.admin.get("/v1/messages/\(messageID)")
            #expect(sent["status"]?.string == "sent")
            #expect(sent["attempts"]?.int64 == 2)
            #expect(sent["next_attempt_at"] == .null)
        }
    }

    @Test func jobsAreForAdminsAndUnknownJobsAre404() throws {
        try withTestApp { app in
            let (_, supervisor) = try app.admin.createUser(role: "supervisor")
            #expect(try supervisor.post("/v1/jobs/dispatch/run", "{}").status == 403)
            #expect(try app.admin.post("/v1/jobs/nonsense/run", "{}").status == 404)
            #expect(try app.admin.post("/v1/jobs/dispatch/run", #"{"as_of":"never"}"#).status == 422)
            #expect(try app.admin.request("POST", "/v1/jobs/dispatch/run").status == 200)
        }
    }
}

@Suite struct MessageTargetTests {
    /// Contract §15: without a `to`, the debtor's first number, consented or not; one without sms
    /// consent is refused rather than replaced by a later number.
    @Test func withoutAToTheFirstNumberIsUsedAndJudged() throws {
        let time = TestClock("2026-11-20T15:00:00Z")
        try withTestApp(clock: time.clock) { app in
            let debtor = try app.admin.post("/v1/debtors", """
                {"name":"Two Phones","timezone":"America/New_York",
                 "phones":[{"number":"+12125550101","type":"home","consent":{"calls":true,"sms":false}},
                           {"number":"+12125550102","type":"mobile","consent":{"calls":true,"sms":true}}]}
                """)
            let debtorID = try #require(debtor["id"]?.string)
            let created = try app.admin.post("/v1/cases", """
                {"debtor_id":"\(debtorID)","creditor":"Acme","external_ref":"TP-1","currency":"USD","principal_minor":1000,
                 "delinquent_since":"2026-06-01","jurisdiction":"US"}
                """)
            let caseID = try #require(created["id"]?.string)
            let refused = try app.admin.post("/v1/cases/\(caseID)/messages", #"{"channel":"sms","body":"Please call us."}"#)
            #expect(refused.status == 422)
            guard case .array(let violations)? = refused["violations"] else { Issue.record("no violations"); return }
            let rules = violations.compactMap { $0["rule"]?.string }
            #expect(rules.contains("channel_consent"))
            let check = try app.admin.post("/v1/compliance/check", #"{"case_id":"\#(caseID)","channel":"phone"}"#)
            #expect(check["allowed"] == .bool(true))
            let sms = try app.admin.post("/v1/compliance/check", #"{"case_id":"\#(caseID)","channel":"sms"}"#)
            #expect(sms["allowed"] == .bool(false))
            let logged = try app.admin.post("/v1/cases/\(caseID)/communications", """
                {"channel":"sms","direction":"outbound","outcome":"delivered","occurred_at":"2026-11-20T15:00:00Z"}
                """)
            #expect(logged["to"]?.string == "+12125550101")
            #expect(logged["compliance"]?["ok"] == .bool(false))
        }
    }
}
