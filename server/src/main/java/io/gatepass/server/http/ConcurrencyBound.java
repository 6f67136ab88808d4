package io.gatepass.server.http;

import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The global concurrency bound: at most {@code permits} requests in progress, as many more waiting up to a second
 * for a turn, the rest answered 503 with {@code Retry-After}. A routing filter, so it holds for HTTP/1.1 and HTTP/2
 * alike (Helidon's listener limit does not cover HTTP/2 streams). Health checks and metrics pass: an overloaded
 * server is alive, and its metrics are how an operator sees why.
 */
public final class ConcurrencyBound {
    private static final long WAIT_MILLIS = 1_000;

    private final Semaphore permits;
    private final Semaphore waiting;
    private final ErrorResponder errors;

    public ConcurrencyBound(int permits, ErrorResponder errors) {
        this.permits = new Semaphore(permits);
        this.waiting = new Semaphore(permits);
        this.errors = errors;
    }

    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (path.startsWith("/health/") || path.equals("/metrics")) {
            chain.proceed();
            return;
        }
        if (!acquire()) {
            errors.overloaded(req, res);
            return;
        }
        try {
            chain.proceed();
        } finally {
            permits.release();
        }
    }

    private boolean acquire() {
        if (permits.tryAcquire()) return true;
        if (!waiting.tryAcquire()) return false;
        try {
            return permits.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.release();
        }
    }
}
