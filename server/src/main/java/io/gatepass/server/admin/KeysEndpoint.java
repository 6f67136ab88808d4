package io.gatepass.server.admin;

import io.gatepass.server.keys.KeyRing;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /admin/keys}: the signing key ring — public facts only, never key material. */
public final class KeysEndpoint {
    private final AdminContext ctx;

    public KeysEndpoint(AdminContext context) {
        this.ctx = context;
    }

    public void list(ServerRequest req, ServerResponse res) {
        ctx.auth().require(req, AdminScopes.KEYS_READ);
        List<Map<String, Object>> views = ctx.keys().describe().stream().map(KeysEndpoint::view).toList();
        ctx.responses().send(res, 200, views);
    }

    private static Map<String, Object> view(KeyRing.KeyInfo key) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("kid", key.kid());
        view.put("alg", key.alg());
        view.put("use", "sig");
        view.put("status", key.signing() ? "current" : "retired");
        view.put("created_at", AdminViews.time(key.createdAt()));
        return view;
    }
}
