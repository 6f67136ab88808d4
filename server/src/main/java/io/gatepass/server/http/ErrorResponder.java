package io.gatepass.server.http;

import io.gatepass.server.codec.Json;
import io.gatepass.server.metrics.Metrics;
import io.gatepass.server.web.HttpRejection;
import io.gatepass.server.web.HttpLimits;
import io.gatepass.server.web.Problem;

import io.gatepass.server.oauth.OAuthError;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a response in the format of the path it happened on: RFC 6749 §5.2 JSON on the
 * OAuth endpoints, RFC 9457 problem details on the management API. Stack traces never reach the wire.
 */
public final class ErrorResponder {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String JSON = "application/json";

    private final Json json;

    private final Metrics metrics;

    /** @param metrics where OAuth errors are counted by route and code */
    public ErrorResponder(Json json, Metrics metrics) {
        this.json = json;
        this.metrics = metrics;
    }

    public void oauth(ServerRequest req, ServerResponse res, OAuthError error) {
        metrics.oauthError(Metrics.route(req.path().rawPath()), error.code());
        oauth(res, error);
    }

    public void oauth(ServerResponse res, OAuthError error) {
        res.status(error.status());
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.PRAGMA, "no-cache");
        if (error.challenge() != null) res.header(HeaderNames.WWW_AUTHENTICATE, error.challenge());
        if (error.retryAfterSeconds() > 0) res.header(HeaderNames.RETRY_AFTER, Long.toString(error.retryAfterSeconds()));
        if (error.dpopNonce() != null) res.header("DPoP-Nonce", error.dpopNonce());
        res.header(HeaderNames.CONTENT_TYPE, JSON);
        res.send(json.write(oauthBody(error.code(), error.description())));
    }

    public void problem(ServerResponse res, Problem problem) {
        res.status(problem.status());
        if (problem.wwwAuthenticate() != null) res.header(HeaderNames.WWW_AUTHENTICATE, problem.wwwAuthenticate());
        res.header(HeaderNames.CONTENT_TYPE, PROBLEM_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(json.write(problemBody(problem.status(), problem.detail(), problem.extensions())));
    }

    public void rejection(ServerRequest req, ServerResponse res, HttpRejection rejection) {
        if (rejection.allow() != null) res.header(HeaderNames.ALLOW, rejection.allow());
        // Helidon then neither reads the rest of the body nor keeps the connection
        if (rejection.closeConnection()) res.header(HeaderNames.CONNECTION, "close");
        if (isManagementPath(req.path().path())) {
            problem(res, Problem.of(rejection.status(), rejection.getMessage()));
        } else {
            oauth(res, OAuthError.invalidRequest(rejection.status(), rejection.getMessage()));
        }
    }

    /** The concurrency bound is reached: 503 with {@code Retry-After}, in the endpoint's own error format. */
    public void overloaded(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.RETRY_AFTER, "1");
        unavailable(req, res, "the server is handling as many requests as it takes; try again in a moment");
    }

    /**
     * A store failure: when the database cannot be reached (connection refused, lost, or the pool's wait ran out)
     * the answer is 503 with {@code Retry-After}, in the endpoint's own error format; anything else is unexpected.
     */
    public void store(ServerRequest req, ServerResponse res, RuntimeException error) {
        String unwritable = unwritable(error);
        if (unwritable != null) {
            // reads and token issuance go on from memory; writes work again once the disk has room (no restart)
            LOG.warn("the database cannot be written ({}) for {} {}: {}", unwritable, req.prologue().method().text(),
                    req.path().path(), error.getMessage());
            if (res.isSent()) return;
            res.header(HeaderNames.RETRY_AFTER, "30");
            unavailable(req, res, "the database cannot be written: " + unwritable + "; nothing was changed. Tokens are "
                    + "still issued; changes work again once the disk has room or is writable");
            return;
        }
        if (!isUnavailable(error)) {
            unexpected(req, res, error);
            return;
        }
        LOG.warn("the database is unavailable for {} {}: {}", req.prologue().method().text(), req.path().path(),
                error.getMessage());
        if (res.isSent()) return;
        res.header(HeaderNames.RETRY_AFTER, "2");
        unavailable(req, res, "the database is unavailable; try again in a moment");
    }

    private void unavailable(ServerRequest req, ServerResponse res, String detail) {
        if (isManagementPath(req.path().path())) {
            problem(res, Problem.of(503, detail));
        } else {
            res.status(503);
            res.header(HeaderNames.CONTENT_TYPE, JSON);
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.send(json.write(oauthBody("temporarily_unavailable", detail)));
        }
    }

    /**
     * Why the database refuses writes, or {@code null}: SQLite's SQLITE_FULL (13), SQLITE_READONLY (8) and
     * SQLITE_IOERR (10), with their extended codes; PostgreSQL's disk_full (53100), read_only_sql_transaction
     * (25006) and io_error (58030).
     */
    static String unwritable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (!(t instanceof java.sql.SQLException sql)) continue;
            String state = sql.getSQLState();
            boolean sqlite = t.getClass().getName().startsWith("org.sqlite.");
            int code = sql.getErrorCode() & 0xff;
            if ("53100".equals(state) || (sqlite && code == 13)) return "the disk is full";
            if ("25006".equals(state) || (sqlite && code == 8)) return "it is read-only";
            if ("58030".equals(state) || (sqlite && code == 10)) return "the disk refused a write (I/O error: full or read-only?)";
        }
        return null;
    }

    /** SQLSTATE class 08 (connection exception), 57P0x (shutdown), 53300 (too many connections), or a pool time-out. */
    static boolean isUnavailable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.net.ConnectException) return true;
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300")) return true;
            }
        }
        return false;
    }

    public void unexpected(ServerRequest req, ServerResponse res, Throwable error) {
        LOG.error("unhandled error on {} {}", req.prologue().method().text(), req.path().path(), error);
        if (res.isSent()) return;
        if (isManagementPath(req.path().path())) {
            problem(res, Problem.of(500, "internal error; the server log has the details"));
        } else {
            res.status(500);
            res.header(HeaderNames.CONTENT_TYPE, JSON);
            res.header(HeaderNames.CACHE_CONTROL, "no-store");
            res.send(json.write(oauthBody("server_error", "internal error; the server log has the details")));
        }
    }

    /** Answers what Helidon refuses before routing (malformed HTTP, oversized headers or payload) in our formats. */
    public DirectHandler directHandler() {
        return (request, eventType, status, headers, message) -> {
            // Helidon reports a request line it could not read at all (a method that is no HTTP token, RFC 9110
            // §9.1) as its own internal error with no request known: that one is the client's
            if (eventType == DirectHandler.EventType.INTERNAL_ERROR && request.method().isEmpty()) {
                return respond(request, Status.BAD_REQUEST_400, headers, false,
                        "malformed request line: the method must be an HTTP token such as POST");
            }
            String detail = switch (status.code()) {
                case 413 -> "the request body exceeds " + HttpLimits.MAX_BODY_BYTES + " bytes";
                case 505 -> "this server speaks HTTP/1.1 (and HTTP/2 over TLS); send the request as HTTP/1.1";
                default -> "malformed request: " + status.reasonPhrase();
            };
            return respond(request, status, headers, eventType.keepAlive(), detail);
        };
    }

    private DirectHandler.TransportResponse respond(DirectHandler.TransportRequest request, Status status,
                                                    ServerResponseHeaders headers, boolean keepAlive, String detail) {
        String path = request.path() == null ? "" : request.path();
        byte[] body;
        String contentType;
        if (isManagementPath(path)) {
            body = json.write(problemBody(status.code(), detail, Map.of()));
            contentType = PROBLEM_JSON;
        } else {
            body = json.write(oauthBody(status.code() >= 500 ? "server_error" : "invalid_request", detail));
            contentType = JSON;
        }
        return DirectHandler.TransportResponse.builder()
                .status(status)
                .headers(headers)
                .header(HeaderNames.CONTENT_TYPE, contentType)
                .keepAlive(keepAlive)
                .entity(body)
                .build();
    }

    private static Map<String, Object> oauthBody(String code, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        return body;
    }

    private static Map<String, Object> problemBody(int status, String detail, Map<String, Object> extensions) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", Status.create(status).reasonPhrase());
        body.put("status", status);
        body.put("detail", detail);
        body.putAll(extensions);
        return body;
    }

    private static boolean isManagementPath(String path) {
        return path.equals("/admin") || path.startsWith("/admin/");
    }
}
