import Foundation
@testable import ParleyApp
import Testing

@Suite struct WebhookDeliveryTests {
    @Test func networkErrorsAreNamedInPlainWords() {
        func described(_ code: URLError.Code) -> String {
            WebhookDelivery.describe(NSError(domain: NSURLErrorDomain, code: code.rawValue), timeoutSeconds: 10)
        }
        #expect(described(.timedOut) == "webhook: timed out after 10 s")
        #expect(described(.cannotConnectToHost) == "webhook: connection refused")
        #expect(described(.cannotFindHost) == "webhook: host not found")
        #expect(described(.serverCertificateUntrusted) == "webhook: TLS connection failed")
        #expect(described(.unsupportedURL) == "webhook: network error \(URLError.Code.unsupportedURL.rawValue)")
    }
}
