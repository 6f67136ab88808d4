package io.gatepass.server.store;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.FederatedCredential;
import io.gatepass.server.domain.Grant;
import io.gatepass.server.domain.TrustedIssuer;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the token hot path reads: apps with their secret digests and grants, and APIs by identifier, held in
 * memory and loaded from the store on first use. Every management change invalidates what it touched after its
 * transaction commits, so a narrowed grant or a blocked app takes effect on the very next request.
 *
 * <p>Caffeine computes a missing entry under the key's lock and {@code invalidate} waits for a load in flight,
 * so a load that read the store before a commit can never outlive the invalidation that follows it.
 */
public final class RegistryCache {
    private static final int MAX_ENTRIES = 100_000;
    private static final ObjectMapper CLAIMS = new ObjectMapper();

    /** A stored secret's id and digest; the digest array is never handed out for change. */
    public record SecretDigest(String id, byte[] digest) {
    }

    /**
     * An app as the OAuth endpoints need it.
     *
     * @param claimsByApiId per granted API, the custom claims its tokens carry (the app's, and the grant's over them),
     *                      parsed once here rather than on every token
     * @param federated     which tokens of trusted issuers prove the app (workload identity federation)
     */
    public record ClientEntry(Client client, List<SecretDigest> secrets, Map<String, Set<String>> scopesByApiId,
                              Map<String, Map<String, Object>> claimsByApiId, List<FederatedCredential> federated) {
        public ClientEntry {
            secrets = List.copyOf(secrets);
            scopesByApiId = Map.copyOf(scopesByApiId);
            claimsByApiId = Map.copyOf(claimsByApiId);
            federated = List.copyOf(federated);
        }

        /** The custom claims of the app's tokens for this API; empty for none. */
        public Map<String, Object> claims(String apiId) {
            return claimsByApiId.getOrDefault(apiId, Map.of());
        }
    }

    private final Store store;
    private final LoadingCache<String, Optional<ClientEntry>> clients;
    private final LoadingCache<String, Optional<Api>> apisByIdentifier;
    private final LoadingCache<String, Optional<Api>> apisById;
    private final LoadingCache<String, Optional<TrustedIssuer>> issuers;

    public RegistryCache(Store store) {
        this.store = store;
        this.clients = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).recordStats().build(this::loadClient);
        this.apisByIdentifier = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).recordStats()
                .build(identifier -> store.read(tx -> tx.apis().findByIdentifier(identifier)));
        this.apisById = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).recordStats()
                .build(id -> store.read(tx -> tx.apis().findById(id)));
        this.issuers = Caffeine.newBuilder().maximumSize(10_000).recordStats()
                .build(issuer -> store.read(tx -> tx.trustedIssuers().findByIssuer(issuer)));
    }

    /** Hit and miss counts of the caches, for {@code /metrics}. */
    public void bindTo(io.micrometer.core.instrument.MeterRegistry meters) {
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(meters, clients, "clients");
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(meters, apisByIdentifier, "apis_by_identifier");
        io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(meters, apisById, "apis_by_id");
    }

    public Optional<ClientEntry> client(String clientId) {
        return clients.get(clientId);
    }

    public Optional<Api> apiByIdentifier(String identifier) {
        return apisByIdentifier.get(identifier);
    }

    /** An API by its id; used when the request names no audience and the app has one grant. */
    public Optional<Api> apiById(String id) {
        return apisById.get(id);
    }

    /** A trusted issuer by its {@code iss}, active or not; empty when none is registered. */
    public Optional<TrustedIssuer> issuer(String issuer) {
        return issuers.get(issuer);
    }

    /** A committed change, made on this node or another: drop what it touched, to be loaded again. */
    public void changed(Change change) {
        switch (change) {
            case Change.Client c -> clients.invalidate(c.clientId());
            case Change.Api a -> {
                apisById.invalidate(a.id());
                apisByIdentifier.invalidate(a.identifier());
            }
            case Change.AllClients all -> clients.invalidateAll();
            case Change.Revocations r -> { }
            case Change.Keys k -> { }
            case Change.Issuer i -> issuers.invalidate(i.issuer());
        }
    }

    /** Drops everything cached: after missed announcements (a lost database connection) and periodically. */
    public void invalidateEverything() {
        clients.invalidateAll();
        apisByIdentifier.invalidateAll();
        apisById.invalidateAll();
        issuers.invalidateAll();
    }

    /** Claims as stored (a JSON object the management layer checked), or none. */
    private static Map<String, Object> parse(String json) {
        if (json == null) return Map.of();
        try {
            return CLAIMS.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored claims are not a JSON object", e);
        }
    }

    private Optional<ClientEntry> loadClient(String clientId) {
        return store.read(tx -> tx.clients().find(clientId).map(client -> {
            List<SecretDigest> digests = tx.secrets().listForClient(clientId).stream()
                    .map(secret -> new SecretDigest(secret.id(), secret.digest())).toList();
            Map<String, Set<String>> grants = new HashMap<>();
            Map<String, Map<String, Object>> claims = new HashMap<>();
            Map<String, Object> appClaims = parse(client.claims());
            for (Grant grant : tx.grants().listForClient(clientId)) {
                grants.put(grant.apiId(), grant.scopes());
                Map<String, Object> merged = new LinkedHashMap<>(appClaims);
                merged.putAll(parse(grant.claims()));
                if (!merged.isEmpty()) claims.put(grant.apiId(), Collections.unmodifiableMap(merged));
            }
            return new ClientEntry(client, digests, grants, claims, tx.federatedCredentials().listForClient(clientId));
        }));
    }
}
