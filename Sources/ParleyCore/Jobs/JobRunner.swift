import Foundation
import Synchronization

/// A job the runner knows: what it does at an `as_of` instant, answered as named counts.
public struct Job: Sendable {
    public let name: String
    /// How often the in-process schedule runs it.
    public let interval: Double
    public let run: @Sendable (Instant) throws -> [(String, Int64)]

    public init(name: String, interval: Double, run: @escaping @Sendable (Instant) throws -> [(String, Int64)]) {
        self.name = name
        self.interval = interval
        self.run = run
    }
}

/// Runs jobs on demand (`POST /v1/jobs/{name}/run`, admin: the run happens within that request,
/// which answers with its result) and on a schedule, each scheduled job on a thread of its own
/// (never on the pool that serves requests). Runs of one job never overlap: a run waits for the
/// one in progress.
public final class JobRunner: Sendable {
    private let jobs: [String: Job]
    private let locks: [String: NSLock]
    private let clock: WallClock
    private let onRun: @Sendable (String, _ succeeded: Bool) -> Void
    private let stopping = Atomic<Bool>(false)
    private let wake = Mutex<[DispatchSemaphore]>([])

    public init(jobs: [Job], clock: WallClock, onRun: @escaping @Sendable (String, Bool) -> Void = { _, _ in }) {
        self.jobs = Dictionary(uniqueKeysWithValues: jobs.map { ($0.name, $0) })
        self.locks = Dictionary(uniqueKeysWithValues: jobs.map { ($0.name, NSLock()) })
        self.clock = clock
        self.onRun = onRun
    }

    public var names: [String] { jobs.keys.sorted() }

    /// Runs a job as of `asOf` (default now); answers the instant used and what the run did.
    public func run(_ name: String, asOf: Instant?, by actor: Principal) throws -> (asOf: Instant, report: [(String, Int64)]) {
        try actor.require(.manageUsers)
        guard jobs[name] != nil else { throw DomainError.notFound("job \(name)") }
        let instant = asOf ?? clock.now()
        return (instant, try run(name, asOf: instant))
    }

    func run(_ name: String, asOf: Instant) throws -> [(String, Int64)] {
        guard let job = jobs[name], let lock = locks[name] else { throw DomainError.notFound("job \(name)") }
        return try lock.withLock {
            do {
                let report = try job.run(asOf)
                onRun(name, true)
                return report
            } catch {
                onRun(name, false)
                throw error
            }
        }
    }

    /// Starts one schedule thread per job; `report` hears of failures (they are retried next time).
    public func startSchedule(report: @escaping @Sendable (String, any Error) -> Void) {
        for job in jobs.values where job.interval > 0 {
            let semaphore = DispatchSemaphore(value: 0)
            wake.withLock { $0.append(semaphore) }
            WorkerThread.start(name: "parley.job.\(job.name)") { [self] in
                while !stopping.load(ordering: .acquiring) {
                    do { _ = try run(job.name, asOf: clock.now()) } catch { report(job.name, error) }
                    _ = semaphore.wait(timeout: .now() + job.interval)
                }
            }
        }
    }

    /// Ends the schedule threads after their current run.
    public func stop() {
        stopping.store(true, ordering: .releasing)
        for semaphore in wake.withLock({ $0 }) { semaphore.signal() }
    }
}
