/// The RFC 9457 problem document the HTTP layer writes for errors it answers itself
/// (malformed requests, limits, unknown routes), so every error a client sees has one shape.
public enum ProblemBody {
    public static func make(status: HTTPStatus, detail: String, extra: String = "") -> [UInt8] {
        var json = "{\"type\":\"about:blank\",\"title\":\""
        json += escape(status.reasonPhrase)
        json += "\",\"status\":\(status.code),\"detail\":\""
        json += escape(detail)
        json += "\""
        json += extra
        json += "}"
        return Array(json.utf8)
    }

    /// Minimal JSON string escaping for server-written text.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += "\\u00" + (c.value < 16 ? "0" : "") + String(c.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
