/// Screens text for prohibited terms, robust against the usual evasions: case, full-width
/// letters, accents, spacing, punctuation, zero-width characters ("a.r r-e s t", "ＡＲＲＥＳＴ"),
/// Cyrillic and Greek look-alike letters ("jаil") and digits or signs written for letters ("j@il",
/// "ARRE5T").
///
/// Both the terms and the text are reduced to their letters and digits before a substring search.
/// A match inside one word counts wherever it falls ("ARREST-ed", "imprisoned"); a match that runs
/// across words must start where a word starts and end where one ends, or before an ending
/// ("a r r e s t", "P.O.L.I.C.E WILL", "criminal records", "arr-ested", "the policemen"), so that
/// neither the name "Jai Lee" reads "jail" nor "car rest area" reads "arrest". A phrase is also
/// read word by word, each word allowed an ending ("policemen will" for "police will"). Chinese has
/// no spaces: each character is a word of its own, so Chinese terms match anywhere.
public struct ProhibitedLanguage: Sendable {
    public let terms: [String]
    /// Each term normalised once, as UTF-8 bytes (and, for a phrase, word by word): the search is
    /// a plain byte comparison, since everything locale-sensitive already happened in `normalize`.
    private let normalizedTerms: [(term: String, bytes: [UInt8], words: [[UInt8]])]

    public init(terms: [String]) {
        self.terms = terms
        // A term that normalises to nothing ("!!!") would match every text; the policy refuses it.
        self.normalizedTerms = terms.map { term in
            let words = term.split(whereSeparator: \.isWhitespace).map { Array(Self.normalize(String($0)).utf8) }.filter { !$0.isEmpty }
            return (term, Array(Self.normalize(term).utf8), words.count > 1 ? words : [])
        }.filter { !$0.bytes.isEmpty }
    }

    /// The terms found in `text`, in policy order, each once; empty when the text is clean.
    public func matches(_ text: String) -> [String] {
        let reduced = ReducedText(text)
        guard !reduced.bytes.isEmpty else { return [] }
        var found: [String] = []
        var words: [Range<Int>]?
        for (term, bytes, termWords) in normalizedTerms where !found.contains(term) {
            if reduced.contains(bytes) {
                found.append(term)
            } else if !termWords.isEmpty {
                if words == nil { words = reduced.wordRanges() }
                if reduced.containsPhrase(termWords, in: words ?? []) { found.append(term) }
            }
        }
        return found
    }

    /// Compatibility-decomposed (NFKD: full-width → ASCII, accents split off), lower-cased, look-alike
    /// letters and digits read as the Latin letters they imitate, and stripped of everything but
    /// letters and digits: the form terms are compared in.
    public static func normalize(_ text: String) -> String {
        String(decoding: ReducedText(text).bytes, as: UTF8.self)
    }
}
