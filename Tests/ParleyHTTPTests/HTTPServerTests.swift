import Dispatch
import Foundation
import Glibc
import ParleyHTTP
import ParleyTestSupport
import Testing

/// A responder for server tests, independent of Parley's API.
struct EchoResponder: HTTPResponder {
    /// Holds `/slow` until the test opens it, so a test knows when a request is in flight.
    var slowGate = Gate()

    func bodyLimit(for head: HTTPRequestHead) -> Int? { head.path == "/upload" ? 64 * 1024 : nil }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        var headers = HTTPHeaders()
        switch request.path {
        case "/echo", "/upload":
            headers.add("Content-Type", "text/plain")
            return HTTPResponse(status: .ok, headers: headers, body: request.body)
        case "/big":
            headers.add("Content-Type", "application/json")
            return HTTPResponse(status: .ok, headers: headers, body: Array(("[" + Array(repeating: "{\"k\":\"value\"}", count: 300).joined(separator: ",") + "]").utf8))
        case "/slow":
            slowGate.pass()
            return HTTPResponse(status: .ok, body: Array("slow done".utf8))
        case "/hugestream":
            headers.add("Content-Type", "text/csv")
            let row = Array(repeating: UInt8(ascii: "x"), count: 64 * 1024)
            return HTTPResponse(status: .ok, headers: headers, stream: .stream({ write in
                for _ in 0..<512 { try write(row[...]) }  // 32 MiB
            }))
        case "/empty":
            return HTTPResponse(status: .noContent)
        case "/stream":
            headers.add("Content-Type", "text/csv")
            return HTTPResponse(status: .ok, headers: headers, stream: .stream({ write in
                for index in 0..<1000 { try write(Array("row,\(index)\n".utf8)[...]) }
            }))
        default:
            return HTTPResponse(status: .ok, body: Array("hello \(request.method) \(request.head.target)".utf8))
        }
    }
}

@Suite(.serialized) struct HTTPServerTests {
    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let client = try RawClient(port: server.port)
            for index in 0..<3 {
                try client.send("GET /r\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try client.readResponse()
                #expect(response.status == 200)
                #expect(response.text == "hello GET /r\(index)")
                #expect(response.headers["Date"] != nil)
                #expect(response.headers["Content-Length"] == String(response.body.count))
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let responder = EchoResponder()
        try withHTTPServer(responder: responder) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nthird")
            try #require(waitUntil { responder.slowGate.arrivals == 1 })
            // While the first request is held, the second must not overtake it.
            #expect(client.receivesNothing(within: 100))
            responder.slowGate.open()
            #expect(try client.readResponse().text == "slow done")
            #expect(try client.readResponse().text == "hello GET /second")
            #expect(try client.readResponse().text == "third")
        }
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let plain = try RawClient(port: server.port)
            try plain.send("GET /a HTTP/1.0\r\n\r\n")
            let first = try plain.readResponse()
            #expect(first.statusLine.hasPrefix("HTTP/1.1 200"))
            #expect(first.headers["Connection"] == "close")
            #expect(plain.isClosedByPeer())

            let keepAlive = try RawClient(port: server.port)
            try keepAlive.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            #expect(try keepAlive.readResponse().headers["Connection"] == "keep-alive")
            try keepAlive.send("GET /b HTTP/1.0\r\n\r\n")
            #expect(try keepAlive.readResponse().text == "hello GET /b")
        }
    }

    @Test func connectionCloseIsHonoured() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(try client.readResponse().headers["Connection"] == "close")
            #expect(client.isClosedByPeer())
        }
    }

    @Test func headAnswersWithoutABodyButWithItsLength() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let client = try RawClient(port: server.port)
            try client.send("HEAD /abc HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            let head = try client.readResponse(head: true)
            #expect(head.headers["Content-Length"] == String("hello HEAD /abc".utf8.count))
            #expect(try client.readResponse().text == "hello GET /after")  // no stray body bytes in between
        }
    }

    @Test func noContentHasNoBodyAndNoLength() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /empty HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 204)
            #expect(response.headers["Content-Length"] == nil)
        }
    }

    @Test func chunkedRequestBodyIsDecoded() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nTrailer: yes\r\n\r\n")
            #expect(try client.readResponse().text == "Wikipedia")
        }
    }

    @Test func expectContinueGetsAnInterimResponseBeforeTheBody() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n")
            let interim = try client.readResponse()
            #expect(interim.status == 100)
            try client.send("body")
            #expect(try client.readResponse().text == "body")
        }
    }

    @Test func expectContinueOverTheLimitIs413WithoutContinue() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n")
            #expect(try client.readResponse().status == 413)
        }
    }

    @Test func unknownExpectationIs417() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nExpect: teapot\r\n\r\nx")
            #expect(try client.readResponse().status == 417)
        }
    }

    @Test func oversizedBodyIs413BeforeItIsRead() throws {
        try withHTTPServer(responder: EchoResponder(), configure: { $0.limits.maxBodyBytes = 1024 }) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413)
            #expect(response.headers["Content-Type"] == "application/problem+json")
            #expect(response.headers["Connection"] == "close")
            // A route may allow more than the default.
            let upload = try RawClient(port: server.port)
            let body = String(repeating: "u", count: 5000)
            try upload.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n" + body)
            #expect(try upload.readResponse().body.count == 5000)
        }
    }

    @Test func longRequestLineIs414AndBigHeadersAre431() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let long = try RawClient(port: server.port)
            try long.send("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try long.readResponse().status == 414)
            let big = try RawClient(port: server.port)
            try big.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 33 * 1024) + "\r\n\r\n")
            #expect(try big.readResponse().status == 431)
        }
    }

    @Test func malformedRequestIs400ProblemAndCloses() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 400)
            #expect(response.text.contains("\"status\":400"))
            #expect(client.isClosedByPeer())
        }
    }

    @Test func anUnknownMethodIsRoutedAndAMalformedOneIs400() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let client = try RawClient(port: server.port)
            try client.send("QUERY /q HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
            #expect(try client.readResponse().text == "hello QUERY /q")
            try client.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().text == "hello GET /after")
            for method in ["GE(T", "G\u{7F}T", "[GET]"] {
                let malformed = try RawClient(port: server.port)
                try malformed.send("\(method) / HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try malformed.readResponse()
                #expect(response.status == 400, "\(method)")
                #expect(malformed.isClosedByPeer())
            }
        }
    }

    @Test func unsupportedVersionIs505() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/2.0\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 505)
        }
    }

    @Test func gzipIsUsedWhenAcceptedAndWorthIt() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /big HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br\r\n\r\n")
            let compressed = try client.readResponse()
            #expect(compressed.headers["Content-Encoding"] == "gzip")
            #expect(compressed.headers["Vary"] == "Accept-Encoding")
            let plain = try #require(Gzip.decompress(compressed.body))
            try client.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
            let uncompressed = try client.readResponse()
            #expect(uncompressed.headers["Content-Encoding"] == nil)
            #expect(uncompressed.headers["Vary"] == "Accept-Encoding")
            #expect(uncompressed.body == plain)
            try client.send("GET /small HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
            #expect(try client.readResponse().headers["Content-Encoding"] == nil)
        }
    }

    @Test func streamedBodyIsChunked() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.headers["Transfer-Encoding"] == "chunked")
            let lines = response.text.split(separator: "\n")
            #expect(lines.count == 1000)
            #expect(lines.last == "row,999")
            try client.send("GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().text == "hello GET /after")
        }
    }

    @Test func aStreamWithoutKeepAliveEndsWithTheConnection() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            #expect(server.openConnections == 0)
            let client = try RawClient(port: server.port, timeoutSeconds: 2)
            try client.send("GET /stream HTTP/1.0\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.headers["Transfer-Encoding"] == nil)
            #expect(response.text.split(separator: "\n").count == 1000)
            #expect(client.isClosedByPeer())
        }
    }

    @Test func headerTimeoutAnswers408() throws {
        try withHTTPServer(responder: EchoResponder(), configure: { $0.headerTimeout = .milliseconds(200) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\n")  // never finishes the header section
            #expect(try client.readResponse().status == 408)
            #expect(client.isClosedByPeer())
        }
    }

    @Test func bodyTimeoutAnswers408() throws {
        try withHTTPServer(responder: EchoResponder(), configure: { $0.bodyTimeout = .milliseconds(200) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
            #expect(try client.readResponse().status == 408)
        }
    }

    @Test func idleKeepAliveConnectionIsClosed() throws {
        try withHTTPServer(responder: EchoResponder(), configure: { $0.idleTimeout = .milliseconds(200) }) { server in
            let client = try RawClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().status == 200)
            #expect(client.isClosedByPeer())
        }
    }

    @Test func oneAddressCannotHoldMoreThanItsShare() throws {
        try withHTTPServer(responder: EchoResponder(), configure: { $0.maxConnectionsPerAddress = 2 }) { server in
            let first = try RawClient(port: server.port)
            let second = try RawClient(port: server.port)
            try first.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n")
            try second.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try first.readResponse().status == 200)
            #expect(try second.readResponse().status == 200)
            let refused = try RawClient(port: server.port).readResponse()
            #expect(refused.status == 503)
            #expect(String(decoding: refused.body, as: UTF8.self).contains("your address"))
            // A slot frees when a connection closes.
            try first.send("GET /3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            _ = try first.readResponse()
            let served = try waitUntil(pollingEvery: .milliseconds(20)) {
                let next = try RawClient(port: server.port)
                try next.send("GET /4 HTTP/1.1\r\nHost: x\r\n\r\n")
                return (try? next.readResponse().status) == 200
            }
            #expect(served)
        }
    }

    @Test func atTheLimitTheLongestIdleConnectionMakesRoom() throws {
        try withHTTPServer(responder: EchoResponder(), configure: { $0.maxConnections = 3; $0.eventLoopCount = 1 }) { server in
            let first = try RawClient(port: server.port)
            let second = try RawClient(port: server.port)
            try first.send("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try first.readResponse().status == 200)
            try second.send("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try second.readResponse().status == 200)
            // Connected but not yet asking: left to its header timeout, never shed.
            let fresh = try RawClient(port: server.port)
            #expect(waitUntil { server.openConnections == 3 })
            // The fourth client is served, and the first (idle the longest) is closed.
            let fourth = try RawClient(port: server.port)
            try fourth.send("GET /4 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try fourth.readResponse().status == 200)
            #expect(first.isClosedByPeer())
            for (client, path) in [(second, "/2b"), (fresh, "/3")] {
                try client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try client.readResponse().status == 200)
            }
        }
    }

    @Test func connectionsBeyondTheLimitAreRefusedWith503WhenNoneIsIdle() throws {
        try withHTTPServer(responder: EchoResponder(), configure: { $0.maxConnections = 2; $0.eventLoopCount = 1 }) { server in
            // Two connections in the middle of a request (headers not finished): neither is idle.
            let first = try RawClient(port: server.port)
            let second = try RawClient(port: server.port)
            try first.send("GET /1 HTTP/1.1\r\nHost: x\r\n")
            try second.send("GET /2 HTTP/1.1\r\nHost: x\r\n")
            #expect(waitUntil { server.openConnections == 2 })
            let third = try RawClient(port: server.port)
            let refused = try third.readResponse()
            #expect(refused.status == 503)
            #expect(refused.headers["Connection"] == "close")
        }
    }

    @Test func manyIdleConnectionsDoNotBlockANewClient() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            var idle: [RawClient] = []
            for _ in 0..<500 { idle.append(try RawClient(port: server.port)) }
            let client = try RawClient(port: server.port)
            try client.send("GET /served HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try client.readResponse().text == "hello GET /served")
            #expect(server.openConnections >= 500)
            _ = idle
        }
    }

    @Test func aHalfClosedClientStillGetsItsAnswerAndAnAbandonedBodyIsDropped() throws {
        try withHTTPServer(responder: EchoResponder(), configure: { $0.bodyTimeout = .seconds(30) }) { server in
            let complete = try RawClient(port: server.port)
            try complete.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok")
            shutdown(complete.fd, Int32(SHUT_WR))
            #expect(try complete.readResponse().text == "ok")
            #expect(complete.isClosedByPeer())
            // A body that will never arrive: the server closes at the client's FIN, not after 30 s.
            let abandoned = try RawClient(port: server.port, timeoutSeconds: 2)
            try abandoned.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly a little")
            shutdown(abandoned.fd, Int32(SHUT_WR))
            #expect(abandoned.isClosedByPeer())
        }
    }

    @Test func streamsToReadersThatDoNotReadDoNotHoldUpOtherRequests() throws {
        try withHTTPServer(responder: EchoResponder(), configure: { $0.writeTimeout = .milliseconds(1_500) }) { server in
            // Each of these downloads is far bigger than the socket buffers and nobody reads it, so
            // every stream waits on its client for the whole write timeout.
            var stalled: [RawClient] = []
            for _ in 0..<12 {
                let client = try RawClient(port: server.port)
                try client.send("GET /hugestream HTTP/1.1\r\nHost: x\r\n\r\n")
                stalled.append(client)
            }
            // Every stream is under way (its head is out) before the quick requests are sent.
            for client in stalled { #expect(try client.readStatusLine() == "HTTP/1.1 200 OK") }
            for index in 0..<8 {
                let quick = try RawClient(port: server.port)
                try quick.send("GET /quick\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try quick.readResponse().text == "hello GET /quick\(index)")
            }
            _ = stalled
        }
    }

    @Test func streamsBeyondTheLimitAreRefusedWith503() throws {
        try withHTTPServer(responder: EchoResponder(), configure: {
            $0.maxConcurrentStreams = 1
            $0.writeTimeout = .milliseconds(1_000)
        }) { server in
            let first = try RawClient(port: server.port)
            try first.send("GET /hugestream HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try first.readStatusLine() == "HTTP/1.1 200 OK")  // the stream holds the only slot now
            let second = try RawClient(port: server.port)
            try second.send("GET /hugestream HTTP/1.1\r\nHost: x\r\n\r\n")
            let refused = try second.readResponse()
            #expect(refused.status == 503)
            #expect(refused.headers["Retry-After"] == "5")
            _ = first
        }
    }

    @Test func gracefulShutdownFinishesTheRequestInFlight() throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let responder = EchoResponder()
        let server = try HTTPServer(configuration: configuration, responder: responder, logger: testLogger())
        try server.start()
        let client = try RawClient(port: server.port)
        let idle = try RawClient(port: server.port)
        try idle.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try idle.readResponse()
        try client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
        try #require(waitUntil { responder.slowGate.arrivals == 1 })  // in its handler now
        server.shutdown()
        #expect(idle.isClosedByPeer())  // at once, while the other request is still held
        // A new client is refused while the request in flight is still being answered.
        #expect(throws: (any Error).self) { try RawClient(port: server.port) }
        responder.slowGate.open()
        let response = try client.readResponse()
        #expect(response.text == "slow done")
        #expect(response.headers["Connection"] == "close")
        #expect(server.wait(timeout: .seconds(15)))
        #expect(throws: (any Error).self) { try RawClient(port: server.port) }
    }
}

/// The same server seen through a real client: curl, with keep-alive and gzip.
@Suite(.serialized) struct CurlInteropTests {
    @Test func curlReusesTheConnectionAndDecodesGzip() throws {
        try withHTTPServer(responder: EchoResponder()) { server in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = ["-sS", "--max-time", "10", "--compressed", "-w", "\n%{num_connects} %{size_download}\n",
                                 "http://127.0.0.1:\(server.port)/big", "http://127.0.0.1:\(server.port)/second"]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            process.waitUntilExit()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 0)
            #expect(text.hasPrefix("[{\"k\":\"value\"}"))
            #expect(text.contains("hello GET /second"))
            let stats = text.split(separator: "\n").filter { $0.first?.isNumber == true && $0.contains(" ") }
            // Two transfers, one connection: the second request reused it (num_connects 0).
            #expect(stats.last?.hasPrefix("0 ") == true)
        }
    }
}
