import Logging
import ParleyCore
import ParleyHTTP

/// Builds the whole API: middleware, then each resource's routes.
public enum ParleyRouter {
    public static func make(services: APIServices, logger: Logger, accessLog: (any AccessLogWriter)? = nil) -> RouterResponder {
        let router = Router()
        router.use(RequestIDMiddleware())
        router.use(AccessLogMiddleware(writer: accessLog))
        router.use(MetricsMiddleware(registry: services.metrics))
        // Where an ETag changes with everything the representation shows (see the middleware).
        router.use(ConditionalGetMiddleware(routes: ["/v1/debtors/{id}", "/v1/templates/{name}"]))
        OpsRoutes(services: services).register(in: router)
        UserRoutes(services: services).register(in: router)
        AuditRoutes(services: services).register(in: router)
        DebtorRoutes(services: services).register(in: router)
        CaseRoutes(services: services).register(in: router)
        ImportRoutes(services: services).register(in: router)
        CommunicationRoutes(services: services).register(in: router)
        ComplianceRoutes(services: services).register(in: router)
        MessageRoutes(services: services).register(in: router)
        MoneyRoutes(services: services).register(in: router)
        FeedbackRoutes(services: services).register(in: router)
        PortalLinkRoutes(services: services).register(in: router)
        DebtorPageRoutes(services: services).register(in: router)
        ComplaintRoutes(services: services).register(in: router)
        AnalyticsRoutes(services: services).register(in: router)
        SegmentRoutes(services: services).register(in: router)
        return router.responder(logger: logger) { error, context in
            ProblemRenderer.render(error, context: context)
        }
    }
}
