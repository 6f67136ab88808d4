package io.gatepass.server.http;

import io.gatepass.server.codec.Text;
import io.gatepass.server.metrics.Metrics;

import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the logger {@value #LOGGER}: address, method, path without its query, status and time.
 * Never headers, bodies or query strings, so never a secret, token or assertion. The logging configuration hands
 * it to an asynchronous appender, so a request does not wait for the log; {@code GATEPASS_ACCESS_LOG=OFF} turns
 * it off.
 */
public final class AccessLog {
    public static final String LOGGER = "gatepass.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final Metrics metrics;

    /** @param metrics where each request's latency is recorded too */
    public AccessLog(Metrics metrics) {
        this.metrics = metrics;
    }

    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            long nanos = System.nanoTime() - start;
            String path = req.path().rawPath();
            String method = req.prologue().method().text();
            int status = res.status().code();
            metrics.request(method, path, status, nanos);
            if (LOG.isInfoEnabled()) {
                LOG.info("{} {} {} {} {}µs", io.gatepass.server.web.ClientOrigins.of(req).address(), method, Text.loggable(path, 200), status, nanos / 1000);
            }
        }
    }
}
