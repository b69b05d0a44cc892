import Foundation

/// Screens text for prohibited terms, robust against the usual evasions: case, full-width
/// letters, accents, spacing, punctuation and zero-width characters ("a.r r-e s t", "ＡＲＲＥＳＴ").
///
/// Both the terms and the text are reduced to their letters and digits before a substring search,
/// which is why the default terms are chosen to be rare inside ordinary words.
public struct ProhibitedLanguage: Sendable {
    public let terms: [String]
    private let normalizedTerms: [(term: String, normalized: String)]

    public init(terms: [String]) {
        self.terms = terms
        // A term that normalises to nothing ("!!!") would match every text; the policy refuses it.
        self.normalizedTerms = terms.map { ($0, Self.normalize($0)) }.filter { !$0.normalized.isEmpty }
    }

    /// The terms found in `text`, in policy order, each once; empty when the text is clean.
    public func matches(_ text: String) -> [String] {
        let normalizedText = Self.normalize(text)
        guard !normalizedText.isEmpty else { return [] }
        var found: [String] = []
        for (term, normalized) in normalizedTerms where normalizedText.contains(normalized) && !found.contains(term) {
            found.append(term)
        }
        return found
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
