import Dispatch
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ParleyCore

/// Delivers a message by POSTing its JSON to the webhook. Any 2xx is delivered; anything else, a
/// timeout or a network error is a failed attempt. `Idempotency-Key: <message_id>` lets the
/// receiver drop the one duplicate a crash can cause.
final class WebhookDelivery: MessageDelivery, Sendable {
    let url: URL
    let timeoutSeconds: Double
    private let session: URLSession

    init(url: URL, timeoutSeconds: Double = 10) {
        self.url = url
        self.timeoutSeconds = timeoutSeconds
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        configuration.timeoutIntervalForResource = timeoutSeconds
        session = URLSession(configuration: configuration)
    }

    func deliver(_ message: OutboundMessage) -> DeliveryResult {
        var request = URLRequest(url: url, timeoutInterval: timeoutSeconds)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(message.messageID.rawValue, forHTTPHeaderField: "Idempotency-Key")
        request.httpBody = Data(OutboundMessageJSON.encode(message))
        let done = DispatchSemaphore(value: 0)
        let outcome = OutcomeBox()
        let task = session.dataTask(with: request) { _, response, error in
            if let error {
                outcome.set(.failed(Self.describe(error, timeoutSeconds: self.timeoutSeconds)))
            } else if let http = response as? HTTPURLResponse {
                outcome.set((200..<300).contains(http.statusCode) ? .delivered : .failed("webhook answered \(http.statusCode)"))
            } else {
                outcome.set(.failed("webhook: no HTTP response"))
            }
            done.signal()
        }
        task.resume()
        if done.wait(timeout: .now() + timeoutSeconds + 1) == .timedOut {
            task.cancel()
            return .failed(Self.timedOut(after: timeoutSeconds))
        }
        return outcome.get()
    }

    /// A failed attempt in the words of `last_error`: what happened on the network, not the
    /// platform's wording ("The operation could not be completed. (NSURLErrorDomain error -1001.)").
    static func describe(_ error: any Error, timeoutSeconds: Double) -> String {
        let error = error as NSError
        guard error.domain == NSURLErrorDomain else { return "webhook: \(error.localizedDescription)" }
        switch URLError.Code(rawValue: error.code) {
        case .timedOut: return timedOut(after: timeoutSeconds)
        case .cannotConnectToHost: return "webhook: connection refused"
        case .cannotFindHost, .dnsLookupFailed: return "webhook: host not found"
        case .networkConnectionLost: return "webhook: connection closed before an answer"
        case .notConnectedToInternet: return "webhook: network unreachable"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot, .clientCertificateRejected:
            return "webhook: TLS connection failed"
        case .badServerResponse: return "webhook: malformed HTTP answer"
        default: return "webhook: network error \(error.code)"
        }
    }

    static func timedOut(after seconds: Double) -> String {
        "webhook: timed out after " + (seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) + " s"
    }

    /// The completion handler's answer, handed across threads.
    private final class OutcomeBox: @unchecked Sendable {
        // @unchecked: written once by the completion handler before `done.signal()`, read after `wait`.
        private var value: DeliveryResult = .failed("webhook: no answer")
        func set(_ result: DeliveryResult) { value = result }
        func get() -> DeliveryResult { value }
    }
}
