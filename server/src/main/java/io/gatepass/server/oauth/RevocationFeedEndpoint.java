package io.gatepass.server.oauth;

import io.gatepass.server.domain.Revocation;
import io.gatepass.server.codec.Json;
import io.gatepass.server.token.RevocationList;
import io.gatepass.server.token.RevocationList.FeedPage;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /oauth/revocations?since=<cursor>}: what resource servers need to refuse already-issued tokens before
 * they expire — revoked tokens ({@code jti} with its {@code exp}) and apps whose tokens issued before a time are
 * void (the app was blocked, removed, or had its tokens revoked). Served from memory; a poll that finds nothing
 * new is answered {@code 304} to a matching {@code If-None-Match}.
 *
 * <p>Public like the JWKS: it holds ids and times, nothing that grants access, and a resource server should not
 * need credentials of its own to refuse tokens.
 */
public final class RevocationFeedEndpoint {
    static final int DEFAULT_LIMIT = 1000;
    private static final int MAX_LIMIT = 1000;

    private final Json json;
    private final RevocationList revocations;

    public RevocationFeedEndpoint(Json json, RevocationList revocations) {
        this.json = json;
        this.revocations = revocations;
    }

    public void handle(ServerRequest req, ServerResponse res) {
        long since = longParam(req, "since", 0, Long.MAX_VALUE, 0);
        int limit = (int) longParam(req, "limit", 1, MAX_LIMIT, DEFAULT_LIMIT);
        String etag = etag(revocations.version(), since, limit);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache"); // may be stored, must be revalidated
        res.header(HeaderNames.ETAG, etag);
        if (req.headers().first(HeaderNames.IF_NONE_MATCH).map(etag::equals).orElse(false)) {
            res.status(Status.NOT_MODIFIED_304).send();
            return;
        }
        FeedPage page = revocations.feed(since, limit);
        // the feed may have changed in between; the tag must describe what is sent
        if (!page.version().equals(revocations.version())) res.header(HeaderNames.ETAG, etag(page.version(), since, limit));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json.write(body(page)));
    }

    private static String etag(String version, long since, int limit) {
        return "W/\"" + version + "-" + since + "-" + limit + "\"";
    }

    private static Map<String, Object> body(FeedPage page) {
        List<Map<String, Object>> tokens = new ArrayList<>();
        List<Map<String, Object>> clients = new ArrayList<>();
        for (Revocation revocation : page.entries()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("client_id", revocation.clientId());
            if (revocation.kind() == Revocation.Kind.TOKEN) {
                entry.put("jti", revocation.jti());
                entry.put("exp", revocation.expiresAt().getEpochSecond());
                tokens.add(entry);
            } else {
                entry.put("issued_before", revocation.issuedBeforeEpochSecond());
                entry.put("until", revocation.expiresAt().getEpochSecond());
                clients.add(entry);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cursor", Long.toString(page.cursor()));
        body.put("has_more", page.hasMore());
        body.put("tokens", tokens);
        body.put("clients", clients);
        return body;
    }

    private static long longParam(ServerRequest req, String name, long min, long max, long fallback) {
        List<String> values = req.query().all(name, List::of);
        if (values.isEmpty() || values.get(0).isEmpty()) return fallback;
        if (values.size() > 1) throw OAuthError.invalidRequest("parameter " + name + " is repeated");
        String value = values.get(0);
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= min && parsed <= max) return parsed;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw OAuthError.invalidRequest(name + " must be a whole number from " + min + " to " + max
                + (name.equals("since") ? " (the cursor of an earlier answer)" : ""));
    }
}
