import ParleyCore
import ParleyStore

extension WorldGenerator {
    /// Promises after some conversations, payments (kept promises, plan instalments, one-offs; a few
    /// reversed) and plans, with the case's ledger and status following from them.
    mutating func addMoney(_ c: inout WorldRows.Case, connectedAt: [Int64], actor: String, to batch: inout WorldRows.Batch) {
        let now = settings.now.millisecondsSinceEpoch
        let today = settings.now.utcDate
        var payments: [Int64] = []
        var pendingPromise = false
        if let spokenAt = connectedAt.first, random.chance(0.4) {
            let due = Instant(millisecondsSinceEpoch: spokenAt).utcDate.adding(days: Int.random(in: 3...21, using: &random))
            let amount = max(1, c.placed / Int64.random(in: 4...10, using: &random))
            var status = PaymentPromise.Status.pending
            var resolvedAt: Int64?
            if due < today {
                let dueEnd = due.adding(days: 1).startInstantUTC.millisecondsSinceEpoch
                status = random.chance(0.55) ? .kept : .broken
                resolvedAt = min(now, dueEnd + Self.day)
                if status == .kept { payments.append(dueEnd - Int64.random(in: 1...Self.day, using: &random)) }
            }
            pendingPromise = status == .pending
            batch.promises.append(WorldRows.Promise(id: id("prm", at: spokenAt), caseID: c.id, amount: amount, dueDate: due, status: status,
                                                    createdBy: actor, createdAt: spokenAt, resolvedAt: resolvedAt))
        }
        var livePlan = false
        if random.chance(0.06) {
            let createdAt = c.createdAt + Int64.random(in: 10...60, using: &random) * Self.day
            if createdAt < now {
                let finished = createdAt + 90 * Self.day < now
                let status: PlanStatus = finished ? [.completed, .broken, .cancelled][random.pick([0.45, 0.4, 0.15])] : .active
                let updatedAt = finished ? min(now, createdAt + Int64.random(in: 60...95, using: &random) * Self.day) : createdAt
                let total = max(3, c.placed / 2)
                let first = Instant(millisecondsSinceEpoch: createdAt).utcDate.adding(days: 30)
                let installments = (0..<3).map { seq in
                    let dueDate = first.adding(months: seq, anchorDay: first.day)
                    let amount = seq < 2 ? total / 3 : total - 2 * (total / 3)
                    // An active plan is in good standing: what fell due is paid (else the plan monitor would break it).
                    let paid = switch status {
                    case .completed: true
                    case .active: dueDate.startInstantUTC.millisecondsSinceEpoch < now
                    default: seq == 0
                    }
                    return Installment(seq: seq + 1, dueDate: dueDate, amountMinor: amount, paidMinor: paid ? amount : 0,
                                       status: paid ? .paid : (status == .broken ? .missed : .pending))
                }
                for installment in installments where installment.status == .paid {
                    payments.append(min(now, installment.dueDate.startInstantUTC.millisecondsSinceEpoch + 3_600_000))
                }
                livePlan = status == .active
                batch.plans.append(WorldRows.Plan(id: id("pln", at: createdAt), caseID: c.id, status: status, total: total,
                                                  balanceAtProposal: c.placed, installments: installments, createdBy: actor,
                                                  createdAt: createdAt, updatedAt: updatedAt))
            }
        }
        if random.chance(0.2) {
            // Before a pending promise was made, or the promise monitor would count them towards it.
            let latest = pendingPromise ? (batch.promises.last?.createdAt ?? now) - 1 : now
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let paidAt = min(latest, c.createdAt + Int64.random(in: 1...200, using: &random) * Self.day)
                if paidAt > c.createdAt { payments.append(paidAt) }
            }
        }
        for paidAt in payments.sorted() {
            let outstanding = c.placed - c.paid
            guard outstanding > 0 else { break }
            let amount = min(outstanding, max(1, c.placed / Int64.random(in: 3...12, using: &random)))
            let reversed = random.chance(0.04)
            var split = ComponentSplit()
            if !reversed {
                // Fees first, then interest, then principal.
                var left = amount
                split.feesMinor = min(left, c.fees - c.paidFees); left -= split.feesMinor
                split.interestMinor = min(left, c.interest - c.paidInterest); left -= split.interestMinor
                split.principalMinor = left
                c.paidFees += split.feesMinor
                c.paidInterest += split.interestMinor
                c.paidPrincipal += split.principalMinor
            } else {
                split = ComponentSplit(principalMinor: amount)
            }
            batch.payments.append(WorldRows.Payment(id: id("pay", at: paidAt), caseID: c.id, amount: amount, currency: c.currency,
                                                    paidAt: paidAt, split: split, reversed: reversed, createdBy: actor))
            c.updatedAt = max(c.updatedAt, paidAt)
        }
        if c.paid >= c.placed {
            c.status = .paid
        } else if livePlan {
            c.status = .plan
        } else if pendingPromise {
            c.status = .promise
        }
    }

    /// Survey answers after some conversations, and complaints on a few cases.
    mutating func addVoice(_ c: WorldRows.Case, contacts: ArraySlice<WorldRows.Communication>, actor: String,
                           to batch: inout WorldRows.Batch) {
        let now = settings.now.millisecondsSinceEpoch
        if let call = contacts.first(where: { $0.outcome.isConnected }), random.chance(0.12) {
            let answeredAt = call.recordedAt + Int64.random(in: 60_000...(2 * Self.day), using: &random)
            if answeredAt <= now {
                let base = Int64.random(in: 1...5, using: &random)
                func near() -> Int64 { min(5, max(1, base + Int64.random(in: -1...1, using: &random))) }
                let token = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
                batch.feedback.append(WorldRows.Feedback(
                    surveyID: id("srv", at: call.recordedAt), feedbackID: id("fbk", at: answeredAt), caseID: c.id,
                    communicationID: call.id, agentID: c.assignedTo, tokenHash: token, scores: (near(), near(), near()),
                    nps: random.chance(0.8) ? Int64.random(in: 0...10, using: &random) : nil, createdBy: actor,
                    sentAt: call.recordedAt, answeredAt: answeredAt))
            }
        }
        if random.chance(0.005) {
            let createdAt = c.createdAt + Int64.random(in: 0...max(1, now - c.createdAt), using: &random)
            let age = now - createdAt
            let status = age > 30 * Self.day ? (random.chance(0.8) ? "resolved" : "rejected") : (age > 3 * Self.day ? "investigating" : "open")
            batch.complaints.append(WorldRows.Complaint(
                id: id("cmp", at: createdAt), caseID: c.id,
                category: ["harassment", "wrong_amount", "privacy", "staff_attitude", "third_party_contact", "other"][Int.random(in: 0..<6, using: &random)],
                severity: ["low", "medium", "high"][random.pick([0.5, 0.35, 0.15])], status: status, createdBy: actor, createdAt: createdAt,
                acknowledgedAt: status == "open" ? nil : createdAt + Self.day,
                resolvedAt: status == "resolved" || status == "rejected" ? createdAt + 20 * Self.day : nil))
        }
    }
}
