import Foundation
import Synchronization

/// Format checks shared by the API, the import and the services.
public enum Validators {
    /// E.164: `+`, a non-zero digit, then 1–14 more digits.
    public static func isE164(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3, bytes.count <= 16, bytes[0] == UInt8(ascii: "+"), bytes[1] != UInt8(ascii: "0") else { return false }
        return bytes.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// A pragmatic address check: one `@`; a local part of at most 64 bytes that neither starts
    /// nor ends with a dot; a domain of two or more dot-separated labels of letters, digits and
    /// hyphens (or non-ASCII, for internationalised names), none starting or ending with a hyphen;
    /// no spaces, controls or two dots in a row anywhere.
    public static func isEmail(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count <= 254, let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0, at <= 64,
              bytes.lastIndex(of: UInt8(ascii: "@")) == at,
              bytes[0] != UInt8(ascii: "."), bytes[at - 1] != UInt8(ascii: ".")
        else { return false }
        for index in 1..<bytes.count where bytes[index] == UInt8(ascii: ".") && bytes[index - 1] == UInt8(ascii: ".") {
            return false
        }
        let forbidden: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "<"), UInt8(ascii: ">"),
                                     UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"), UInt8(ascii: "\"")]
        guard bytes[..<at].allSatisfy({ $0 > 0x20 && $0 != 0x7F && !forbidden.contains($0) }) else { return false }
        let labels = bytes[(at + 1)...].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { label in
            guard let first = label.first, let last = label.last,
                  first != UInt8(ascii: "-"), last != UInt8(ascii: "-"), label.count <= 63 else { return false }
            return label.allSatisfy { byte in
                byte >= 0x80 || byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39)
                    || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
            }
        }
    }

    /// Whether `text` holds a control character (C0, DEL or C1: NUL, escape, U+009B …) other than
    /// tab, line feed and carriage return, which no name or reference has. Those three pass (a
    /// name or a creditor read from a CSV cell may span lines); Docs/openapi.yaml states the same
    /// rule as a pattern (`NoControls`).
    public static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { scalar in
            switch scalar.value {
            case 0x09, 0x0A, 0x0D: false
            case 0..<0x20, 0x7F...0x9F: true
            default: false
            }
        }
    }

    /// ISO 3166-1 alpha-2 shape (two upper-case letters).
    public static func isCountryCode(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.count == 2 && bytes.allSatisfy { $0 >= 0x41 && $0 <= 0x5A }
    }

    /// ISO 4217 codes in use (active codes, as of the 2024 list).
    public static let currencies: Set<String> = [
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN", "BHD", "BIF",
        "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF", "CHF", "CLP", "CNY", "COP", "CRC",
        "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS",
        "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD",
        "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL",
        "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MYR", "MZN", "NAD",
        "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD",
        "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP",
        "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS", "VES",
        "VND", "VUV", "WST", "XAF", "XCD", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
    ]

    public static func isCurrency(_ text: String) -> Bool { currencies.contains(text) }

    private static let knownZones = Mutex<[String: Bool]>([:])

    /// Whether `identifier` is an IANA zone the system's tz database knows (answers are cached).
    /// Foundation also makes zones of names that are not IANA's (`GMT+5`, `UTC+02:00`), so a name
    /// without a `/` must also be one of IANA's few such names (`UTC`, `GMT`, `EST5EDT`, `Japan`);
    /// `GMT+5` is spelled `Etc/GMT+5` there.
    public static func isTimeZone(_ identifier: String) -> Bool {
        if let known = knownZones.withLock({ $0[identifier] }) { return known }
        let valid = !identifier.isEmpty && identifier.utf8.count <= 64 && TimeZone(identifier: identifier) != nil
            && (identifier.utf8.contains(UInt8(ascii: "/")) || ianaNamesWithoutRegion.contains(identifier))
        knownZones.withLock { cache in
            if cache.count < 10_000 { cache[identifier] = valid }
        }
        return valid
    }

    /// The tz database's zone names without a region: its `etcetera`, `backward` and old
    /// North American and European rules (`Factory`, which marks an unset zone, left out). A
    /// fixed list, because Debian and Ubuntu now install most of them only with `tzdata-legacy`
    /// while Foundation knows them either way.
    static let ianaNamesWithoutRegion: Set<String> = [
        "CET", "CST6CDT", "Cuba", "EET", "EST", "EST5EDT", "Egypt", "Eire", "GB", "GB-Eire", "GMT", "GMT+0", "GMT-0", "GMT0",
        "Greenwich", "HST", "Hongkong", "Iceland", "Iran", "Israel", "Jamaica", "Japan", "Kwajalein", "Libya", "MET", "MST",
        "MST7MDT", "NZ", "NZ-CHAT", "Navajo", "PRC", "PST8PDT", "Poland", "Portugal", "ROC", "ROK", "Singapore", "Turkey",
        "UCT", "UTC", "Universal", "W-SU", "WET", "Zulu",
    ]
}
