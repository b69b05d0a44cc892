import ParleyCore

/// The wire form of cases, disputes, timelines and statements.
enum CaseJSON {
    static func write(_ c: DebtCase, debtor: DebtorSummary? = nil, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", c.id)
        writer.field("debtor_id", c.debtorID)
        writer.field("creditor", c.creditor)
        writer.field("external_ref", c.externalRef)
        writer.field("currency", c.currency)
        writer.field("principal_minor", c.balance.principalMinor)
        writer.field("interest_minor", c.balance.interestMinor)
        writer.field("fees_minor", c.balance.feesMinor)
        writer.field("delinquent_since", c.delinquentSince)
        writer.field("jurisdiction", c.jurisdiction)
        writer.field("assigned_to", c.assignedTo)
        writer.field("team", c.team)
        writer.field("priority", c.priority.rawValue)
        writer.key("tags")
        writer.beginArray()
        for tag in c.tags { writer.string(tag) }
        writer.endArray()
        writer.field("status", c.status.rawValue)
        writer.field("close_reason", c.closeReason?.rawValue)
        writer.field("segment", c.effectiveSegment.rawValue)
        writer.field("segment_source", c.segmentOverride == nil ? "rules" : "override")
        writer.field("segment_override", c.segmentOverride?.rawValue)
        writer.key("balance")
        writeBalance(c.balance, to: &writer)
        if let debtor {
            writer.key("debtor")
            writer.beginObject()
            writer.field("id", debtor.id)
            writer.field("name", debtor.name)
            writer.field("timezone", debtor.timezone)
            writer.key("restrictions")
            DebtorJSON.writeRestrictions(debtor.restrictions, to: &writer)
            writer.endObject()
        }
        writer.field("version", c.version)
        writer.field("created_at", c.createdAt)
        writer.field("updated_at", c.updatedAt)
        writer.endObject()
    }

    static func writeBalance(_ balance: Balance, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("principal_minor", balance.principalMinor)
        writer.field("interest_minor", balance.interestMinor)
        writer.field("fees_minor", balance.feesMinor)
        writer.field("paid_minor", balance.paidMinor)
        writer.field("waived_minor", balance.waivedMinor)
        writer.field("balance_minor", balance.balanceMinor)
        writer.endObject()
    }

    static func write(_ dispute: Dispute, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", dispute.id)
        writer.field("case_id", dispute.caseID)
        writer.field("reason", dispute.reason)
        writer.field("status", dispute.status.rawValue)
        writer.field("note", dispute.note)
        writer.field("opened_by", dispute.openedBy)
        writer.field("opened_at", dispute.openedAt)
        writer.field("resolved_by", dispute.resolvedBy)
        writer.field("resolved_at", dispute.resolvedAt)
        writer.endObject()
    }

    static func write(_ event: TimelineEvent, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("at", event.at)
        writer.field("kind", event.kind.rawValue)
        writer.field("actor", event.actor)
        writer.field("summary", event.summary)
        writer.field("ref", event.ref)
        writer.endObject()
    }

    /// What the debtor is shown: no internal notes, agent names or scores. `how_to_dispute` is the
    /// statement page's English text, naming the agency's address, e-mail and phone as configured.
    static func writeStatement(_ statement: Statement, agency: AgencyContact, to writer: inout JSONWriter) {
        let c = statement.debtCase
        writer.beginObject()
        writer.field("case_id", c.id)
        writer.field("creditor", c.creditor)
        writer.field("currency", c.currency)
        writer.field("status", c.status.rawValue)
        writer.key("balance")
        writeBalance(c.balance, to: &writer)
        writer.key("payments")
        writer.beginArray()
        for payment in statement.payments {
            writer.beginObject()
            writer.field("id", payment.id)
            writer.field("amount_minor", payment.amountMinor)
            writer.field("paid_at", payment.paidAt)
            writer.field("status", payment.status.rawValue)
            writer.endObject()
        }
        writer.endArray()
        writer.key("plan")
        if let plan = statement.plan { MoneyJSON.write(plan, to: &writer) } else { writer.null() }
        writer.field("next_due_date", statement.nextDueDate)
        writer.field("next_due_minor", statement.nextDueMinor)
        writer.key("promises")
        writer.beginArray()
        for promise in statement.promises {
            writer.beginObject()
            writer.field("amount_minor", promise.promise.amountMinor)
            writer.field("due_date", promise.promise.dueDate)
            writer.field("status", promise.promise.status.rawValue)
            writer.endObject()
        }
        writer.endArray()
        writer.field("how_to_dispute", PageStrings.english.howToDispute(agency))
        writer.endObject()
    }
}
