/// A metric's name, help text, type and (for histograms) bucket bounds: the
/// `# HELP` and `# TYPE` lines of the exposition, and what the registry needs
/// to know to record it.
public struct MetricFamily: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case counter, gauge, histogram
    }

    public let name: String
    public let help: String
    public let kind: Kind
    /// Upper bounds of a histogram's buckets, ascending (`+Inf` implied).
    public let buckets: [Double]

    public init(_ name: String, _ kind: Kind, help: String, buckets: [Double] = []) {
        self.name = name
        self.kind = kind
        self.help = help
        self.buckets = buckets
    }
}

extension MetricFamily {
    /// From a millisecond up to Twilio's 15 s webhook limit.
    public static let requestBuckets: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15,
    ]
    /// Jobs wait on AWS, Twilio's media and an LLM: up to a minute.
    public static let jobBuckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]

    public static let httpRequests = MetricFamily(
        "voice_http_requests_total", .counter,
        help: "Requests answered by an endpoint executable, by method and status.")
    public static let httpRequestDuration = MetricFamily(
        "voice_http_request_duration_seconds", .histogram,
        help: "Time from nginx receiving a request to its answer being ready, queueing for a thread included.",
        buckets: requestBuckets)
    public static let workerJobs = MetricFamily(
        "voice_worker_jobs_total", .counter,
        help: "Outbox jobs the worker attempted, by kind and outcome (done, retry, dropped).")
    public static let workerJobDuration = MetricFamily(
        "voice_worker_job_duration_seconds", .histogram,
        help: "Time one attempt at an outbox job took, by kind.", buckets: jobBuckets)
    public static let awsRequests = MetricFamily(
        "voice_aws_requests_total", .counter,
        help: "HTTP requests sent to AWS (every attempt, retries included), by service, operation and outcome.")
    public static let awsRequestDuration = MetricFamily(
        "voice_aws_request_duration_seconds", .histogram,
        help: "Time one HTTP request to AWS took, by service and operation.", buckets: requestBuckets)
    public static let llmRequests = MetricFamily(
        "voice_llm_requests_total", .counter,
        help: "Chat completions asked of the LLM, by provider, purpose and outcome.")
    public static let twilioRequests = MetricFamily(
        "voice_twilio_requests_total", .counter,
        help: "Requests to Twilio's REST API, by operation and outcome.")

    // Gauges the metrics endpoint reads from SessionDB at scrape time.
    public static let liveCalls = MetricFamily(
        "voice_live_calls", .gauge, help: "Calls in progress on this host (sessions in SessionDB).")
    public static let outboxJobs = MetricFamily(
        "voice_outbox_jobs", .gauge, help: "Jobs waiting in the outbox (due, scheduled for retry or in progress), by kind.")
    public static let outboxOldestJobAge = MetricFamily(
        "voice_outbox_oldest_job_age_seconds", .gauge,
        help: "Age of the oldest job in the outbox, by kind (0 when none).")
    public static let agentCacheEntries = MetricFamily(
        "voice_agent_cache_entries", .gauge, help: "Agents held in the shared agent cache.")
    public static let sessionDBMapSize = MetricFamily(
        "voice_sessiondb_map_size_bytes", .gauge, help: "Size of SessionDB's map (SESSIONDB_MAP_SIZE_MB).")
    public static let sessionDBUsed = MetricFamily(
        "voice_sessiondb_used_bytes", .gauge,
        help: "Bytes of SessionDB's map in use; writes fail with 'SessionDB is full' at the map size.")
    public static let sessionDBDiskFree = MetricFamily(
        "voice_sessiondb_disk_free_bytes", .gauge,
        help: "Free disk space on SessionDB's file system; with SESSIONDB_WRITEMAP a write that finds none stops its process.")
    public static let processStartTime = MetricFamily(
        "voice_process_start_time_seconds", .gauge,
        help: "Start time of each process that published metrics lately, in seconds since 1970.")

    /// Every family, in the order the exposition lists them.
    public static let all: [MetricFamily] = [
        httpRequests, httpRequestDuration, workerJobs, workerJobDuration, awsRequests, awsRequestDuration,
        llmRequests, twilioRequests, liveCalls, outboxJobs, outboxOldestJobAge, agentCacheEntries,
        sessionDBMapSize, sessionDBUsed, sessionDBDiskFree, processStartTime,
    ]
}
