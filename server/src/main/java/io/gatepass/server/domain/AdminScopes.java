package io.gatepass.server.domain;

import io.gatepass.server.domain.ApiScope;
import java.util.List;

/** The scopes of the management API {@code urn:gatepass:admin}. */
public final class AdminScopes {
    public static final String APIS_READ = "apis:read";
    public static final String APIS_WRITE = "apis:write";
    public static final String CLIENTS_READ = "clients:read";
    public static final String CLIENTS_WRITE = "clients:write";
    public static final String KEYS_READ = "keys:read";
    public static final String KEYS_WRITE = "keys:write";
    public static final String AUDIT_READ = "audit:read";

    public static final List<ApiScope> ALL = List.of(
            new ApiScope(APIS_READ, "List and read APIs"),
            new ApiScope(APIS_WRITE, "Register, change and remove APIs"),
            new ApiScope(CLIENTS_READ, "List and read apps, their secrets' metadata and grants"),
            new ApiScope(CLIENTS_WRITE, "Register, change, block and remove apps; rotate secrets; grant scopes"),
            new ApiScope(KEYS_READ, "Read the signing key ring"),
            new ApiScope(KEYS_WRITE, "Rotate signing keys"),
            new ApiScope(AUDIT_READ, "Read the audit log"));

    private AdminScopes() {
    }
}
