package io.gatepass.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import java.lang.management.ManagementFactory;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What {@code GET /metrics} shows, in the Prometheus text format: tokens issued and OAuth errors, client
 * authentication failures by reason, request latency per route, cache and audit-queue figures, and the JVM's and
 * process's own. Labels stay bounded: routes are templates ({@code /admin/clients/{id}}), and only the first
 * {@value #MAX_CLIENT_LABELS} apps get a {@code client_id} label of their own; the rest count as {@code other}.
 */
public final class Metrics {
    static final int MAX_CLIENT_LABELS = 1000;
    private static final Set<String> FIXED_ROUTES = Set.of("/oauth/token", "/oauth/introspect", "/oauth/revoke",
            "/oauth/revocations", "/.well-known/jwks.json", "/.well-known/oauth-authorization-server",
            "/.well-known/openid-configuration", "/health/live", "/health/ready", "/metrics");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> labelledClients = ConcurrentHashMap.newKeySet();

    public Metrics() {
        // promtool check metrics: no abbreviated units, no "_count" on what is not a histogram or summary
        registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals("system.cpu.count") ? id.withName("system.cpus.available") : id;
            }
        });
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            // Prometheus's own name and unit for what Micrometer calls process.cpu.time (nanoseconds)
            FunctionCounter.builder("process.cpu.seconds", os, bean -> bean.getProcessCpuTime() / 1e9)
                    .description("CPU time used by the process").register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** A figure read when scraped. */
    public <T> void gauge(String name, String description, T source, java.util.function.ToDoubleFunction<T> value) {
        Gauge.builder(name, source, value).description(description).register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void tokenIssued(String clientId, String api, String alg, String grantType) {
        Counter.builder("gatepass.tokens.issued").description("Access tokens issued")
                .tags("client_id", clientLabel(clientId), "api", api, "alg", alg, "grant_type", grantType)
                .register(registry).increment();
    }

    /**
     * A platform token presented for workload identity federation, by trusted issuer id ({@code untrusted} for any
     * other, so that callers cannot make new series) and outcome ({@code accepted} or the refusal's reason).
     */
    public void federatedAuthentication(String issuerId, String outcome) {
        federated.computeIfAbsent(issuerId + " " + outcome, key -> Counter.builder("gatepass.federated.authentications")
                .description("Platform tokens presented by apps, by issuer and outcome")
                .tags("issuer", issuerId, "outcome", outcome).register(registry)).increment();
    }

    /** Counters looked up once: the builder and registry lookup cost more than the increment. */
    private final java.util.concurrent.ConcurrentMap<String, Counter> federated = new ConcurrentHashMap<>();

    /** A still-valid token handed back again to an app that opted into reuse. */
    public void tokenReused(String clientId, String api) {
        Counter.builder("gatepass.tokens.reused").description("Still-valid tokens handed back instead of new ones")
                .tags("client_id", clientLabel(clientId), "api", api).register(registry).increment();
    }

    /** An RFC 6749 §5.2 error answered on an OAuth endpoint. */
    public void oauthError(String route, String error) {
        Counter.builder("gatepass.oauth.errors").description("OAuth error answers")
                .tags("route", route, "error", error).register(registry).increment();
    }

    /** A batch of the audit stream: delivered (its events counted) or not (a failed attempt). */
    public void auditStreamBatch(boolean delivered, int events) {
        if (delivered) auditStreamDelivered().increment(events);
        else auditStreamFailures().increment();
    }

    /** The audit stream's counters, shown at zero from the start (a scrape before the first batch sees them). */
    public void auditStreamStarted() {
        auditStreamDelivered();
        auditStreamFailures();
    }

    private Counter auditStreamDelivered() {
        return Counter.builder("gatepass.audit.stream.delivered").description("Audit events the collector acknowledged")
                .register(registry);
    }

    private Counter auditStreamFailures() {
        return Counter.builder("gatepass.audit.stream.failures").description("Audit stream deliveries that failed (retried)")
                .register(registry);
    }

    public void authenticationFailed(String reason) {
        Counter.builder("gatepass.client.authentication.failures").description("Failed client authentications")
                .tags("reason", reason).register(registry).increment();
    }

    /** 429 answers per minute on this node, for the console's overview. */
    private final MinuteCounts throttled = new MinuteCounts(java.time.Clock.systemUTC());

    public MinuteCounts throttled() {
        return throttled;
    }

    public void request(String method, String path, int status, long nanos) {
        if (status == 429) throttled.increment();
        Timer.builder("gatepass.http.requests").description("HTTP requests by route").publishPercentileHistogram()
                .tags("method", method, "route", route(path), "status", Integer.toString(status))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    private String clientLabel(String clientId) {
        if (labelledClients.contains(clientId)) return clientId;
        if (labelledClients.size() < MAX_CLIENT_LABELS && labelledClients.add(clientId)) return clientId;
        return labelledClients.contains(clientId) ? clientId : "other";
    }

    /** A bounded route label: fixed paths as they are, management paths with their ids replaced. */
    public static String route(String path) {
        if (FIXED_ROUTES.contains(path)) return path;
        if (!path.startsWith("/admin/")) return "other";
        String[] segments = path.split("/");
        StringBuilder route = new StringBuilder("/admin");
        for (int i = 2; i < segments.length && i < 7; i++) route.append('/').append(i % 2 == 0 ? segments[i] : "{id}");
        return route.length() > 60 ? "other" : route.toString();
    }

    /** {@code GET /metrics}. */
    public void scrape(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(registry.scrape());
    }
}
