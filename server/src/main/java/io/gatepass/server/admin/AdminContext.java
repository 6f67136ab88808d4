package io.gatepass.server.admin;

import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.http.Json;
import io.gatepass.server.http.JsonResponses;
import io.gatepass.server.keys.KeyRing;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.Store;
import java.time.Clock;

/** What every management endpoint works with. */
public record AdminContext(Store store, RegistryCache registry, AdminTokenAuthenticator auth, AuditTrail audit,
                           Json json, JsonResponses responses, Clock clock) {

    public static AdminContext create(Store store, RegistryCache registry, KeyRing keys, AuditTrail audit, Json json,
                                      String issuer, Clock clock) {
        return new AdminContext(store, registry, new AdminTokenAuthenticator(issuer, keys, registry, clock), audit, json,
                new JsonResponses(json), clock);
    }
}
