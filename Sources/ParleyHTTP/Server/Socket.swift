import CParleySystem
import Glibc

/// A failed system call, with the errno it set.
public struct SystemCallError: Error, CustomStringConvertible {
    public let function: String
    public let errno: Int32
    public var description: String { "\(function): \(String(cString: strerror(errno)))" }
}

/// The server could not listen on its address (taken, not this machine's, not an address).
public struct ListenError: Error, CustomStringConvertible {
    public let host: String
    public let port: Int
    public let cause: any Error
    public var description: String { "cannot listen on \(host):\(port): \(cause)" }
}

/// A host name the resolver could not turn into an address (its own words, as `gai_strerror` says).
public struct ResolverError: Error, CustomStringConvertible {
    public let host: String
    public let message: String
    public var description: String { "cannot resolve \(host): \(message)" }
}

/// Thin wrappers over the socket calls the server uses; each retries EINTR.
enum Socket {
    @discardableResult
    static func call(_ function: String, _ body: () -> Int32) throws -> Int32 {
        while true {
            let result = body()
            if result >= 0 { return result }
            if errno == EINTR { continue }
            throw SystemCallError(function: function, errno: errno)
        }
    }

    /// Creates, configures, binds and listens on a TCP socket; returns the fd and the bound port.
    static func listen(host: String, port: Int, backlog: Int32) throws -> (fd: Int32, port: Int) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let info = list else {
            if status == EAI_SYSTEM { throw SystemCallError(function: "getaddrinfo(\(host))", errno: errno) }
            throw ResolverError(host: host, message: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(list) }
        let fd = try call("socket") {
            socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            var one: Int32 = 1
            try call("setsockopt(SO_REUSEADDR)") {
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            }
            try call("bind(\(host):\(port))") { bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) }
            try call("listen") { Glibc.listen(fd, backlog) }
            return (fd, try localPort(fd))
        } catch {
            close(fd)
            throw error
        }
    }

    static func localPort(_ fd: Int32) throws -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try withUnsafeMutablePointer(to: &storage) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address in
                _ = try call("getsockname") { getsockname(fd, address, &length) }
            }
        }
        let family = storage.ss_family
        return withUnsafePointer(to: &storage) { pointer in
            if family == sa_family_t(AF_INET6) {
                return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
            return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    /// Accepts one pending connection; nil when none is waiting.
    static func accept(_ listener: Int32) -> (fd: Int32, address: String)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        while true {
            let fd = withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    accept4(listener, $0, &length, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
                }
            }
            if fd >= 0 {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return (fd, describe(&storage))
            }
            // A connection reset before accept is not our problem; try the next one.
            if errno == EINTR || errno == ECONNABORTED { continue }
            return nil
        }
    }

    static func describe(_ storage: inout sockaddr_storage) -> String {
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let length = socklen_t(storage.ss_family == sa_family_t(AF_INET6)
            ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        let status = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST)
            }
        }
        guard status == 0 else { return "unknown" }
        return host.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Writes as much as the socket takes; returns bytes written, or -1 with errno set.
    static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        while true {
            let written = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if written < 0 && errno == EINTR { continue }
            return written
        }
    }

    /// Blocks (with poll) until `bytes` are all written or the timeout passes; for streamed bodies
    /// written off the event loop.
    static func sendAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, timeoutMilliseconds: Int64) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = send(fd, UnsafeRawBufferPointer(rebasing: bytes[offset...]))
            if written > 0 {
                offset += written
                continue
            }
            guard written < 0, errno == EAGAIN || errno == EWOULDBLOCK else { return false }
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&poller, 1, Int32(clamping: timeoutMilliseconds))
            if ready == 0 || (ready < 0 && errno != EINTR) { return false }
        }
        return true
    }
}
