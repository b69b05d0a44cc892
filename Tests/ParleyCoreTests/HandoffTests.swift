import Dispatch
@testable import ParleyCore
import Testing

@Suite struct HandoffTests {
    /// The producer waits while `capacity` items are queued, and goes on as soon as one is taken.
    @Test func theProducerRunsAtMostCapacityAhead() {
        let handoff = Handoff<Int>(capacity: 2)
        handoff.push(1)
        handoff.push(2)
        let pushed = DispatchSemaphore(value: 0)
        WorkerThread.start(name: "test.producer") {
            handoff.push(3)
            pushed.signal()
            handoff.finish()
        }
        #expect(pushed.wait(timeout: .now() + .milliseconds(200)) == .timedOut)
        #expect(handoff.pop() == 1)
        #expect(pushed.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(handoff.pop() == 2)
        #expect(handoff.pop() == 3)
        #expect(handoff.pop() == nil)
    }

    /// A consumer that gives up drains the queue, which lets a waiting producer see the cancel.
    @Test func aCancelledConsumerReleasesAWaitingProducer() {
        let handoff = Handoff<Int>(capacity: 1)
        let finished = DispatchSemaphore(value: 0)
        WorkerThread.start(name: "test.producer") {
            var next = 0
            while !handoff.isCancelled {
                next += 1
                handoff.push(next)
            }
            handoff.finish()
            finished.signal()
        }
        #expect(handoff.pop() == 1)
        handoff.cancel()
        while handoff.pop() != nil {}
        #expect(finished.wait(timeout: .now() + .seconds(10)) == .success)
    }
}
