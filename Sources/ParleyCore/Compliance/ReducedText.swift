import Foundation

/// A text reduced to its letters and digits (as UTF-8), with the word each byte came from.
struct ReducedText {
    private(set) var bytes: [UInt8] = []
    /// The word of each byte: words are separated by spaces, punctuation and symbols in the
    /// original; every ideographic or other unspaced letter is a word of its own.
    private(set) var words: [Int32] = []
    /// Whether each word (by number) has a letter: digits are read as letters only in such words
    /// ("j41l"), never in a number ("ID 107" is not "idiot").
    private var lettered: [Bool] = [false]

    init(_ text: String) {
        bytes.reserveCapacity(text.utf8.count)
        words.reserveCapacity(text.utf8.count)
        var word: Int32 = 0
        var inWord = false
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            // Plain ASCII: its NFKD form is itself.
            for byte in utf8 { Self.read(Unicode.Scalar(byte), into: &self, word: &word, inWord: &inWord) }
        } else {
            for scalar in text.decomposedStringWithCompatibilityMapping.lowercased().unicodeScalars {
                Self.read(scalar, into: &self, word: &word, inWord: &inWord)
            }
        }
    }

    private static func read(_ original: Unicode.Scalar, into text: inout ReducedText, word: inout Int32, inWord: inout Bool) {
        let scalar = LookAlikes.latin(for: original)
        switch kind(of: scalar) {
        case .letter:
            if !inWord { word += 1; inWord = true }
            text.append(scalar, word: word)
        case .wordOfItsOwn:
            word += 1
            text.append(scalar, word: word)
            inWord = false
        case .breaksWords:
            inWord = false
        case .ignored:
            break
        }
    }

    private mutating func append(_ scalar: Unicode.Scalar, word: Int32) {
        while lettered.count <= Int(word) { lettered.append(false) }
        if !(0x30...0x39).contains(scalar.value) { lettered[Int(word)] = true }
        if scalar.isASCII {
            // ASCII capitals come here unlowered on the fast path.
            let byte = UInt8(scalar.value)
            bytes.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
            words.append(word)
        } else {
            for byte in String(scalar).utf8 {
                bytes.append(byte)
                words.append(word)
            }
        }
    }

    private enum Kind { case letter, wordOfItsOwn, breaksWords, ignored }

    /// Letters and numbers are kept; marks (split-off accents) and format characters (zero-width
    /// space and joiners) vanish inside a word; spaces, punctuation, symbols and modifier letters
    /// (used as look-alike apostrophes) end it.
    private static func kind(of scalar: Unicode.Scalar) -> Kind {
        if scalar.isASCII {
            switch scalar.value {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return .letter
            default: return .breaksWords
            }
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .decimalNumber, .letterNumber, .otherNumber:
            return .letter
        case .otherLetter:
            return scalar.properties.isIdeographic || scalar.value >= 0x2E80 ? .wordOfItsOwn : .letter
        case .nonspacingMark, .spacingMark, .enclosingMark, .format:
            return .ignored
        default:
            return .breaksWords
        }
    }

    /// Whether `term` occurs inside one word, or across words that it covers from the first
    /// one's start to the last one's end.
    func contains(_ term: [UInt8]) -> Bool {
        guard let first = term.first, term.count <= bytes.count else { return false }
        var start = 0
        while start <= bytes.count - term.count {
            if reads(at: start, as: first) {
                var index = 1
                while index < term.count, reads(at: start + index, as: term[index]) { index += 1 }
                if index == term.count && coversWholeWords(from: start, to: start + term.count - 1) { return true }
            }
            start += 1
        }
        return false
    }

    /// Where each word of the reduced text lies in `bytes`, in order.
    func wordRanges() -> [Range<Int>] {
        guard !bytes.isEmpty else { return [] }
        var result: [Range<Int>] = []
        var start = 0
        for index in 1...bytes.count where index == bytes.count || words[index] != words[start] {
            result.append(start..<index)
            start = index
        }
        return result
    }

    /// Whether consecutive words of the text (`ranges`, from `wordRanges`) are the phrase's words,
    /// each as written (digits read as letters, as everywhere) or with one of the `endings`, joined
    /// or written apart ("policemen will", "police men will", "P0LICEMAN will" for "police will").
    func containsPhrase(_ phrase: [[UInt8]], in ranges: [Range<Int>]) -> Bool {
        guard phrase.count <= ranges.count else { return false }
        func begins(_ range: Range<Int>, with wanted: [UInt8]) -> Bool {
            range.count >= wanted.count && wanted.indices.allSatisfy { reads(at: range.lowerBound + $0, as: wanted[$0]) }
        }
        func isEnding(_ range: Range<Int>) -> Bool { Self.endings.contains(Array(bytes[range])) }
        return (0...(ranges.count - phrase.count)).contains { first in
            var next = first
            for (offset, wanted) in phrase.enumerated() {
                guard next < ranges.count, begins(ranges[next], with: wanted) else { return false }
                let word = ranges[next]
                next += 1
                if word.count > wanted.count {
                    guard isEnding(word.lowerBound + wanted.count..<word.upperBound) else { return false }
                } else if next < ranges.count, isEnding(ranges[next]),
                          offset + 1 == phrase.count || !begins(ranges[next], with: phrase[offset + 1]) {
                    // An ending written apart ("police men"), unless it is the phrase's next word.
                    next += 1
                }
            }
            return true
        }
    }

    private func coversWholeWords(from start: Int, to end: Int) -> Bool {
        if words[start] == words[end] { return true }
        guard start == 0 || words[start - 1] != words[start] else { return false }
        var rest = end + 1
        while rest < bytes.count, words[rest] == words[end] { rest += 1 }
        return rest == end + 1 || Self.endings.contains(Array(bytes[(end + 1)..<rest]))
    }

    /// What may follow a term inside its last word: plurals, tenses and agents ("records",
    /// "arrested", "suing", "policemen").
    private static let endings: Set<[UInt8]> = Set(["s", "es", "d", "ed", "ing", "er", "ers", "man", "men", "ment", "ments"]
        .map { Array($0.utf8) })

    /// The text's byte at `index` against a term byte: the same, or a digit written for the letter
    /// in a word that has letters ("j41l", "p0lice", "ki11"; not "107").
    private func reads(at index: Int, as termByte: UInt8) -> Bool {
        let textByte = bytes[index]
        if textByte == termByte { return true }
        return lettered[Int(words[index])] && Self.digit(textByte, readsAs: termByte)
    }

    /// Whether a digit stands for a letter: "0" o, "1" i and l, "3" e, "4" a, "5" s, "7" t.
    static func digit(_ digit: UInt8, readsAs letter: UInt8) -> Bool {
        switch digit {
        case UInt8(ascii: "0"): return letter == UInt8(ascii: "o")
        case UInt8(ascii: "1"): return letter == UInt8(ascii: "i") || letter == UInt8(ascii: "l")
        case UInt8(ascii: "3"): return letter == UInt8(ascii: "e")
        case UInt8(ascii: "4"): return letter == UInt8(ascii: "a")
        case UInt8(ascii: "5"): return letter == UInt8(ascii: "s")
        case UInt8(ascii: "7"): return letter == UInt8(ascii: "t")
        default: return false
        }
    }
}
