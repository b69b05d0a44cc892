import ParleyCore

/// The wire shapes of plans, payments, promises and adjustments (contract §15 shapes).
enum MoneyJSON {
    static func write(_ p: CasePlan, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", p.plan.id)
        writer.field("case_id", p.caseID)
        writer.field("status", p.plan.status.rawValue)
        writer.field("total_minor", p.plan.totalMinor)
        writer.field("frequency", p.plan.frequency.rawValue)
        writer.field("settlement", p.plan.isSettlement)
        writer.field("paid_minor", p.plan.paidMinor)
        writer.key("installments")
        writer.beginArray()
        for installment in p.plan.installments {
            writer.beginObject()
            writer.field("seq", installment.seq)
            writer.field("due_date", installment.dueDate)
            writer.field("amount_minor", installment.amountMinor)
            writer.field("paid_minor", installment.paidMinor)
            writer.field("status", installment.status.rawValue)
            writer.endObject()
        }
        writer.endArray()
        writer.field("next_due_date", p.plan.nextDueDate)
        writer.field("created_at", p.createdAt)
        writer.field("updated_at", p.updatedAt)
        writer.endObject()
    }

    static func write(_ p: Payment, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", p.id)
        writer.field("case_id", p.caseID)
        writer.field("amount_minor", p.amountMinor)
        writer.field("currency", p.currency)
        writer.field("paid_at", p.paidAt)
        writer.field("method", p.method)
        writer.field("reference", p.reference)
        writer.field("status", p.status.rawValue)
        writer.key("allocation")
        writer.beginObject()
        writer.field("fees_minor", p.allocation.components.feesMinor)
        writer.field("interest_minor", p.allocation.components.interestMinor)
        writer.field("principal_minor", p.allocation.components.principalMinor)
        writer.field("plan_id", p.allocation.planID)
        writer.key("installments")
        writer.beginArray()
        for share in p.allocation.installments {
            writer.beginObject()
            writer.field("seq", share.seq)
            writer.field("amount_minor", share.amountMinor)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.field("created_at", p.createdAt)
        writer.field("reversed_at", p.reversedAt)
        writer.field("reversal_reason", p.reversalReason)
        writer.endObject()
    }

    static func write(_ p: CasePromise, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", p.promise.id)
        writer.field("case_id", p.caseID)
        writer.field("amount_minor", p.promise.amountMinor)
        writer.field("due_date", p.promise.dueDate)
        writer.field("status", p.promise.status.rawValue)
        writer.field("created_at", p.promise.createdAt)
        writer.field("resolved_at", p.resolvedAt)
        writer.endObject()
    }

    static func write(_ a: Adjustment, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("id", a.id)
        writer.field("case_id", a.caseID)
        writer.field("kind", a.kind.rawValue)
        writer.field("amount_minor", a.amountMinor)
        writer.field("reason", a.reason)
        writer.field("status", a.status.rawValue)
        writer.field("created_at", a.createdAt)
        writer.field("decided_at", a.decidedAt)
        writer.endObject()
    }
}
