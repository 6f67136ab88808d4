package io.gatepass.server.http;

import io.gatepass.server.codec.Json;
import io.gatepass.server.web.JsonResponses;

import io.gatepass.server.keys.KeyRing;
import io.gatepass.server.store.Store;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health/live} (the process answers) and {@code /health/ready} (store reachable, keys loaded). */
public final class HealthEndpoint {
    private final Store store;
    private final KeyRing keys;
    private final JsonResponses responses;

    public HealthEndpoint(Store store, KeyRing keys, Json json) {
        this.store = store;
        this.keys = keys;
        this.responses = new JsonResponses(json);
    }

    public void live(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        responses.send(res, 200, Map.of("status", "UP"));
    }

    public void ready(ServerRequest req, ServerResponse res) {
        boolean storeUp = store.isReachable();
        boolean keysUp = keys.current(KeyRing.DEFAULT_ALG).isPresent();
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("store", storeUp ? "UP" : "DOWN");
        checks.put("keys", keysUp ? "UP" : "DOWN");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", storeUp && keysUp ? "UP" : "DOWN");
        body.put("checks", checks);
        body.put("details", Map.of("crypto_provider", keys.cryptoProvider()));
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        responses.send(res, storeUp && keysUp ? 200 : 503, body);
    }
}
