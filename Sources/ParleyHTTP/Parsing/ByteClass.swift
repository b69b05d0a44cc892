/// Character classes of RFC 9110 §5.6, as lookup tables so the parser never branches per class.
enum ByteClass {
    /// tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    static let token: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = true }
        for byte in "!#$%&'*+-.^_`|~".utf8 { table[Int(byte)] = true }
        return table
    }()

    /// field-vchar plus SP and HTAB: what a field value may contain (obs-text included, CTLs and DEL not).
    static let fieldValue: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        table[0x09] = true
        for byte in 0x20...0x7E { table[byte] = true }
        for byte in 0x80...0xFF { table[byte] = true }
        return table
    }()

    /// What a request-target may contain: visible ASCII except `#` (fragments are never sent).
    static let target: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in 0x21...0x7E { table[byte] = true }
        table[Int(UInt8(ascii: "#"))] = false
        return table
    }()

    /// What a Host value may contain: reg-name, IP literals and a port (RFC 3986 §3.2.2).
    static let host: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = true }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = true }
        for byte in "-._~!$&'()*+,;=:[]%".utf8 { table[Int(byte)] = true }
        return table
    }()

    /// What may stand between the brackets of an IP literal: the Host characters but the brackets
    /// themselves and `%` (IPv6 digits, `:`, `.`, and IPvFuture's unreserved and sub-delims).
    static let ipLiteral: [Bool] = {
        var table = host
        for byte in "[]%".utf8 { table[Int(byte)] = false }
        return table
    }()

    /// Visible ASCII that RFC 3986 allows nowhere in a URI, unencoded: refused in a request's path
    /// (RFC 9112 §3.2). A query may carry them, as browsers send them there unencoded.
    static let notInPath: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for byte in "\"<>\\^`{|}".utf8 { table[Int(byte)] = true }
        return table
    }()

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    static func isToken(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy { token[Int($0)] }
    }
}
