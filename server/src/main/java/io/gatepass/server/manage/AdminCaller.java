package io.gatepass.server.manage;

import io.gatepass.server.audit.Actor;
import io.gatepass.server.web.Problem;
import java.util.Set;

/**
 * The app behind a management call, and the scopes its token carries.
 *
 * @param via {@code "console"} for a console session acting with the scopes of the token that asked for its link;
 *            {@code null} for the management API
 */
public record AdminCaller(String clientId, Set<String> scopes, String via) {
    public AdminCaller {
        scopes = Set.copyOf(scopes);
    }

    public AdminCaller(String clientId, Set<String> scopes) {
        this(clientId, scopes, null);
    }

    /** 403 unless the token carries {@code scope}. */
    public AdminCaller require(String scope) {
        if (!scopes.contains(scope)) throw Problem.insufficientScope(scope);
        return this;
    }

    public boolean holds(String scope) {
        return scopes.contains(scope);
    }

    /** As the audit log records it. */
    public Actor actor() {
        return new Actor(clientId, via);
    }
}
