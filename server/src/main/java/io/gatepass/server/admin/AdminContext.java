package io.gatepass.server.admin;

import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.codec.Json;
import io.gatepass.server.web.JsonResponses;
import io.gatepass.server.keys.KeyRing;
import io.gatepass.server.keys.KeyRotation;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.Store;
import io.gatepass.server.token.AccessTokenValidator;
import io.gatepass.server.token.RevocationList;
import java.time.Clock;

/** What every management endpoint works with. */
public record AdminContext(Store store, RegistryCache registry, RevocationList revocations, KeyRing keys,
                           KeyRotation rotation, AdminTokenAuthenticator auth, AuditTrail audit, Json json, JsonResponses responses, Clock clock,
                           boolean development, ManagementPower power) {

    public static AdminContext create(Store store, RegistryCache registry, RevocationList revocations, KeyRing keys,
                                      KeyRotation rotation, AccessTokenValidator validator, AuditTrail audit,
                                      AuditBatchWriter auditWriter, Json json, Clock clock, boolean development) {
        return new AdminContext(store, registry, revocations, keys, rotation, new AdminTokenAuthenticator(validator), audit, json,
                new JsonResponses(json), clock, development, new ManagementPower(auditWriter));
    }
}
