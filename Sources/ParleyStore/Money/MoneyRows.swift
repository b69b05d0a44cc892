import ParleyCore
import ParleySQLite

/// JSON columns of the money tables: splits, allocations and instalments.
enum MoneyJSON {
    static func encode(_ split: ComponentSplit) -> JSONValue {
        .object([("fees_minor", .number(String(split.feesMinor))), ("interest_minor", .number(String(split.interestMinor))),
                 ("principal_minor", .number(String(split.principalMinor)))])
    }

    static func decodeSplit(_ value: JSONValue) throws -> ComponentSplit {
        guard let fees = value["fees_minor"]?.int64, let interest = value["interest_minor"]?.int64,
              let principal = value["principal_minor"]?.int64 else { throw CorruptDataError("a stored component split is malformed") }
        return ComponentSplit(feesMinor: fees, interestMinor: interest, principalMinor: principal)
    }

    static func encode(_ allocation: Allocation) -> String {
        JSONValue.object([
            ("components", encode(allocation.components)),
            ("plan_id", allocation.planID.map { JSONValue.string($0.rawValue) } ?? .null),
            ("installments", .array(allocation.installments.map {
                .object([("seq", .number(String($0.seq))), ("amount_minor", .number(String($0.amountMinor)))])
            })),
        ]).compact
    }

    static func decodeAllocation(_ value: JSONValue) throws -> Allocation {
        guard let components = value["components"], case .array(let shares)? = value["installments"] else {
            throw CorruptDataError("a stored allocation is malformed")
        }
        return Allocation(components: try decodeSplit(components), planID: value["plan_id"]?.string.map { PlanID($0) }, installments: try shares.map { share in
            guard let seq = share["seq"]?.int64, let amount = share["amount_minor"]?.int64 else {
                throw CorruptDataError("a stored instalment share is malformed")
            }
            return InstallmentShare(seq: Int(seq), amountMinor: amount)
        })
    }

    static func encode(_ installments: [Installment]) -> String {
        JSONValue.array(installments.map { installment in
            .object([
                ("seq", .number(String(installment.seq))), ("due_date", .string(installment.dueDate.description)),
                ("amount_minor", .number(String(installment.amountMinor))), ("paid_minor", .number(String(installment.paidMinor))),
                ("status", .string(installment.status.rawValue)),
            ])
        }).compact
    }

    static func decodeInstallments(_ value: JSONValue) throws -> [Installment] {
        guard case .array(let items) = value else { throw CorruptDataError("stored instalments are not an array") }
        return try items.map { item in
            guard let seq = item["seq"]?.int64, let due = item["due_date"]?.string.flatMap(CalendarDate.init(iso:)),
                  let amount = item["amount_minor"]?.int64, let paid = item["paid_minor"]?.int64,
                  let status = item["status"]?.string.flatMap(InstallmentStatus.init(rawValue:)) else {
                throw CorruptDataError("a stored instalment is malformed")
            }
            return Installment(seq: Int(seq), dueDate: due, amountMinor: amount, paidMinor: paid, status: status)
        }
    }
}

enum MoneyRows {
    static let planColumns: SQL = """
        id, case_id, status, total_minor, frequency, balance_at_proposal_minor, installments, settlement_waiver, created_by,
        created_at, updated_at, decided_by
        """

    static func plan(_ row: Row) throws -> CasePlan {
        let plan = try PaymentPlan(
            id: row.identifier(0), status: row.value(2, as: PlanStatus.self), totalMinor: row.int(3),
            frequency: row.value(4, as: PlanFrequency.self), balanceAtProposalMinor: row.int(5),
            installments: MoneyJSON.decodeInstallments(row.json(6)), settlementWaiver: row.jsonOrNil(7).map(MoneyJSON.decodeSplit))
        return CasePlan(plan: plan, caseID: row.identifier(1), createdBy: row.string(8), createdAt: row.instant(9),
                        updatedAt: row.instant(10), decidedBy: row.stringOrNil(11))
    }

    static let paymentColumns: SQL = """
        id, case_id, amount_minor, currency, paid_at, method, reference, status, allocation, created_by, created_at, reversed_at,
        reversed_by, reversal_reason
        """

    static func payment(_ row: Row) throws -> Payment {
        try Payment(id: row.identifier(0), caseID: row.identifier(1), amountMinor: row.int(2), currency: row.string(3), paidAt: row.instant(4),
                    method: row.stringOrNil(5), reference: row.stringOrNil(6), status: row.value(7, as: Payment.Status.self),
                    allocation: MoneyJSON.decodeAllocation(row.json(8)), createdBy: row.string(9), createdAt: row.instant(10),
                    reversedAt: row.instantOrNil(11), reversedBy: row.stringOrNil(12), reversalReason: row.stringOrNil(13))
    }

    static let promiseColumns: SQL = "id, case_id, amount_minor, due_date, status, created_by, created_at, resolved_at"

    static func promise(_ row: Row) throws -> CasePromise {
        try CasePromise(
            promise: PaymentPromise(id: row.identifier(0), amountMinor: row.int(2), dueDate: row.date(3), createdAt: row.instant(6),
                                    status: row.value(4, as: PaymentPromise.Status.self)),
            caseID: row.identifier(1), createdBy: row.string(5), resolvedAt: row.instantOrNil(7))
    }

    static let adjustmentColumns: SQL = """
        id, case_id, kind, amount_minor, reason, status, waiver, requested_by, created_at, decided_by, decided_at
        """

    static func adjustment(_ row: Row) throws -> Adjustment {
        try Adjustment(id: row.identifier(0), caseID: row.identifier(1), kind: row.value(2, as: AdjustmentKind.self), amountMinor: row.int(3),
                       reason: row.string(4), status: row.value(5, as: AdjustmentStatus.self),
                       waiver: row.jsonOrNil(6).map(MoneyJSON.decodeSplit), requestedBy: row.string(7), createdAt: row.instant(8),
                       decidedBy: row.stringOrNil(9), decidedAt: row.instantOrNil(10))
    }
}
