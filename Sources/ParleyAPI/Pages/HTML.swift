/// A piece of HTML that is safe by construction: markup can only come from string literals in the
/// program (`StaticString`), and every runtime value interpolated into it is escaped. There is no
/// way to add unescaped runtime text.
///
///     let name = "<script>"
///     let html: HTML = "<p class=\"who\">\(name)</p>"   // <p class="who">&lt;script&gt;</p>
struct HTML: ExpressibleByStringInterpolation, Sendable, Equatable {
    private(set) var markup: String

    init() { markup = "" }

    init(stringLiteral literal: StaticString) { markup = literal.description }

    init(stringInterpolation: StringInterpolation) { markup = stringInterpolation.markup }

    /// Runtime text as HTML: escaped.
    init(text: String) { markup = HTMLEscaper.escape(text) }

    /// Fragments one after another.
    init(joining parts: [HTML]) { markup = parts.map(\.markup).joined() }

    mutating func append(_ other: HTML) { markup += other.markup }

    static func + (lhs: HTML, rhs: HTML) -> HTML {
        var joined = lhs
        joined.append(rhs)
        return joined
    }

    struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var markup = ""

        init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity + interpolationCount * 16) }

        mutating func appendLiteral(_ literal: StaticString) { markup += literal.description }

        /// Text: escaped, whatever it holds.
        mutating func appendInterpolation(_ text: String) { markup += HTMLEscaper.escape(text) }

        mutating func appendInterpolation(_ number: Int) { markup += String(number) }

        /// Already safe HTML: kept as is.
        mutating func appendInterpolation(_ html: HTML) { markup += html.markup }

        mutating func appendInterpolation(_ parts: [HTML]) { for part in parts { markup += part.markup } }
    }
}

/// The one HTML escaper: `&`, `<`, `>`, `"` and `'` become character references, which makes text
/// safe both between tags and inside quoted attribute values. The bidirectional embedding,
/// override and isolate controls (U+202A–U+202E, U+2066–U+2069) are dropped: left in a creditor's
/// or a debtor's name they would reverse the page's own text after it (the statement's sentences,
/// the account reference), whatever escaping does.
enum HTMLEscaper {
    static func escape(_ text: String) -> String {
        // 0xE2 starts the UTF-8 of U+2000–U+2FFF, where the bidirectional controls are.
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0xE2 })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}": continue
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
