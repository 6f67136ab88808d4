package io.gatepass.server.web;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds how long a client may take to send a request's headers and its body (slowloris): Helidon 4 has no
 * server-side read time-out, so a connection's thread is watched from the request line to the end of the headers,
 * and while an endpoint reads the body; past the deadline it is interrupted, which on a virtual thread closes the
 * socket it waits on. Between requests, Helidon's idle-connection time-out applies.
 */
public final class ReadDeadlines implements Http1ConnectionListener, AutoCloseable {
    /** How long the headers, and then the body, may take to arrive. */
    public static final Duration DEFAULT = Duration.ofSeconds(10);
    private static final long SWEEP_MILLIS = 100;

    private final Duration deadline;
    private final Map<Watch, Boolean> watched = new ConcurrentHashMap<>();
    /** Each connection has its own (virtual) thread: the watch over its current request's headers. */
    private final ThreadLocal<Watch> headerWatch = new ThreadLocal<>();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("gatepass-read-deadlines").daemon().factory());

    public ReadDeadlines(Duration deadline) {
        this.deadline = deadline;
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** What is being watched: a thread until a time; {@link #close()} ends the watch. */
    public final class Watch implements AutoCloseable {
        private final Thread thread = Thread.currentThread();
        private final long until = System.nanoTime() + deadline.toNanos();
        private final AtomicBoolean open = new AtomicBoolean(true);
        private volatile boolean expired;

        /** Whether the deadline passed (and the thread was interrupted). */
        public boolean expired() {
            return expired;
        }

        @Override
        public void close() {
            watched.remove(this);
            // lost the race against the sweeper: the interrupt was for the read this watch covered
            if (!open.compareAndSet(true, false) && thread == Thread.currentThread()) Thread.interrupted();
        }

        private void expire() {
            if (open.compareAndSet(true, false)) {
                expired = true;
                thread.interrupt();
            }
        }
    }

    public Duration deadline() {
        return deadline;
    }

    /** Makes this the watcher of the request's body reads ({@link RequestBodies}); a routing filter. */
    public void filter(io.helidon.webserver.http.FilterChain chain, io.helidon.webserver.http.RoutingRequest req,
                       io.helidon.webserver.http.RoutingResponse res) {
        req.context().register(this);
        chain.proceed();
    }

    /** Watches the calling thread from now until the deadline, or until the watch is closed. */
    public Watch watch() {
        Watch watch = new Watch();
        watched.put(watch, Boolean.TRUE);
        return watch;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Watch watch : watched.keySet()) {
            if (now - watch.until > 0) {
                watched.remove(watch);
                watch.expire();
            }
        }
    }

    /** The request line has been read: the headers must follow within the deadline. */
    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        Watch previous = headerWatch.get();
        if (previous != null) previous.close();
        headerWatch.set(watch());
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        Watch watch = headerWatch.get();
        headerWatch.remove();
        if (watch != null) watch.close();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
