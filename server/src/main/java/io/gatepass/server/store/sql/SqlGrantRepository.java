package io.gatepass.server.store.sql;

import io.gatepass.server.store.Change;
import java.util.function.Consumer;
import io.gatepass.server.domain.Grant;
import io.gatepass.server.store.GrantRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

final class SqlGrantRepository implements GrantRepository {
    private static final String COLUMNS = "client_id, api_id, scopes, created_at, updated_at, claims";

    private final Handle handle;

    /** Records what a write changed, announced once the transaction commits. */
    private final Consumer<Change> changed;

    SqlGrantRepository(Handle handle, Consumer<Change> changed) {
        this.handle = handle;
        this.changed = changed;
    }

    @Override
    public void upsert(Grant grant) {
        changed.accept(new Change.Client(grant.clientId()));
        String scopes = String.join(" ", new TreeSet<>(grant.scopes()));
        int updated = handle.createUpdate("UPDATE grants SET scopes = :scopes, updated_at = :updated, claims = :claims "
                        + "WHERE client_id = :client AND api_id = :api")
                .bind("client", grant.clientId())
                .bind("api", grant.apiId())
                .bind("scopes", scopes)
                .bind("updated", grant.updatedAt().toEpochMilli())
                .bind("claims", grant.claims())
                .execute();
        if (updated == 0) {
            handle.createUpdate("INSERT INTO grants (" + COLUMNS + ") VALUES (:client, :api, :scopes, :created, :updated, :claims)")
                    .bind("client", grant.clientId())
                    .bind("api", grant.apiId())
                    .bind("scopes", scopes)
                    .bind("created", grant.createdAt().toEpochMilli())
                    .bind("updated", grant.updatedAt().toEpochMilli())
                    .bind("claims", grant.claims())
                    .execute();
        }
    }

    @Override
    public boolean delete(String clientId, String apiId) {
        changed.accept(new Change.Client(clientId));
        return handle.createUpdate("DELETE FROM grants WHERE client_id = :client AND api_id = :api")
                .bind("client", clientId)
                .bind("api", apiId)
                .execute() > 0;
    }

    @Override
    public Optional<Grant> find(String clientId, String apiId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM grants WHERE client_id = :client AND api_id = :api")
                .bind("client", clientId)
                .bind("api", apiId)
                .map((rs, ctx) -> row(rs))
                .findOne();
    }

    @Override
    public List<Grant> listForClient(String clientId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM grants WHERE client_id = :client ORDER BY created_at, api_id")
                .bind("client", clientId)
                .map((rs, ctx) -> row(rs))
                .list();
    }

    @Override
    public List<Grant> listForApi(String apiId) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM grants WHERE api_id = :api ORDER BY client_id")
                .bind("api", apiId)
                .map((rs, ctx) -> row(rs))
                .list();
    }

    private static Grant row(ResultSet rs) throws SQLException {
        String scopes = rs.getString("scopes");
        Set<String> scopeSet = scopes.isEmpty() ? Set.of()
                : Arrays.stream(scopes.split(" ")).collect(Collectors.toUnmodifiableSet());
        return new Grant(rs.getString("client_id"), rs.getString("api_id"), scopeSet,
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
                rs.getString("claims"));
    }
}
