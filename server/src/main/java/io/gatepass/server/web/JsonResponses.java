package io.gatepass.server.web;

import io.gatepass.server.codec.Json;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;

/** Writes JSON success responses. */
public final class JsonResponses {
    private final Json json;

    public JsonResponses(Json json) {
        this.json = json;
    }

    public void send(ServerResponse res, int status, Object body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json.write(body));
    }

    /** A JSON response that must not be cached anywhere (tokens, secrets). */
    public void sendNoStore(ServerResponse res, int status, Object body) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.header(HeaderNames.PRAGMA, "no-cache");
        send(res, status, body);
    }
}
