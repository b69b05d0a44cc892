import Glibc
import Logging
import Synchronization

/// What the event loops and workers share: configuration, the responder and a few counters.
final class ServerState: Sendable {
    let configuration: HTTPServerConfiguration
    let responder: any HTTPResponder
    let logger: Logger
    /// Where requests refused before routing are logged and counted.
    let refusals: RefusalRecorder
    /// The threads that run handlers.
    let handlers: HandlerPool
    let openConnections = Atomic<Int>(0)
    let draining = Atomic<Bool>(false)
    let activeStreams = Atomic<Int>(0)
    private let nextSerial = Atomic<UInt64>(1)
    /// Open connections per client address, shared by the event loops.
    private let perAddress = Mutex<[String: Int]>([:])
    private let date = Mutex<(second: time_t, value: [UInt8])>((0, []))

    init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, logger: Logger,
         refusals: RefusalRecorder = RefusalRecorder(accessLog: nil, metrics: nil)) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.refusals = refusals
        handlers = HandlerPool(threads: configuration.handlerThreads, niceness: configuration.requestThreadNiceness)
    }

    func makeSerial() -> UInt64 { nextSerial.wrappingAdd(1, ordering: .relaxed).oldValue }

    /// Counts a new connection from `address`; false (and nothing counted) when it already holds its share.
    func admit(_ address: String) -> Bool {
        perAddress.withLock { counts in
            let open = counts[address, default: 0]
            guard open < configuration.maxConnectionsPerAddress else { return false }
            counts[address] = open + 1
            return true
        }
    }

    func release(_ address: String) {
        perAddress.withLock { counts in
            let left = counts[address, default: 1] - 1
            counts[address] = left > 0 ? left : nil
        }
    }

    /// The `Date` value for this second, shared by every worker (formatted once per second).
    func currentDate() -> [UInt8] {
        let now = time(nil)
        return date.withLock { cache in
            if cache.second != now || cache.value.isEmpty {
                cache = (now, Array(IMFDate.format(now).utf8))
            }
            return cache.value
        }
    }
}
