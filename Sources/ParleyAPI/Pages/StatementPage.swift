import ParleyCore

/// The statement page (contract §16): creditor, balance breakdown, plan schedule with paid and
/// next due marked, open promises, where a dispute stands and how to dispute, and how to reach
/// the agency. Nothing internal: no agent, note, score, segment or national id is ever passed in.
enum StatementPage {
    static func render(_ page: DebtorStatement, audience: PageAudience, agency: AgencyContact, _ s: PageStrings) -> HTML {
        let debtCase = page.statement.debtCase
        let asOf = s.dateTime(s.date(audience.localDate(of: page.asOf)), audience.localTime(of: page.asOf))
        let main: HTML = """
            <h1>\(s.statementTitle)</h1>
            <p id="account">\(s.accountWith(debtCase.creditor, debtCase.externalRef))</p>
            <p class="muted" id="as-of">\(s.figuresAsOf(asOf))</p>
            \(balance(debtCase, s))
            \(plan(page.statement, s))
            \(promises(page.statement, s))
            \(dispute(page.latestDispute, audience: audience, agency: agency, s))
            \(AgencySection.render(agency, s))
            """
        return PageLayout.document(s, title: s.statementTitle, main: main, footer: [
            s.privateNotice(audience.debtorName), s.linkValidUntil(s.date(audience.localDate(of: page.linkExpiresAt))),
        ])
    }

    static func balance(_ debtCase: DebtCase, _ s: PageStrings) -> HTML {
        let b = debtCase.balance
        let rows: [(String, String, Int64)] = [
            ("principal", s.principal, b.principalMinor), ("interest", s.interest, b.interestMinor), ("fees", s.fees, b.feesMinor),
            ("paid", s.paid, b.paidMinor), ("waived", s.waived, b.waivedMinor),
        ]
        let lines = rows.map { id, label, minor -> HTML in
            "<tr id=\"balance-\(id)\"><th scope=\"row\">\(label)</th><td class=\"num\">\(s.money(minor, currency: debtCase.currency))</td></tr>"
        }
        return """
            <section id="balance">
            <h2>\(s.balanceHeading)</h2>
            <table>\(lines)<tr class="total" id="balance-outstanding"><th scope="row">\(s.outstanding)</th>\
            <td class="num">\(s.money(b.balanceMinor, currency: debtCase.currency))</td></tr></table>
            </section>
            """
    }

    static func plan(_ statement: Statement, _ s: PageStrings) -> HTML {
        guard let casePlan = statement.plan else {
            return "<section id=\"plan\"><h2>\(s.planHeading)</h2><p>\(s.noPlan)</p></section>"
        }
        let currency = statement.debtCase.currency
        let rows = casePlan.plan.installments.map { installment -> HTML in
            let (rowClass, tag) = state(of: installment, nextDueSeq: statement.nextDueSeq, currency: currency, s)
            return """
                <tr class="installment \(rowClass)" id="installment-\(installment.seq)"><td>\(installment.seq)</td>\
                <td>\(s.date(installment.dueDate))</td><td class="num">\(s.money(installment.amountMinor, currency: currency))</td>\
                <td>\(tag)</td></tr>
                """
        }
        return """
            <section id="plan">
            <h2>\(s.planHeading)</h2>
            <p id="plan-status">\(s.planStatus(casePlan.plan.status))</p>
            <table>
            <thead><tr><th scope="col">\(s.installmentNumber)</th><th scope="col">\(s.dueDate)</th>\
            <th scope="col" class="num">\(s.amount)</th><th scope="col">\(s.state)</th></tr></thead>
            <tbody>\(rows)</tbody>
            </table>
            </section>
            """
    }

    /// The row class and status tag of an instalment: paid, next due, missed, part paid or later.
    static func state(of installment: Installment, nextDueSeq: Int?, currency: String, _ s: PageStrings) -> (String, HTML) {
        if installment.isPaid { return ("paid-row", "<span class=\"tag paid\">\(s.installmentPaid)</span>") }
        if installment.seq == nextDueSeq { return ("next", "<span class=\"tag\">\(s.installmentNextDue)</span>") }
        if installment.status == .missed { return ("missed-row", "<span class=\"tag missed\">\(s.installmentMissed)</span>") }
        if installment.paidMinor > 0 {
            return ("part-row", "<span class=\"tag later\">\(s.installmentPartlyPaid(s.money(installment.paidMinor, currency: currency)))</span>")
        }
        return ("later-row", "<span class=\"tag later\">\(s.installmentLater)</span>")
    }

    static func promises(_ statement: Statement, _ s: PageStrings) -> HTML {
        let currency = statement.debtCase.currency
        let items = statement.promises.map { promise -> HTML in
            "<li class=\"promise\">\(s.promise(s.money(promise.promise.amountMinor, currency: currency), s.date(promise.promise.dueDate)))</li>"
        }
        let list: HTML = items.isEmpty ? "<p>\(s.noPromises)</p>" : "<ul>\(items)</ul>"
        return "<section id=\"promises\"><h2>\(s.promisesHeading)</h2>\(list)</section>"
    }

    static func dispute(_ dispute: Dispute?, audience: PageAudience, agency: AgencyContact, _ s: PageStrings) -> HTML {
        let state: String
        if let dispute {
            let decided = s.date(audience.localDate(of: dispute.resolvedAt ?? dispute.openedAt))
            switch dispute.status {
            case .open: state = s.disputeOpen(s.date(audience.localDate(of: dispute.openedAt)))
            case .upheld: state = s.disputeUpheld(decided)
            case .rejected: state = s.disputeRejected(decided)
            }
        } else {
            state = s.disputeNone
        }
        return """
            <section id="dispute">
            <h2>\(s.disputeHeading)</h2>
            <p id="dispute-state">\(state)</p>
            <h3>\(s.howToDisputeHeading)</h3>
            <p id="how-to-dispute">\(s.howToDispute(agency))</p>
            </section>
            """
    }
}
