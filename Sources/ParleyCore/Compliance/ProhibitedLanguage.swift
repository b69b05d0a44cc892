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
    private let normalizedTerms: [(term: String, bytes: [UInt8], words: [[UInt8]], needs: ByteSet)]

    public init(terms: [String]) {
        self.terms = terms
        // A term that normalises to nothing ("!!!") would match every text; the policy refuses it.
        self.normalizedTerms = terms.map { term in
            let words = term.split(whereSeparator: \.isWhitespace).map { Array(Self.normalize(String($0)).utf8) }.filter { !$0.isEmpty }
            let bytes = Array(Self.normalize(term).utf8)
            return (term, bytes, words.count > 1 ? words : [], ByteSet(bytes))
        }.filter { !$0.bytes.isEmpty }
    }

    /// The terms found in `text`, in policy order, each once; empty when the text is clean.
    public func matches(_ text: String) -> [String] {
        let reduced = ReducedText(text)
        guard !reduced.bytes.isEmpty else { return [] }
        // A term can match only if the text has every byte of it, or a digit that reads as it.
        let readable = ByteSet(reduced.bytes).withLettersDigitsRead()
        var found: [String] = []
        var words: [Range<Int>]?
        for (term, bytes, termWords, needs) in normalizedTerms where readable.contains(needs) && !found.contains(term) {
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

/// A set of byte values: what a text has, tested against what a term needs in one step.
struct ByteSet {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init(_ bytes: [UInt8]) {
        for byte in bytes { insert(byte) }
    }

    mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << (byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    func has(_ byte: UInt8) -> Bool {
        var probe = ByteSet([])
        probe.insert(byte)
        return contains(probe)
    }

    /// Whether every byte of `other` is in this set.
    func contains(_ other: ByteSet) -> Bool {
        other.words.0 & ~words.0 == 0 && other.words.1 & ~words.1 == 0
            && other.words.2 & ~words.2 == 0 && other.words.3 & ~words.3 == 0
    }

    /// This set with the letters its digits may stand for (`ReducedText.digit(_:readsAs:)`): a
    /// superset of what any word of the text can read as.
    func withLettersDigitsRead() -> ByteSet {
        var result = self
        for (digit, letters) in ByteSet.digitLetters where has(digit) {
            for letter in letters { result.insert(letter) }
        }
        return result
    }

    private static let digitLetters: [(digit: UInt8, letters: [UInt8])] = (UInt8(ascii: "0")...UInt8(ascii: "9")).map { digit in
        (digit, (UInt8(ascii: "a")...UInt8(ascii: "z")).filter { ReducedText.digit(digit, readsAs: $0) })
    }.filter { !$0.letters.isEmpty }
}
