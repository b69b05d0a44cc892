extension HTTPRequestHead {
    /// Whether the connection stays open after this request (RFC 9112 §9.3).
    var wantsKeepAlive: Bool {
        var close = false
        var keepAlive = false
        for value in headers.values(of: "connection") {
            for token in value.split(separator: ",") {
                let option = token.trimmingOWS()
                if option.asciiCaseInsensitiveEquals("close") { close = true }
                if option.asciiCaseInsensitiveEquals("keep-alive") { keepAlive = true }
            }
        }
        if close { return false }
        return version == .http1_1 || keepAlive
    }
}

extension Substring {
    func asciiCaseInsensitiveEquals(_ other: String) -> Bool { String(self).asciiCaseInsensitiveEquals(other) }
}
