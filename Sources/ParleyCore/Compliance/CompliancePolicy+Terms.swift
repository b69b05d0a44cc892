extension CompliancePolicy {
    /// Threats, abuse, false legal claims and impersonation of authorities, in English and Chinese.
    /// Matched after removing spacing and punctuation (see `ProhibitedLanguage`), so each term is
    /// chosen to be rare inside ordinary words.
    public static let defaultProhibitedTerms: [String] = [
        // English: threats and false legal claims
        "arrest", "jail", "prison", "police will", "call the police", "sue you today", "criminal charges",
        "criminal record", "we will take your house", "take your children", "seize your property",
        "deport", "lawsuit has been filed",
        // English: impersonating authorities
        "this is the fbi", "we are the police", "from the sheriff",
        // English: abuse
        "idiot", "stupid", "deadbeat", "scumbag", "shut up", "worthless",
        // Chinese: threats and false legal claims
        "逮捕", "坐牢", "拘留", "判刑", "刑事责任", "立案侦查", "法院传票", "抓你", "抄家",
        "曝光你", "爆通讯录",
        // Chinese: impersonating authorities
        "公安", "警察", "检察院",
        // Chinese: abuse
        "骗子", "去死", "老赖", "废物", "王八蛋", "混蛋", "不要脸",
        // The same in Traditional characters, where they differ (Hong Kong, Taiwan)
        "刑事責任", "立案偵查", "法院傳票", "爆通訊錄", "檢察院", "騙子", "老賴", "廢物", "不要臉",
    ]

    /// Words that reveal a debt to a third party. English terms match at the start of a word
    /// (`owe` finds "owed", not "however"); Chinese terms match anywhere.
    public static let defaultDebtTerms: [String] = [
        "debt", "owe", "owing", "balance", "payment", "overdue", "past due", "arrears", "collection", "loan",
        "repay", "installment", "instalment",
        "欠款", "债务", "还款", "逾期", "欠钱", "欠债", "欠费", "贷款", "借款", "催收", "账单",
        // Traditional characters, where they differ
        "債務", "還款", "欠錢", "欠債", "欠費", "貸款", "賬單", "帳單",
    ]
}
