import ParleyCore
import Testing

@Suite struct ComplianceProhibitedLanguageTests {
    typealias F = ComplianceFixture
    let screen = CompliancePolicy.defaults.prohibitedLanguage

    @Test(arguments: [
        ("If you don't pay we will have you ARREST-ed", "arrest"),
        ("a.r r-e s t", "arrest"),
        ("ＡＲＲＥＳＴ", "arrest"),
        ("you will go to j\u{200B}a\u{200D}i\u{FEFF}l", "jail"),
        ("The P.O.L.I.C.E   WILL be at your door", "police will"),
        ("we will take your house", "we will take your house"),
        ("W e  w i l l  t a k e  y o u r  h o u s e!", "we will take your house"),
        ("Crimínal chärges are coming", "criminal charges"),
        ("you idiot", "idiot"),
        ("再不还钱就逮捕你", "逮捕"),
        ("你要坐 牢了", "坐牢"),
        ("我们会通知公​安", "公安"),
        ("法院·传票已经寄出", "法院传票"),
        ("你这个骗子！", "骗子"),
        ("去。死", "去死"),
        ("拘－留", "拘留"),
        ("you will be imprisoned", "prison"),
        ("you will go to j\u{0430}il", "jail"),
        ("ΡRISON", "prison"),
        ("j@il is next", "jail"),
        ("the p0lice will call", "police will"),
        ("ARRE5T", "arrest"),
        ("ja il", "jail"),
        ("$tupid", "stupid"),
        // Across words, with an ending on the last one.
        ("This goes on your criminal records", "criminal record"),
        ("a letter from the sheriffs office", "from the sheriff"),
        ("we will call the policemen", "call the police"),
        ("you'll be arr-ested", "arrest"),
        ("we will get you j.ailed", "jail"),
        // A phrase read word by word, an ending on any of its words.
        ("The policemen will come", "police will"),
        ("Police men will visit", "police will"),
        ("you will go to \u{0251}rrest", "arrest"),
        ("The policeman will come", "police will"),
        ("P0LICEMEN WILL come", "police will"),
        ("you IDIOTTT", "idiot"),
        ("jailtime for you", "jail"),
        ("you are going to j41l", "jail"),
        ("4RR3ST warrant", "arrest"),
    ])
    func catchesTermsThroughDisguises(_ text: String, _ term: String) {
        #expect(screen.matches(text).contains(term), "\(text)")
    }

    @Test(arguments: [
        "Hello Ana, your instalment of $50.00 is due on 1 December. Reply STOP to opt out.",
        "We would like to discuss a payment plan that works for you. Call us on +1 212 555 0100.",
        "Thank you for your payment; your balance is now settled.",
        "您好，您本期应还款500元，请于12月1日前按时还款，如有疑问请致电客服。",
        "",
        // Terms that only appear across words, cutting into them.
        "Hello Jai Lee, please call us.",
        "Please stop at the car rest area.",
        "Mr Dep Ortiz will call back.",
        // Digits are letters only in words that have letters: a number is a number.
        "Your account ID 107 has a new statement.",
        "Pay 4 items by 1 May.",
    ])
    func cleanTextPasses(_ text: String) {
        #expect(screen.matches(text) == [])
    }

    @Test func aProhibitedMessageIsAViolationWithoutEnd() throws {
        let context = F.context(at: try F.at("2026-06-10T12:00:00-04:00"), channel: .sms,
                                messageBody: "Pay today or the police will come. Idiot.")
        let verdict = F.engine.evaluate(context)
        #expect(F.rules(verdict) == ["prohibited_language"])
        #expect(verdict.violations.first?.message.contains("\"police will\"") == true)
        #expect(verdict.violations.first?.message.contains("\"idiot\"") == true)
        #expect(verdict.nextAllowedAt == nil)
    }

    @Test func normalisationKeepsOnlyLettersAndDigits() {
        #expect(ProhibitedLanguage.normalize("Ａ.b\u{200B} C-1２！") == "abc12")
        #expect(ProhibitedLanguage.normalize("坐 牢。") == "坐牢")
        #expect(ProhibitedLanguage(terms: ["!!!", "jail"]).matches("!!! jail") == ["jail"])
    }
}

@Suite struct ComplianceThirdPartyTests {
    typealias F = ComplianceFixture
    let mention = DebtMention(terms: CompliancePolicy.defaults.debtTerms)

    func judge(summary: String?, content: String? = nil, jurisdiction: String = "US", reached: Instant? = nil,
               at: String = "2026-06-10T12:00:00-04:00") throws -> ComplianceVerdict {
        let zone = jurisdiction == "CN" ? "Asia/Shanghai" : "America/New_York"
        return F.engine.evaluate(F.context(at: try F.at(at), jurisdiction: jurisdiction, zone: zone,
                                           outcome: .connectedThirdParty, summary: summary, content: content,
                                           history: ComplianceHistory(lastDebtorReached: reached)))
    }

    @Test(arguments: [
        "Spoke to his wife and told her about the debt",
        "Roommate says he owes money to everyone",
        "Told the brother the account is OVERDUE",
        "告诉了他妈妈他有欠款",
        "跟同事说了逾期的事",
        // Broken up to slip past a filter.
        "told his brother he is past-due", "the pay-ment is late", "mentioned the D.E.B.T", "said he o w e s them",
        "col-lection agency called", "他 欠 款 了", "欠　款", "说了逾-期",
    ])
    func aDebtTermIsADisclosure(_ summary: String) throws {
        let verdict = try judge(summary: summary)
        #expect(F.rules(verdict) == ["third_party_disclosure"])
        #expect(verdict.nextAllowedAt == nil)
    }

    @Test(arguments: ["asked her to pass on 1,250.00", "mentioned ¥500", "说了500元的事", "said 300 CNY", "said $20",
                      "said USD 40", "五百元", "mentioned 1.250,00", "said 12.50 is fine", "told him ￥800", "欠了人民币300"])
    func anAmountIsADisclosure(_ content: String) throws {
        #expect(DebtMention.containsAmount(content), "\(content)")
        #expect(F.rules(try judge(summary: nil, content: content)) == ["third_party_disclosure"])
    }

    @Test(arguments: [
        "Spoke to his brother, asked him to have Sam call us back on +1 212 555 0100 before 5pm",
        "However, the neighbour did not know when he would be home; call back 2026-06-12",
        "他哥哥说他下午三点以后在家，请他回电",
        "Left a message at 10.5 past; try all numbers",
    ])
    func aCleanSummaryPasses(_ summary: String) throws {
        #expect(try judge(summary: summary).ok, "\(summary)")
    }

    @Test func debtTermsMatchAtTheStartOfAWordOnly() {
        #expect(mention.matchedTerms(in: "he owed us") == ["owe"])
        #expect(mention.matchedTerms(in: "however, the flower") == [])
        #expect(mention.matchedTerms(in: "PAST   DUE") == ["past due"])
        #expect(mention.matchedTerms(in: "how-ever, a flower-bed") == [])
        #expect(mention.matchedTerms(in: "I a m away") == [])
    }

    @Test func cnForbidsThirdPartyContactWithin30DaysOfReachingTheDebtor() throws {
        let at = "2026-06-10T12:00:00+08:00"
        let now = try F.at(at)
        let recent = try judge(summary: "asked the sister where he lives", jurisdiction: "CN", reached: now.adding(days: -29), at: at)
        #expect(F.rules(recent) == ["third_party_disclosure"])
        #expect(recent.nextAllowedAt == nil)
        #expect(try judge(summary: "asked the sister where he lives", jurisdiction: "CN", reached: now.adding(days: -30), at: at).ok)
        #expect(try judge(summary: "asked the sister where he lives", jurisdiction: "CN", reached: nil, at: at).ok)
        // Not a CN rule elsewhere.
        #expect(try judge(summary: "asked the sister where he lives", jurisdiction: "US", reached: now.adding(days: -1)).ok)
    }

    @Test func onlyThirdPartyConversationsAreJudged() throws {
        let context = F.context(at: try F.at("2026-06-10T12:00:00-04:00"), outcome: .connectedRPC,
                                summary: "discussed the debt balance of 1,250.00")
        #expect(F.engine.evaluate(context).ok)
    }
}
