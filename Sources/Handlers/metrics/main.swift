import Common
import VoiceService

// GET /metrics: Prometheus text format 0.0.4, summed over every process's
// published counters, with gauges read from SessionDB (Bearer API_KEY unless
// METRICS_PUBLIC=true).
Endpoint.run("metrics", traits: .api, prepare: { context in
    try MetricsRuntime(context: context, operatorGuard: OperatorAuth(apiKey: context.config.apiKey),
                       jobKinds: VoiceJob.kinds)
}, routes: MetricsRuntime.routes)
