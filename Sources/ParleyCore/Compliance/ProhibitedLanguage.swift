import Foundation

/// Screens text for prohibited terms, robust against the usual evasions: case, full-width
/// letters, accents, spacing, punctuation and zero-width characters ("a.r r-e s t", "ＡＲＲＥＳＴ").
///
/// Both the terms and the text are reduced to their letters and digits before a substring search,
/// which is why the default terms are chosen to be rare inside ordinary words.
public struct ProhibitedLanguage: Sendable {
    public let terms: [String]
    /// Each term normalised once, as UTF-8 bytes: the search is a plain byte comparison, since
    /// everything locale-sensitive already happened in `normalize`.
    private let normalizedTerms: [(term: String, bytes: [UInt8])]

    public init(terms: [String]) {
        self.terms = terms
        // A term that normalises to nothing ("!!!") would match every text; the policy refuses it.
        self.normalizedTerms = terms.map { ($0, Array(Self.normalize($0).utf8)) }.filter { !$0.bytes.isEmpty }
    }

    /// The terms found in `text`, in policy order, each once; empty when the text is clean.
    public func matches(_ text: String) -> [String] {
        let normalizedText = Self.normalizedBytes(text)
        guard !normalizedText.isEmpty else { return [] }
        var found: [String] = []
        for (term, bytes) in normalizedTerms where Self.contains(normalizedText, bytes) && !found.contains(term) {
            found.append(term)
        }
        return found
    }

    /// `normalize(text)` as UTF-8, with a fast path for plain ASCII (its NFKD form is itself).
    static func normalizedBytes(_ text: String) -> [UInt8] {
        let utf8 = text.utf8
        guard utf8.allSatisfy({ $0 < 0x80 }) else { return Array(normalize(text).utf8) }
        var kept: [UInt8] = []
        kept.reserveCapacity(utf8.count)
        for byte in utf8 {
            switch byte {
            case 0x30...0x39, 0x61...0x7A: kept.append(byte)
            case 0x41...0x5A: kept.append(byte + 0x20)
            default: break
            }
        }
        return kept
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= haystack.count else { return false }
        var start = 0
        while start <= haystack.count - needle.count {
            if haystack[start] == first {
                var index = 1
                while index < needle.count, haystack[start + index] == needle[index] { index += 1 }
                if index == needle.count { return true }
            }
            start += 1
        }
        return false
    }

    /// Compatibility-decomposed (NFKD: full-width → ASCII, accents split off), lower-cased, and
    /// stripped of everything but letters and digits.
    public static func normalize(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        let folded = text.decomposedStringWithCompatibilityMapping.lowercased()
        for scalar in folded.unicodeScalars where isLetterOrDigit(scalar) {
            kept.append(scalar)
        }
        return String(kept)
    }

    /// Letters and numbers survive; marks (split-off accents), punctuation, symbols, separators
    /// and format characters (zero-width space and joiners) do not. Modifier letters are dropped
    /// too: they are used as look-alike apostrophes.
    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            true
        default:
            false
        }
    }
}
