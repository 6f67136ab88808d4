package io.gatepass.server.admin;

import io.gatepass.server.domain.AdminScopes;

import io.gatepass.server.codec.Text;
import io.gatepass.server.web.Problem;
import io.gatepass.server.keys.KeyRing;
import io.gatepass.server.keys.KeyRotation;
import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.AdminViews;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /admin/keys}: the signing key ring — public facts only, never key material — rotation, and emergency
 * removal of a compromised key.
 */
public record KeysEndpoint(AdminHttp http, KeyRing keys, KeyRotation rotation) {
    private static final Set<String> ROTATE_FIELDS = Set.of("alg", "immediate");

    public void list(ServerRequest req, ServerResponse res) {
        http.caller(req, AdminScopes.KEYS_READ);
        List<Map<String, Object>> views = keys.describe().stream().map(KeysEndpoint::view).toList();
        http.responses().send(res, 200, views);
    }

    /** {@code POST /admin/keys/rotate} {@code {"alg"?, "immediate"?}}. */
    public void rotate(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.KEYS_WRITE);
        JsonBody body = JsonBody.readOptional(req, http.json(), ROTATE_FIELDS);
        String alg = body.optionalString("alg", 16).orElse(KeyRing.DEFAULT_ALG);
        if (!keys.algorithms().contains(alg)) {
            throw Problem.badField("alg", "must be one of " + keys.algorithms());
        }
        boolean immediate = body.optionalBoolean("immediate").orElse(false);
        KeyRing.KeyInfo key = rotation.rotate(caller.actor(), alg, immediate);
        http.responses().send(res, 201, view(key));
    }

    /**
     * {@code POST /admin/keys/rewrap}: after a master key rotation, every signing key still encrypted under
     * {@code GATEPASS_MASTER_KEY_PREVIOUS} is re-encrypted under {@code GATEPASS_MASTER_KEY} (keys.md).
     */
    public void rewrap(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.KEYS_WRITE);
        http.responses().send(res, 200, java.util.Map.of("keys_rewrapped", rotation.rewrap(caller.actor())));
    }

    /** {@code DELETE /admin/keys/{kid}}: a compromised key leaves the JWKS at once. */
    public void delete(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.caller(req, AdminScopes.KEYS_WRITE);
        String kid = req.path().pathParameters().get("kid");
        Optional<Optional<KeyRing.KeyInfo>> removed = rotation.remove(caller.actor(), kid);
        if (removed.isEmpty()) throw Problem.notFound("no published signing key with kid " + Text.printable(kid));
        res.status(204).send();
    }

    private static Map<String, Object> view(KeyRing.KeyInfo key) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("kid", key.kid());
        view.put("alg", key.alg());
        view.put("use", "sig");
        view.put("status", key.status().name().toLowerCase());
        view.put("created_at", AdminViews.time(key.createdAt()));
        view.put("activates_at", AdminViews.time(key.activatesAt()));
        view.put("retired_at", key.retiredAt() == null ? null : AdminViews.time(key.retiredAt()));
        view.put("removed_at", key.removedAt() == null ? null : AdminViews.time(key.removedAt()));
        return view;
    }
}
