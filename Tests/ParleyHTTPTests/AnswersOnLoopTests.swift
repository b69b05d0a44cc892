import Foundation
import Logging
import ParleyHTTP
import ParleyTestSupport
import Testing

/// A route registered `answersOnLoop` is answered by the event loop's own thread; every other route
/// by a handler thread; the two kinds keep their order on one connection.
@Suite(.serialized) struct AnswersOnLoopTests {
    /// The name of the thread answering, as the response body.
    private static func threadName() -> [UInt8] {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "unknown"
        return Array(name.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
    }

    private func makeResponder() -> RouterResponder {
        let router = Router()
        router.get("/on-loop", answersOnLoop: true) { _, _ in HTTPResponse(status: .ok, body: Self.threadName()) }
        router.get("/on-handler") { _, _ in HTTPResponse(status: .ok, body: Self.threadName()) }
        router.get("/not-on-loop", answersOnLoop: false) { _, _ in HTTPResponse(status: .ok, body: Self.threadName()) }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return router.responder(logger: logger) { _, _ in HTTPResponse(status: .internalServerError) }
    }

    private func head(_ method: String, _ target: String) -> HTTPRequestHead {
        var headers = HTTPHeaders()
        headers.add("host", "a")
        return HTTPRequestHead(method: method, target: target, version: .http1_1, headers: headers)
    }

    @Test func onlyTheMarkedPathsGetAndHeadAnswerOnTheLoop() {
        let responder = makeResponder()
        #expect(responder.answersOnLoop(head("GET", "/on-loop")))
        #expect(responder.answersOnLoop(head("GET", "/on-loop?verbose=1")))
        #expect(responder.answersOnLoop(head("HEAD", "/on-loop")))
        #expect(!responder.answersOnLoop(head("POST", "/on-loop")))
        #expect(!responder.answersOnLoop(head("GET", "/on-handler")))
        #expect(!responder.answersOnLoop(head("GET", "/not-on-loop")))
        #expect(!responder.answersOnLoop(head("GET", "/on-loop/more")))
    }

    @Test func theLoopAnswersItsRoutesAndHandlersTheRestInOrder() throws {
        try withHTTPServer(responder: makeResponder()) { server in
            let client = try RawClient(port: server.port)
            // Pipelined: a handler's answer, the loop's, a handler's, the loop's, on one connection.
            try client.send("GET /on-handler HTTP/1.1\r\nHost: x\r\n\r\nGET /on-loop HTTP/1.1\r\nHost: x\r\n\r\n"
                            + "GET /on-handler HTTP/1.1\r\nHost: x\r\n\r\nGET /on-loop HTTP/1.1\r\nHost: x\r\n\r\n")
            var names: [String] = []
            for _ in 0..<4 {
                let response = try client.readResponse()
                #expect(response.status == 200)
                names.append(response.text)
            }
            #expect(names[0].hasPrefix("parley-handler"))
            #expect(names[1].hasPrefix("parley-http-"))
            #expect(names[2].hasPrefix("parley-handler"))
            #expect(names[3].hasPrefix("parley-http-"))
            // Twenty pipelined at once: sixteen answered by the loop, the next by a handler (the loop
            // turns to its other connections), then the loop again.
            try client.send(String(repeating: "GET /on-loop HTTP/1.1\r\nHost: x\r\n\r\n", count: 20))
            var burst: [String] = []
            for _ in 0..<20 { burst.append(try client.readResponse().text) }
            #expect(burst[0..<16].allSatisfy { $0.hasPrefix("parley-http-") }, "\(burst)")
            #expect(burst[16].hasPrefix("parley-handler"), "\(burst)")
            try client.send("HEAD /on-loop HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let head = try client.readResponse(head: true)
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
        }
    }
}
