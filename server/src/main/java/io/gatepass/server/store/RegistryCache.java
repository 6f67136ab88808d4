package io.gatepass.server.store;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.Grant;
import java.util.HashMap;
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

    /** A stored secret's id and digest; the digest array is never handed out for change. */
    public record SecretDigest(String id, byte[] digest) {
    }

    /** An app as the OAuth endpoints need it. */
    public record ClientEntry(Client client, List<SecretDigest> secrets, Map<String, Set<String>> scopesByApiId) {
        public ClientEntry {
            secrets = List.copyOf(secrets);
            scopesByApiId = Map.copyOf(scopesByApiId);
        }
    }

    private final Store store;
    private final LoadingCache<String, Optional<ClientEntry>> clients;
    private final LoadingCache<String, Optional<Api>> apisByIdentifier;
    private final LoadingCache<String, Optional<Api>> apisById;

    public RegistryCache(Store store) {
        this.store = store;
        this.clients = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).recordStats().build(this::loadClient);
        this.apisByIdentifier = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).recordStats()
                .build(identifier -> store.read(tx -> tx.apis().findByIdentifier(identifier)));
        this.apisById = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).recordStats()
                .build(id -> store.read(tx -> tx.apis().findById(id)));
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
        }
    }

    /** Drops everything cached: after missed announcements (a lost database connection) and periodically. */
    public void invalidateEverything() {
        clients.invalidateAll();
        apisByIdentifier.invalidateAll();
        apisById.invalidateAll();
    }

    private Optional<ClientEntry> loadClient(String clientId) {
        return store.read(tx -> tx.clients().find(clientId).map(client -> {
            List<SecretDigest> digests = tx.secrets().listForClient(clientId).stream()
                    .map(secret -> new SecretDigest(secret.id(), secret.digest())).toList();
            Map<String, Set<String>> grants = new HashMap<>();
            for (Grant grant : tx.grants().listForClient(clientId)) grants.put(grant.apiId(), grant.scopes());
            return new ClientEntry(client, digests, grants);
        }));
    }
}
