import ParleyCore

extension PageStrings {
    /// Simplified Chinese, for every `zh-*` debtor (contract §16).
    static let simplifiedChinese = PageStrings(
        htmlLang: "zh-CN",
        matches: { $0 == "zh" || $0.hasPrefix("zh-") },
        currencySymbols: ["CNY": "¥", "USD": "US$", "JPY": "JP¥", "GBP": "£", "EUR": "€", "HKD": "HK$"],
        date: { date in "\(date.year)年\(date.month)月\(date.day)日" },
        dateTime: { date, time in "\(date) \(time)" },

        privateNotice: { name in "本页面仅供\(name)本人查看，请勿分享此链接。" },
        linkValidUntil: { date in "此链接有效期至\(date)。" },

        statementTitle: "您的账户对账单",
        accountWith: { creditor, reference in "您在\(creditor)的账户，参考编号：\(reference)。" },
        figuresAsOf: { when in "数据截至\(when)（您的当地时间）。" },
        balanceHeading: "余额明细",
        principal: "本金",
        interest: "利息",
        fees: "费用",
        paid: "已还款",
        waived: "已减免",
        outstanding: "未结清余额",
        planHeading: "还款计划",
        planStatus: { status in
            switch status {
            case .active: "您的还款计划正在执行中。"
            case .pendingApproval: "已提交还款计划，正在等待审批。"
            case .completed: "您的还款计划已全部完成，谢谢。"
            case .broken: "由于未按时还款，您的还款计划已终止。"
            case .cancelled: "您的还款计划已取消。"
            case .rejected: "所提交的还款计划未获批准。"
            }
        },
        noPlan: "此账户目前没有还款计划。",
        installmentNumber: "期数",
        dueDate: "到期日",
        amount: "金额",
        state: "状态",
        installmentPaid: "已还",
        installmentNextDue: "下一期",
        installmentMissed: "逾期未还",
        installmentLater: "未到期",
        installmentPartlyPaid: { paid in "部分已还（\(paid)）" },
        promisesHeading: "您的还款承诺",
        promise: { amount, date in "\(date)前还款\(amount)" },
        noPromises: "您目前没有未兑现的还款承诺。",
        disputeHeading: "异议",
        disputeNone: "您尚未对此债务提出异议。",
        disputeOpen: { date in "您已于\(date)对此债务提出异议。审核期间我们已暂停催收，并将以书面形式答复您。" },
        disputeUpheld: { date in "您的异议已于\(date)获得支持。" },
        disputeRejected: { date in "我们已审核您的异议，未予支持（\(date)）。如有新的信息，您可以再次提出异议。" },
        howToDisputeHeading: "如何提出异议",
        howToDispute: { agency in
            var ways: [String] = []
            if let address = agency.address { ways.append("致函\(address.replacingLineBreaks(with: ", "))") }
            if let email = agency.email { ways.append("发送电子邮件至\(email)") }
            if let phone = agency.phone { ways.append("致电\(phone)" + (agency.hours.map { "（\($0)）" } ?? "")) }
            let how: String
            if let last = ways.last, ways.count > 1 {
                how = ways.dropLast().joined(separator: "、") + "或" + last
            } else {
                how = ways.first ?? "按照我们寄给您的信函或消息中的联系方式，以书面或电话方式告知我们"
            }
            return "如果您认为此金额有误或并非您的债务，请\(how)，并说明理由。审核异议期间，我们将暂停对此账户的催收，并以书面形式答复您。"
        },

        contactHeading: "联系我们",
        phone: "电话",
        email: "电子邮件",
        address: "地址",
        hours: "服务时间",
        contactMissing: "请使用引导您来到此页面的信函或消息中的联系方式。",

        feedbackTitle: "请评价我们的服务",
        feedbackIntro: "请对您最近与我们的联系进行评价。只需一分钟，我们会认真阅读每一条反馈。",
        ratingCommunication: "我们的沟通是否清楚？",
        ratingAttitude: "我们的态度是否尊重？",
        ratingResolution: "我们解决您问题的效果如何？",
        ratingScale: "1 = 很差，5 = 很好",
        npsLabel: "您有多大可能向处境相似的人推荐我们？（0 = 完全不可能，10 = 非常可能）",
        npsNoAnswer: "不作答",
        commentLabel: "还有其他想告诉我们的吗？（选填）",
        submit: "提交反馈",
        errorSummary: "请检查下方标出的回答。",
        ratingRequired: "请选择 1 到 5 的评分。",
        npsInvalid: "请选择 0 到 10 之间的数字，或选择不作答。",
        commentTooLong: "请将留言缩短至 2000 个字符以内。",
        thankYouTitle: "谢谢您",
        thankYouText: "我们已收到您的反馈。",
        followUpText: "很抱歉未能让您满意。主管会跟进此事，并可能与您联系。",

        notFoundTitle: "链接无效",
        notFoundText: "此链接无效，请检查链接是否完整。",
        statementGoneTitle: "此链接已失效",
        statementGoneText: "对账单链接的有效期为 30 天，也可能已被撤回。请联系我们获取新链接。",
        feedbackGoneTitle: "此问卷已关闭",
        feedbackGoneText: "此反馈表已过期。感谢您抽出时间。",
        feedbackAnsweredTitle: "谢谢，我们已收到您的反馈",
        feedbackAnsweredText: "此反馈表已提交过，无需再次提交。",
        badRequestTitle: "出错了",
        badRequestText: "我们无法读取提交的内容，请返回后重试。",
        tooManyTitle: "请稍候",
        tooManyText: { seconds in "您的网络连接发出的请求过多，请在 \(seconds) 秒后重试。" },
        serverErrorTitle: "抱歉，出错了",
        serverErrorText: "我们这边出现了问题，请稍后再试。"
    )
}
