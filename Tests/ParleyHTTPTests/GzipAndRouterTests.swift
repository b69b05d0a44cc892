import Logging
import ParleyHTTP
import Testing

@Suite struct GzipTests {
    @Test func roundTrip() throws {
        let input = Array(String(repeating: "{\"id\":\"case_01\",\"balance_minor\":125000}", count: 200).utf8)
        let compressed = try #require(Gzip.compress(input))
        #expect(compressed.count < input.count / 5)
        #expect(compressed[0] == 0x1F && compressed[1] == 0x8B)
        #expect(Gzip.decompress(compressed) == input)
    }

    @Test(arguments: [
        ("gzip", true), ("gzip, deflate, br", true), ("deflate", false), ("gzip;q=0", false), ("*", true),
        ("*;q=0", false), ("identity", false), ("br;q=1, gzip;q=0.5", true), ("GZIP", true),
    ])
    func acceptEncoding(_ header: String, _ accepted: Bool) {
        #expect(Gzip.isAccepted(by: header) == accepted)
    }
}

@Suite struct RouterTests {
    func makeResponder() -> RouterResponder {
        let router = Router()
        router.get("/v1/cases/{id}") { _, context in
            HTTPResponse(status: .ok, body: Array("case \(context.parameter("id"))".utf8))
        }
        router.get("/v1/cases/export") { _, _ in HTTPResponse(status: .ok, body: Array("export".utf8)) }
        router.post("/v1/cases/{id}/payments") { _, context in
            HTTPResponse(status: .created, body: Array("paid \(context.parameter("id"))".utf8))
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return router.responder(logger: logger) { error, _ in
            if let error = error as? HTTPError {
                return HTTPResponse(status: error.status, headers: error.headers, body: Array(error.detail.utf8))
            }
            return HTTPResponse(status: .internalServerError)
        }
    }

    func request(_ method: String, _ target: String) -> HTTPRequest {
        var headers = HTTPHeaders()
        headers.add("host", "a")
        return HTTPRequest(head: HTTPRequestHead(method: method, target: target, version: .http1_1, headers: headers), body: [])
    }

    @Test func matchesParametersAndPrefersLiterals() {
        let responder = makeResponder()
        #expect(String(decoding: responder.respond(to: request("GET", "/v1/cases/case_1")).bodyBytes, as: UTF8.self) == "case case_1")
        #expect(String(decoding: responder.respond(to: request("GET", "/v1/cases/export")).bodyBytes, as: UTF8.self) == "export")
        #expect(String(decoding: responder.respond(to: request("GET", "/v1/cases/a%20b?x=1")).bodyBytes, as: UTF8.self) == "case a b")
    }

    @Test func unknownPathIs404AndWrongMethodIs405WithAllow() {
        let responder = makeResponder()
        #expect(responder.respond(to: request("GET", "/v1/nothing")).status.code == 404)
        #expect(responder.respond(to: request("GET", "/v1/cases/")).status.code == 404)
        let wrong = responder.respond(to: request("DELETE", "/v1/cases/case_1"))
        #expect(wrong.status.code == 405)
        #expect(wrong.headers["Allow"] == "GET, HEAD, OPTIONS")
        let options = responder.respond(to: request("OPTIONS", "/v1/cases/c/payments"))
        #expect(options.status.code == 204)
        #expect(options.headers["Allow"] == "OPTIONS, POST")
        let server = responder.respond(to: request("OPTIONS", "*"))
        #expect(server.status.code == 204)
        #expect(server.headers["Allow"] == "GET, HEAD, OPTIONS, POST")  // what the routes answer
        let tunnel = responder.respond(to: request("CONNECT", "example.com:443"))
        #expect(tunnel.status.code == 405)
        #expect(tunnel.headers["Allow"] == "GET, HEAD, OPTIONS, POST")
    }

    /// A literal segment whose branch ends nowhere gives way to the parameter at the same level.
    @Test func aLiteralThatLeadsNowhereFallsBackToTheParameter() {
        let responder = makeResponder()
        let paid = responder.respond(to: request("POST", "/v1/cases/export/payments"))
        #expect(String(decoding: paid.bodyBytes, as: UTF8.self) == "paid export")
        #expect(responder.respond(to: request("POST", "/v1/cases/bad%zz/payments")).status.code == 404)
        #expect(responder.respond(to: request("GET", "/v1/cases//payments")).status.code == 404)
    }

    /// A responder keeps the routes it was made with.
    @Test func routesAddedLaterDoNotReachAnExistingResponder() {
        let router = Router()
        router.get("/v1/a") { _, _ in HTTPResponse(status: .ok) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let responder = router.responder(logger: logger) { _, _ in HTTPResponse(status: .notFound) }
        router.get("/v1/b") { _, _ in HTTPResponse(status: .ok) }
        #expect(responder.respond(to: request("GET", "/v1/a")).status.code == 200)
        #expect(responder.respond(to: request("GET", "/v1/b")).status.code == 404)
    }

    @Test func headIsServedByGet() {
        #expect(makeResponder().respond(to: request("HEAD", "/v1/cases/x")).status.code == 200)
    }
}
