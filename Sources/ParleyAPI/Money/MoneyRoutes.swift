import ParleyCore
import ParleyHTTP

/// Plans, payments, promises and adjustments of a case (contract §9).
struct MoneyRoutes {
    let services: APIServices
    var money: MoneyService { services.money }

    func register(in router: Router) {
        router.post("/v1/cases/{id}/plans", handler: services.idempotent(required: false, .logCaseActivity, proposePlan))
        router.get("/v1/cases/{id}/plans", handler: services.secured(plans))
        router.get("/v1/cases/{id}/plans/{plan_id}", handler: services.secured(plan))
        router.post("/v1/cases/{id}/plans/{plan_id}/approve", handler: services.idempotent(required: false, .approveAndAssign, decide(.approve)))
        router.post("/v1/cases/{id}/plans/{plan_id}/reject", handler: services.idempotent(required: false, .approveAndAssign, decide(.reject)))
        router.post("/v1/cases/{id}/plans/{plan_id}/cancel", handler: services.idempotent(required: false, .logCaseActivity, decide(.cancel)))
        router.post("/v1/cases/{id}/payments", handler: services.idempotent(required: true, .logCaseActivity, recordPayment))
        router.get("/v1/cases/{id}/payments", handler: services.secured(payments))
        router.get("/v1/cases/{id}/payments/{payment_id}", handler: services.secured(payment))
        router.post("/v1/cases/{id}/payments/{payment_id}/reverse", handler: services.idempotent(required: false, .approveAndAssign, reverse))
        router.post("/v1/cases/{id}/promises", handler: services.idempotent(required: false, .logCaseActivity, makePromise))
        router.get("/v1/cases/{id}/promises", handler: services.secured(promises))
        router.post("/v1/cases/{id}/adjustments", handler: services.idempotent(required: false, .logCaseActivity, requestAdjustment))
        router.get("/v1/cases/{id}/adjustments", handler: services.secured(adjustments))
        router.post("/v1/cases/{id}/adjustments/{adjustment_id}/approve",
                    handler: services.idempotent(required: false, .approveAndAssign, decideAdjustment(approve: true)))
        router.post("/v1/cases/{id}/adjustments/{adjustment_id}/reject",
                    handler: services.idempotent(required: false, .approveAndAssign, decideAdjustment(approve: false)))
    }

    /// An unknown or hidden case is 404 before anything about the body is said.
    private func requireCase(_ context: RequestContext, _ actor: Principal) throws -> CaseID {
        let caseID = CaseID(context.parameter("id"))
        _ = try services.cases.visibleCase(caseID, by: actor)
        return caseID
    }

    func proposePlan(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let caseID = try requireCase(context, actor)
        var body = try JSONBody(request)
        let count = try body.requiredInt("installment_count")
        let frequency = try body.requiredString("frequency")
        let firstDue = try body.requiredString("first_due_date")
        let downPayment = try body.optionalInt("down_payment_minor") ?? 0
        let total = try body.optionalInt("total_minor")
        try body.finish(alsoChecking: money.fieldChecks(caseID: caseID, by: actor) { debtCase, today, _ in
            _ = try PlanRequest(installmentCount: count ?? 1, frequency: frequency ?? PlanFrequency.monthly.rawValue,
                                firstDueDate: firstDue ?? today.description, downPaymentMinor: downPayment, totalMinor: total)
                .validate(balanceMinor: debtCase.balance.balanceMinor, today: today)
        })
        let (countValue, frequencyValue, firstDueValue) = try body.finish(count, frequency, firstDue)
        let plan = try money.proposePlan(caseID: caseID, request: PlanRequest(
            installmentCount: countValue, frequency: frequencyValue, firstDueDate: firstDueValue, downPaymentMinor: downPayment,
            totalMinor: total), by: actor)
        return Reply.json(.created, location: "/v1/cases/\(caseID)/plans/\(plan.plan.id)") { MoneyJSON.write(plan, to: &$0) }
    }

    func plans(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let page = Page.of(try money.plans(caseID: CaseID(context.parameter("id")), by: actor), try request.pageRequest(.id("pln"))) { $0.plan.id }
        return Reply.page(page) { writer, plan in MoneyJSON.write(plan, to: &writer) }
    }

    func plan(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let plan = try money.plan(caseID: CaseID(context.parameter("id")), planID: PlanID(context.parameter("plan_id")), by: actor)
        return Reply.json { MoneyJSON.write(plan, to: &$0) }
    }

    /// The decisions carry no fields: no body, `{}`, or one that is sent must be JSON (415, 400).
    func decide(_ decision: MoneyService.PlanDecision) -> SecuredHandler {
        { request, context, actor in
            _ = try JSONBody.ifPresent(request)
            let plan = try money.decidePlan(caseID: CaseID(context.parameter("id")), planID: PlanID(context.parameter("plan_id")), decision, by: actor)
            return Reply.json { MoneyJSON.write(plan, to: &$0) }
        }
    }

    func recordPayment(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let caseID = try requireCase(context, actor)
        var body = try JSONBody(request)
        let amount = try body.requiredInt("amount_minor")
        let currency = try body.requiredString("currency")
        let paidAt = try body.optionalInstant("paid_at")
        let method = try body.optionalString("method")
        let reference = try body.optionalString("reference")
        try body.finish(alsoChecking: money.fieldChecks(caseID: caseID, by: actor) { debtCase, _, now in
            // The amount is checked below, against the balance too.
            var failure = MoneyService.NewPayment.checkFields(amountMinor: nil, paidAt: paidAt, method: method,
                                                               reference: reference, now: now)
            PaymentValidation.check(amountMinor: amount ?? 1, currency: currency ?? debtCase.currency, caseCurrency: debtCase.currency,
                                    balanceMinor: debtCase.balance.balanceMinor, into: &failure)
            try failure.throwIfAny()
        })
        let (amountValue, currencyValue) = try body.finish(amount, currency)
        let payment = try money.recordPayment(caseID: caseID, MoneyService.NewPayment(
            amountMinor: amountValue, currency: currencyValue, paidAt: paidAt, method: method, reference: reference), by: actor)
        return Reply.json(.created, location: "/v1/cases/\(caseID)/payments/\(payment.id)") { MoneyJSON.write(payment, to: &$0) }
    }

    func payments(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let page = Page.of(try money.payments(caseID: CaseID(context.parameter("id")), by: actor), try request.pageRequest(.id("pay"))) { $0.id }
        return Reply.page(page) { writer, payment in MoneyJSON.write(payment, to: &writer) }
    }

    func payment(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let payment = try money.payment(caseID: CaseID(context.parameter("id")), paymentID: PaymentID(context.parameter("payment_id")), by: actor)
        return Reply.json { MoneyJSON.write(payment, to: &$0) }
    }

    func reverse(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let caseID = try requireCase(context, actor)
        var body = try JSONBody(request)
        // Read first, then finish: `finish` must see the failure the read records.
        let required = try body.requiredString("reason")
        let reason = try body.finish(required)
        let payment = try money.reversePayment(caseID: caseID, paymentID: PaymentID(context.parameter("payment_id")), reason: reason, by: actor)
        return Reply.json { MoneyJSON.write(payment, to: &$0) }
    }

    func makePromise(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let caseID = try requireCase(context, actor)
        var body = try JSONBody(request)
        let amount = try body.requiredInt("amount_minor")
        let due = try body.requiredString("due_date")
        try body.finish(alsoChecking: money.fieldChecks(caseID: caseID, by: actor) { debtCase, today, _ in
            _ = try PaymentPromise.validate(amountMinor: amount ?? 1, dueDate: due ?? today.description,
                                            balanceMinor: debtCase.balance.balanceMinor, today: today)
        })
        let (amountValue, dueValue) = try body.finish(amount, due)
        let promise = try money.makePromise(caseID: caseID, amountMinor: amountValue, dueDate: dueValue, by: actor)
        return Reply.json(.created) { MoneyJSON.write(promise, to: &$0) }
    }

    func promises(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let page = Page.of(try money.promises(caseID: CaseID(context.parameter("id")), by: actor), try request.pageRequest(.id("prm"))) { $0.promise.id }
        return Reply.page(page) { writer, promise in MoneyJSON.write(promise, to: &writer) }
    }

    func requestAdjustment(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let caseID = try requireCase(context, actor)
        var body = try JSONBody(request)
        let kind = try body.requiredString("kind")
        let amount = try body.requiredInt("amount_minor")
        let reason = try body.requiredString("reason")
        let draft = AdjustmentRequest(kind: kind ?? "", amountMinor: amount ?? 1, reason: reason ?? "")
        // A clean body is checked whole in the service; a failing one is answered with every
        // field checked here against the case's balance too.
        try body.finish(alsoChecking: money.fieldChecks(caseID: caseID, by: actor) { debtCase, _, _ in
            try draft.check(balanceMinor: debtCase.balance.balanceMinor).throwIfAny()
        })
        let adjustment = try money.requestAdjustment(caseID: caseID, draft, by: actor)
        return Reply.json(.created) { MoneyJSON.write(adjustment, to: &$0) }
    }

    func adjustments(_ request: HTTPRequest, _ context: RequestContext, _ actor: Principal) throws -> HTTPResponse {
        let page = Page.of(try money.adjustments(caseID: CaseID(context.parameter("id")), by: actor), try request.pageRequest(.id("adj"))) { $0.id }
        return Reply.page(page) { writer, adjustment in MoneyJSON.write(adjustment, to: &writer) }
    }

    func decideAdjustment(approve: Bool) -> SecuredHandler {
        { request, context, actor in
            _ = try JSONBody.ifPresent(request)
            let adjustment = try money.decideAdjustment(caseID: CaseID(context.parameter("id")), adjustmentID: AdjustmentID(context.parameter("adjustment_id")),
                                                        approve: approve, by: actor)
            return Reply.json { MoneyJSON.write(adjustment, to: &$0) }
        }
    }
}
