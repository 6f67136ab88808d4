package io.gatepass.server.manage;

import io.gatepass.server.audit.AuditBatchWriter;
import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.keys.KeyRing;
import io.gatepass.server.keys.KeyRotation;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.Store;
import java.time.Clock;

/**
 * The management service layer: the one way to change APIs, apps, secrets and grants, for the management API and
 * whatever else changes them (registration, the console). All share one {@link ManagementPower} rule.
 */
public record Management(ApiService apis, AppService apps, GrantService grants, InitialAccessTokenService initialTokens,
                         RegistrationService registrations, TrustedIssuerService issuers,
                         FederatedCredentialService federatedCredentials, ConsoleSessions consoleSessions) {
    public static Management create(Store store, RegistryCache registry, AuditTrail audit, AuditBatchWriter auditWriter,
                                    KeyRing keys, KeyRotation rotation, String issuer, Clock clock, boolean development) {
        ManagementPower power = new ManagementPower(auditWriter);
        AppService apps = new AppService(store, registry, audit, power, clock, development);
        GrantService grants = new GrantService(store, audit, power, clock);
        return new Management(new ApiService(store, audit, power, keys, rotation, clock), apps, grants,
                new InitialAccessTokenService(store, audit, power, clock), new RegistrationService(store, apps, grants, clock),
                new TrustedIssuerService(store, audit, power, issuer, clock, development),
                new FederatedCredentialService(store, audit, power, clock), new ConsoleSessions(store, audit, clock));
    }
}
