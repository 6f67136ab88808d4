package io.gatepass.server.admin;

import io.gatepass.server.manage.AdminCaller;
import io.gatepass.server.manage.AdminViews;
import io.gatepass.server.manage.ConsoleSessions;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /admin/console-links}: a single-use link that signs its opener in to the web console, acting with
 * exactly the scopes of the token that asked for it (any management scope will do). {@code gatepass console} opens it.
 */
public record ConsoleLinksEndpoint(AdminHttp http, ConsoleSessions sessions, String publicUrl) {
    public void create(ServerRequest req, ServerResponse res) {
        AdminCaller caller = http.auth().authenticate(req);
        JsonBody.readOptional(req, http.json(), java.util.Set.of());
        ConsoleSessions.Link link = sessions.createLink(caller);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("url", publicUrl + "/console/login?code=" + link.code()); // in the query, which the access log leaves out
        view.put("expires_in", ConsoleSessions.LINK_LIFETIME.toSeconds());
        view.put("expires_at", AdminViews.time(link.expiresAt()));
        view.put("scopes", caller.scopes().stream().sorted().toList());
        http.responses().sendNoStore(res, 201, view);
    }
}
