package io.gatepass.server.manage;

import io.gatepass.server.web.Problem;
import java.util.Set;

/** The app behind a management call, and the scopes its token carries. */
public record AdminCaller(String clientId, Set<String> scopes) {
    public AdminCaller {
        scopes = Set.copyOf(scopes);
    }

    /** 403 unless the token carries {@code scope}. */
    public AdminCaller require(String scope) {
        if (!scopes.contains(scope)) throw Problem.insufficientScope(scope);
        return this;
    }
}
