package io.gatepass.server.http;

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

    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!LOG.isInfoEnabled()) {
            chain.proceed();
            return;
        }
        long start = System.nanoTime();
        try {
            chain.proceed();
        } finally {
            String path = req.path().rawPath();
            LOG.info("{} {} {} {} {}µs", req.remotePeer().host(), req.prologue().method().text(),
                    Text.printable(path.length() > 200 ? path.substring(0, 200) : path), res.status().code(),
                    (System.nanoTime() - start) / 1000);
        }
    }
}
