import Foundation

/// Decides whether a note about a third-party conversation "mentions the debt": it names a debt
/// term of the policy, or it states an amount of money.
public struct DebtMention: Sendable {
    public let terms: [String]
    private let foldedTerms: [(term: String, folded: [Character], needsWordStart: Bool)]

    public init(terms: [String]) {
        self.terms = terms
        self.foldedTerms = terms.compactMap { term in
            let folded = Array(Self.fold(term))
            guard let first = folded.first else { return nil }
            return (term, folded, Self.isWordLetter(first))
        }
    }

    public func mentionsDebt(in text: String) -> Bool {
        !matchedTerms(in: text).isEmpty || Self.containsAmount(text)
    }

    /// The debt terms found in `text`, in policy order. Alphabetic terms must start a word, so
    /// `owe` finds "owed" but not "however"; Chinese terms have no word breaks and match anywhere.
    public func matchedTerms(in text: String) -> [String] {
        let variants = Self.readings(of: Self.fold(text))
        var found: [String] = []
        for (term, termCharacters, needsWordStart) in foldedTerms where !found.contains(term) {
            let hit = variants.contains { folded in
                Self.occurrences(of: termCharacters, in: folded).contains { index in
                    !needsWordStart || index == 0 || (!Self.isWordLetter(folded[index - 1]) && !folded[index - 1].isNumber)
                }
            }
            if hit { found.append(term) }
        }
        return found
    }

    /// The folded text as written, and two readings that undo the usual ways of hiding a word from
    /// a filter, so "past-due", "pay-ment", "D.E.B.T", "o w e s" and "欠 款" are still read as
    /// debt terms: punctuation read as a space ("past due"), and punctuation inside a word, spaces
    /// between Chinese characters and spaces between single letters dropped ("payment", "debt",
    /// "owes", "欠款"). Word starts still count in each reading, so "however" never reads "owe".
    static func readings(of folded: String) -> [[Character]] {
        let written = Array(folded)
        let spaced = written.map { isSeparatorMark($0) ? " " : $0 }
        var joined: [Character] = []
        for (index, character) in written.enumerated() {
            let before = index > 0 ? written[index - 1] : nil
            let after = index + 1 < written.count ? written[index + 1] : nil
            if isSeparatorMark(character), let before, let after, before.isLetter, after.isLetter { continue }
            if character == " ", let before, let after {
                if isHanCharacter(before) && isHanCharacter(after) { continue }
                if isLoneLetter(at: index - 1, in: written) && isLoneLetter(at: index + 1, in: written) { continue }
            }
            joined.append(character)
        }
        return [written, spaced, joined]
    }

    /// Punctuation and symbols a word may be broken up with (`-`, `.`, `_`, `*`, `·`…).
    private static func isSeparatorMark(_ character: Character) -> Bool {
        character.isPunctuation || character.isSymbol
    }

    private static func isHanCharacter(_ character: Character) -> Bool {
        character.unicodeScalars.first.map { $0.properties.isIdeographic } ?? false
    }

    /// A letter standing alone between spaces (or the ends): one of "o w e s".
    private static func isLoneLetter(at index: Int, in characters: [Character]) -> Bool {
        guard characters.indices.contains(index), isWordLetter(characters[index]) else { return false }
        let before = index > 0 ? characters[index - 1] : " "
        let after = index + 1 < characters.count ? characters[index + 1] : " "
        return !before.isLetter && !after.isLetter
    }

    /// Whether `text` states an amount of money: a number next to a currency sign, code or unit
    /// (`$20`, `¥500`, `500元`, `300 CNY`, `USD 40`, `五百元`), or a number written with money
    /// separators (`1,250.00`, `1.250,00`, `12.50`, `1,250`).
    public static func containsAmount(_ text: String) -> Bool {
        AmountScanner(Array(text.precomposedStringWithCompatibilityMapping)).containsAmount()
    }

    /// NFKC, lower case, zero-width characters removed and whitespace runs collapsed to one space.
    static func fold(_ text: String) -> String {
        var result = ""
        var lastWasSpace = false
        for character in text.precomposedStringWithCompatibilityMapping.lowercased() {
            if character.unicodeScalars.allSatisfy({ $0.properties.generalCategory == .format }) { continue }
            if character.isWhitespace {
                if !lastWasSpace { result.append(" ") }
                lastWasSpace = true
            } else {
                result.append(character)
                lastWasSpace = false
            }
        }
        return result
    }

    /// Letters of alphabetic scripts (Latin, Greek, Cyrillic…), which have word breaks; CJK has none.
    static func isWordLetter(_ character: Character) -> Bool {
        guard character.isLetter, let scalar = character.unicodeScalars.first else { return false }
        return scalar.value < 0x2E80
    }

    static func occurrences(of needle: [Character], in haystack: [Character]) -> [Int] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        return (0...(haystack.count - needle.count)).filter { start in
            needle.indices.allSatisfy { haystack[start + $0] == needle[$0] }
        }
    }
}

/// A single left-to-right pass over the characters, looking at each number and its neighbours.
private struct AmountScanner {
    let characters: [Character]

    init(_ characters: [Character]) { self.characters = characters }

    /// Written-out currency names, matched case-insensitively (ISO codes must be upper case, so
    /// "all" or "try" in a sentence are not read as currencies).
    static let currencyWords: Set<String> = [
        "usd", "cny", "rmb", "gbp", "eur", "dollar", "dollars", "buck", "bucks", "pound", "pounds", "quid",
        "euro", "euros", "yuan", "cent", "cents", "pence",
    ]
    static let chineseUnits = ["人民币", "美元", "欧元", "英镑", "港币", "港元", "元", "块", "圆"]
    static let chineseNumerals: Set<Character> = ["零", "〇", "一", "二", "两", "三", "四", "五", "六", "七", "八", "九",
                                                  "十", "百", "千", "万", "亿"]
    static let chineseMagnitudes: Set<Character> = ["十", "百", "千", "万", "亿"]
    static let separators: Set<Character> = [",", ".", "'"]

    func containsAmount() -> Bool {
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if Self.isDigit(character) {
                let end = digitRunEnd(from: index)
                if Self.hasMoneyFormat(characters[index..<end]) || currencyBefore(index) || currencyAfter(end) {
                    return true
                }
                index = end
            } else if Self.chineseNumerals.contains(character) {
                var end = index
                while end < characters.count, Self.chineseNumerals.contains(characters[end]) { end += 1 }
                if chineseUnitAfter(end) { return true }
                index = end
            } else {
                index += 1
            }
        }
        return false
    }

    /// Digits, with single separators between digits (`1,250.00`).
    private func digitRunEnd(from start: Int) -> Int {
        var end = start
        while end < characters.count {
            if Self.isDigit(characters[end]) {
                end += 1
            } else if Self.separators.contains(characters[end]), end + 1 < characters.count,
                      Self.isDigit(characters[end + 1]) {
                end += 1
            } else {
                break
            }
        }
        return end
    }

    /// `12.50` or `1,250.00` (two decimals after a well-grouped integer part), or `1,250` (groups of three).
    private static func hasMoneyFormat(_ run: ArraySlice<Character>) -> Bool {
        guard let lastSeparator = run.lastIndex(where: { separators.contains($0) }) else { return false }
        let decimals = run.distance(from: lastSeparator, to: run.endIndex) - 1
        if decimals == 2, run[lastSeparator] != "'", isGrouped(run[run.startIndex..<lastSeparator]) { return true }
        return run.contains(where: { separators.contains($0) }) && isGroupedInThousands(run)
    }

    /// A plain integer, or thousands groups.
    private static func isGrouped(_ run: ArraySlice<Character>) -> Bool {
        !run.contains(where: { separators.contains($0) }) || isGroupedInThousands(run)
    }

    private static func isGroupedInThousands(_ run: ArraySlice<Character>) -> Bool {
        let groups = run.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
        guard groups.count >= 2, let head = groups.first, (1...3).contains(head.count) else { return false }
        return groups.dropFirst().allSatisfy { $0.count == 3 }
    }

    private func currencyBefore(_ index: Int) -> Bool {
        var position = index - 1
        if position >= 0, characters[position] == " " { position -= 1 }
        guard position >= 0 else { return false }
        if Self.isCurrencySymbol(characters[position]) { return true }
        if Self.chineseUnits.contains(where: { unit in endsWith(unit, at: position) }) { return true }
        var start = position
        while start >= 0, Self.isASCIILetter(characters[start]) { start -= 1 }
        return isCurrencyWord(String(characters[(start + 1)..<(position + 1)]))
    }

    private func currencyAfter(_ end: Int) -> Bool {
        var position = end
        while position < characters.count, Self.chineseMagnitudes.contains(characters[position]) { position += 1 }
        if position < characters.count, characters[position] == " " { position += 1 }
        guard position < characters.count else { return false }
        if Self.isCurrencySymbol(characters[position]) || chineseUnitAfter(position) { return true }
        var stop = position
        while stop < characters.count, Self.isASCIILetter(characters[stop]) { stop += 1 }
        return isCurrencyWord(String(characters[position..<stop]))
    }

    private func chineseUnitAfter(_ position: Int) -> Bool {
        Self.chineseUnits.contains { unit in
            let unitCharacters = Array(unit)
            return position + unitCharacters.count <= characters.count
                && Array(characters[position..<position + unitCharacters.count]) == unitCharacters
        }
    }

    private func endsWith(_ unit: String, at position: Int) -> Bool {
        let unitCharacters = Array(unit)
        let start = position - unitCharacters.count + 1
        return start >= 0 && Array(characters[start...position]) == unitCharacters
    }

    private func isCurrencyWord(_ word: String) -> Bool {
        guard !word.isEmpty else { return false }
        return Validators.isCurrency(word) || Self.currencyWords.contains(word.lowercased())
    }

    private static func isCurrencySymbol(_ character: Character) -> Bool {
        character.unicodeScalars.first?.properties.generalCategory == .currencySymbol
    }

    private static func isDigit(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return ascii >= 0x30 && ascii <= 0x39
    }

    private static func isASCIILetter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return (ascii >= 0x41 && ascii <= 0x5A) || (ascii >= 0x61 && ascii <= 0x7A)
    }
}
