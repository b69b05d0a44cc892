import Dispatch
import Glibc
import Synchronization
import Testing
@testable import ParleyHTTP

@Suite struct RequestThreadPriorityTests {
    /// The calling thread's nice value.
    private static func nice() -> Int32 {
        getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
    }

    /// Handler threads run `niceness` levels below the thread that started them (so below the
    /// database's writer thread), and at its priority when the niceness is 0.
    @Test(arguments: [Int32(0), 3])
    func handlerThreadsRunTheConfiguredLevelsLower(niceness: Int32) throws {
        let starter = Self.nice()
        let pool = HandlerPool(threads: 2, niceness: niceness, parallelism: 2)
        try pool.start(name: "nice-test")
        defer { pool.stop() }
        let seen = Mutex<[Int32]>([])
        let policies = Mutex<[Int32]>([])
        let done = DispatchSemaphore(value: 0)
        for _ in 0..<4 {
            pool.submit {
                seen.withLock { $0.append(Self.nice()) }
                policies.withLock { $0.append(sched_getscheduler(0)) }
                done.signal()
            }
        }
        for _ in 0..<4 { #expect(done.wait(timeout: .now() + 10) == .success) }
        #expect(seen.withLock { $0 } == Array(repeating: min(19, starter + niceness), count: 4))
        // Woken, they never preempt the writer thread: SCHED_BATCH (3 on Linux).
        #expect(policies.withLock { $0 } == Array(repeating: Self.batchPolicy, count: 4))
    }

    private static let batchPolicy: Int32 = 3
}
