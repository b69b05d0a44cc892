import ParleyCore

extension PageStrings {
    static let english = PageStrings(
        htmlLang: "en",
        matches: { $0 == "en" || $0.hasPrefix("en-") },
        currencySymbols: ["USD": "$", "CNY": "CN¥", "JPY": "¥", "GBP": "£", "EUR": "€", "HKD": "HK$"],
        date: { date in
            let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            return "\(date.day) \(months[max(0, min(11, date.month - 1))]) \(date.year)"
        },
        dateTime: { date, time in "\(date), \(time)" },

        privateNotice: { name in "This page is for \(name) only. Please do not share the link." },
        linkValidUntil: { date in "This link works until \(date)." },

        statementTitle: "Your account statement",
        accountWith: { creditor, reference in "Your account with \(creditor), reference \(reference)." },
        figuresAsOf: { when in "Figures as of \(when) (your local time)." },
        balanceHeading: "Balance",
        principal: "Principal",
        interest: "Interest",
        fees: "Fees",
        paid: "Paid",
        waived: "Waived",
        outstanding: "Outstanding",
        planHeading: "Payment plan",
        planStatus: { status in
            switch status {
            case .active: "Your payment plan is active."
            case .pendingApproval: "A payment plan has been proposed and is waiting for approval."
            case .completed: "Your payment plan is complete. Thank you."
            case .broken: "Your payment plan has ended because payments were missed."
            case .cancelled: "Your payment plan was cancelled."
            case .rejected: "The proposed payment plan was not approved."
            }
        },
        noPlan: "There is no payment plan on this account.",
        installmentNumber: "No.",
        dueDate: "Due date",
        amount: "Amount",
        state: "Status",
        installmentPaid: "Paid",
        installmentNextDue: "Next due",
        installmentMissed: "Missed",
        installmentLater: "Due later",
        installmentPartlyPaid: { paid in "Part paid (\(paid))" },
        promisesHeading: "Your promises to pay",
        promise: { amount, date in "\(amount) by \(date)" },
        noPromises: "You have no open promises to pay.",
        disputeHeading: "Disputes",
        disputeNone: "You have not disputed this debt.",
        disputeOpen: { date in
            "You disputed this debt on \(date). We have paused collection while we review it, and we will send you our answer in writing."
        },
        disputeUpheld: { date in "Your dispute was upheld on \(date)." },
        disputeRejected: { date in
            "We reviewed your dispute and did not uphold it (\(date)). If you have new information, you can dispute again."
        },
        howToDisputeHeading: "How to dispute",
        howToDispute: { agency in
            var ways: [String] = []
            if let address = agency.address { ways.append("write to us at \(address.replacingLineBreaks(with: ", "))") }
            if let email = agency.email { ways.append("e-mail \(email)") }
            if let phone = agency.phone { ways.append("call \(phone)" + (agency.hours.map { " (\($0))" } ?? "")) }
            let how = ways.isEmpty ? "tell us in writing or by phone, using the contact details in the letter or message we sent you,"
                : ways.joinedAsList(conjunction: "or") + ","
            return "If you believe this amount is wrong or is not yours, \(how) and say why. "
                + "We stop collection on this account while we review your dispute, and we send you our answer in writing."
        },

        contactHeading: "Contact us",
        phone: "Phone",
        email: "E-mail",
        address: "Address",
        hours: "Opening hours",
        contactMissing: "Please use the contact details in the letter or message that brought you here.",

        feedbackTitle: "How did we do?",
        feedbackIntro: "Please rate your recent contact with us. It takes a minute, and every answer is read.",
        ratingCommunication: "How clear was our communication?",
        ratingAttitude: "How respectful were we?",
        ratingResolution: "How well did we resolve your matter?",
        ratingScale: "1 = very poor, 5 = very good",
        npsLabel: "How likely are you to recommend us to someone in a similar situation? (0 = not at all, 10 = very likely)",
        npsNoAnswer: "No answer",
        commentLabel: "Anything else you want to tell us? (optional)",
        submit: "Send feedback",
        errorSummary: "Please check the answers marked below.",
        ratingRequired: "Please choose a rating from 1 to 5.",
        npsInvalid: "Please choose a number from 0 to 10, or no answer.",
        commentTooLong: "Please shorten your comment to 2000 characters or fewer.",
        thankYouTitle: "Thank you",
        thankYouText: "We have received your feedback.",
        followUpText: "We are sorry we fell short. A supervisor will look into it and may contact you.",

        notFoundTitle: "Link not found",
        notFoundText: "This link is not valid. Please check that it was copied in full.",
        statementGoneTitle: "This link is no longer valid",
        statementGoneText: "Statement links work for 30 days and can be withdrawn. Please contact us for a new one.",
        feedbackGoneTitle: "This survey is closed",
        feedbackGoneText: "This feedback form has expired. Thank you for your time.",
        feedbackAnsweredTitle: "Thank you, we have your answer",
        feedbackAnsweredText: "This feedback form has already been answered, so nothing more needs to be sent.",
        badRequestTitle: "Something went wrong",
        badRequestText: "We could not read what was sent. Please go back and try again.",
        tooManyTitle: "Please wait a moment",
        tooManyText: { seconds in "Too many requests came from your connection. Please try again in \(seconds) seconds." },
        serverErrorTitle: "Sorry, something went wrong",
        serverErrorText: "Something went wrong on our side. Please try again later."
    )
}

extension String {
    /// Lines of a multi-line setting (an address) on one line.
    func replacingLineBreaks(with separator: String) -> String {
        split(whereSeparator: \.isNewline).map { String($0).trimmingSpaces }.filter { !$0.isEmpty }.joined(separator: separator)
    }
}

extension Array where Element == String {
    /// `a`, `a or b`, `a, b or c`.
    func joinedAsList(conjunction: String) -> String {
        guard count > 1, let last else { return first ?? "" }
        return dropLast().joined(separator: ", ") + " \(conjunction) " + last
    }
}
