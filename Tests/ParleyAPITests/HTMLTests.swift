@testable import ParleyAPI
import ParleyCore
import Testing

@Suite struct HTMLTests {
    @Test func theEscaperReplacesEveryCharacterThatCanBreakOutOfTextOrAnAttribute() {
        #expect(HTMLEscaper.escape("<script>alert(\"x\")</script>") == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
        #expect(HTMLEscaper.escape("Tom & Jerry's") == "Tom &amp; Jerry&#39;s")
        #expect(HTMLEscaper.escape("&amp;") == "&amp;amp;")
        #expect(HTMLEscaper.escape("plain 文字 😀") == "plain 文字 😀")
        #expect(HTMLEscaper.escape("") == "")
    }

    /// A right-to-left override in a name would reverse the page's text after it.
    @Test func theEscaperDropsBidirectionalControlsAndKeepsRightToLeftLetters() {
        #expect(HTMLEscaper.escape("Acme \u{202E}evil") == "Acme evil")
        #expect(HTMLEscaper.escape("\u{2067}x\u{2069} \u{202A}y\u{202C}") == "x y")
        #expect(HTMLEscaper.escape("شركة — “Acme” – 2026") == "شركة — “Acme” – 2026")
    }

    @Test func interpolatedTextIsEscapedAndMarkupFromLiteralsIsKept() {
        let name = "\"><script>alert(1)</script>"
        let html: HTML = "<p title=\"\(name)\">\(name) & \(3)</p>"
        #expect(html.markup == "<p title=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt; & 3</p>")
        let inner: HTML = "<b>\("<i>")</b>"
        let outer: HTML = "<p>\(inner)\([inner, HTML(text: "'")])</p>"
        #expect(outer.markup == "<p><b>&lt;i&gt;</b><b>&lt;i&gt;</b>&#39;</p>")
    }

    @Test func theStyleHashInThePolicyIsTheHashOfTheInlineStylesheet() {
        let document = PageLayout.document(.english, title: "t", main: HTML())
        #expect(document.markup.contains("<style>" + PageStyle.css.description + "</style>"))
        let digest = PageStyle.base64(Hashing.sha256(Array(PageStyle.css.description.utf8)))
        #expect(PageReply.contentSecurityPolicy.contains("style-src 'sha256-\(digest)'"))
        #expect(digest.count == 44 && digest.hasSuffix("="))
        #expect(PageStyle.base64([0xFB, 0xFF]) == "+/8=")
    }

    @Test func theDebtorsLanguagePicksTheTable() {
        for tag in ["zh-CN", "zh-TW", "ZH-hans", "zh"] { #expect(PageStrings.forLanguage(tag).htmlLang == "zh-CN") }
        for tag: String? in ["en", "en-GB", "fr", "", nil, "zhx"] { #expect(PageStrings.forLanguage(tag).htmlLang == "en") }
        #expect(PageStrings.forAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8").htmlLang == "zh-CN")
        #expect(PageStrings.forAcceptLanguage("fr-FR, en;q=0.5").htmlLang == "en")
        #expect(PageStrings.forAcceptLanguage(nil).htmlLang == "en")
        #expect(PageStrings.forAcceptLanguage("en;q=0.1, zh-TW;q=0.9").htmlLang == "zh-CN")
        #expect(PageStrings.forAcceptLanguage("zh;q=0, en;q=0.2").htmlLang == "en")
        #expect(PageStrings.forAcceptLanguage("zh;q=0").htmlLang == "en")
        #expect(PageStrings.forAcceptLanguage("en, zh").htmlLang == "en")
    }

    @Test func moneyAndDatesPerLanguage() {
        let date = CalendarDate(year: 2026, month: 12, day: 31)
        #expect(date.map(PageStrings.english.date) == "31 Dec 2026")
        #expect(date.map(PageStrings.simplifiedChinese.date) == "2026年12月31日")
        #expect(PageStrings.simplifiedChinese.money(1_285_000, currency: "CNY") == "¥12,850.00")
        #expect(PageStrings.english.money(123_456, currency: "USD") == "$1,234.56")
        #expect(PageStrings.english.money(1_285_000, currency: "CNY") == "CN¥12,850.00")
        #expect(PageStrings.english.money(1_235, currency: "JPY") == "¥1,235")
    }

    @Test func disputeInstructionsNameTheAgencysChannels() {
        let agency = AgencyContact(name: "Acme", phone: "+86 21 5555 0100", email: "help@acme.example", address: "1 Bund Road\nShanghai",
                                   hours: "Mon–Fri 9–18")
        let english = PageStrings.english.howToDispute(agency)
        #expect(english.contains("write to us at 1 Bund Road, Shanghai, e-mail help@acme.example or call +86 21 5555 0100 (Mon–Fri 9–18)"))
        #expect(PageStrings.simplifiedChinese.howToDispute(agency).contains("致电+86 21 5555 0100（Mon–Fri 9–18）"))
        #expect(PageStrings.english.howToDispute(AgencyContact()).contains("contact details in the letter"))
        #expect(AgencySection.telURI("+86 (21) 5555-0100") == "+862155550100")
    }
}
