package io.gatepass.server.store.sql;

import io.gatepass.server.store.Change;
import java.util.function.Consumer;
import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.ApiScope;
import io.gatepass.server.domain.TokenProfile;
import io.gatepass.server.store.ApiRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class SqlApiRepository implements ApiRepository {
    private static final String COLUMNS = "id, identifier, name, token_lifetime, signing_alg, token_profile, created_at, updated_at, "
            + "token_exchange_actors";

    private final Handle handle;

    /** Records what a write changed, announced once the transaction commits. */
    private final Consumer<Change> changed;

    SqlApiRepository(Handle handle, Consumer<Change> changed) {
        this.handle = handle;
        this.changed = changed;
    }

    @Override
    public void insert(Api api) {
        changed.accept(new Change.Api(api.id(), api.identifier())); // drops a cached "unknown audience"
        SqlErrors.translateDuplicates("an API with identifier " + api.identifier() + " exists", () ->
                handle.createUpdate("INSERT INTO apis (" + COLUMNS + ") VALUES "
                                + "(:id, :identifier, :name, :lifetime, :alg, :profile, :created, :updated, :actors)")
                        .bind("id", api.id())
                        .bind("identifier", api.identifier())
                        .bind("name", api.name())
                        .bind("lifetime", api.tokenLifetime())
                        .bind("alg", api.signingAlg())
                        .bind("profile", api.tokenProfile().value())
                        .bind("created", api.createdAt().toEpochMilli())
                        .bind("updated", api.updatedAt().toEpochMilli())
                        .bind("actors", actors(api))
                        .execute());
        insertScopes(api);
    }

    @Override
    public void update(Api api) {
        changed.accept(new Change.Api(api.id(), api.identifier()));
        changed.accept(new Change.AllClients()); // grants of this API may have lost scopes
        handle.createUpdate("UPDATE apis SET name = :name, token_lifetime = :lifetime, signing_alg = :alg, "
                        + "token_profile = :profile, updated_at = :updated, token_exchange_actors = :actors WHERE id = :id")
                .bind("id", api.id())
                .bind("name", api.name())
                .bind("lifetime", api.tokenLifetime())
                .bind("alg", api.signingAlg())
                .bind("profile", api.tokenProfile().value())
                .bind("updated", api.updatedAt().toEpochMilli())
                .bind("actors", actors(api))
                .execute();
        handle.createUpdate("DELETE FROM api_scopes WHERE api_id = :id").bind("id", api.id()).execute();
        insertScopes(api);
    }

    private void insertScopes(Api api) {
        var batch = handle.prepareBatch(
                "INSERT INTO api_scopes (api_id, position, value, description) VALUES (:api, :pos, :value, :description)");
        int position = 0;
        for (ApiScope scope : api.scopes()) {
            batch.bind("api", api.id())
                    .bind("pos", position++)
                    .bind("value", scope.value())
                    .bind("description", scope.description())
                    .add();
        }
        if (position > 0) batch.execute();
    }

    @Override
    public boolean delete(String id) {
        findById(id).ifPresent(api -> changed.accept(new Change.Api(api.id(), api.identifier())));
        changed.accept(new Change.AllClients()); // its grants went with it
        return handle.createUpdate("DELETE FROM apis WHERE id = :id").bind("id", id).execute() > 0;
    }

    @Override
    public Optional<Api> findById(String id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM apis WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne()
                .map(this::withScopes);
    }

    @Override
    public Optional<Api> findByIdentifier(String identifier) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM apis WHERE identifier = :identifier")
                .bind("identifier", identifier)
                .map((rs, ctx) -> row(rs))
                .findOne()
                .map(this::withScopes);
    }

    @Override
    public List<Api> list(int limit, int offset) {
        List<Api> rows = handle.createQuery("SELECT " + COLUMNS + " FROM apis ORDER BY created_at, id LIMIT :limit OFFSET :offset")
                .bind("limit", limit)
                .bind("offset", offset)
                .map((rs, ctx) -> row(rs))
                .list();
        List<Api> apis = new ArrayList<>(rows.size());
        for (Api api : rows) apis.add(withScopes(api));
        return apis;
    }

    private Api withScopes(Api api) {
        List<ApiScope> scopes = handle.createQuery(
                        "SELECT value, description FROM api_scopes WHERE api_id = :id ORDER BY position")
                .bind("id", api.id())
                .map((rs, ctx) -> new ApiScope(rs.getString("value"), rs.getString("description")))
                .list();
        return new Api(api.id(), api.identifier(), api.name(), scopes, api.tokenLifetime(), api.signingAlg(),
                api.tokenProfile(), api.createdAt(), api.updatedAt(), api.tokenExchangeActors());
    }

    /** Client ids, space separated (they hold no spaces), or NULL for none. */
    private static String actors(Api api) {
        return api.tokenExchangeActors().isEmpty() ? null : String.join(" ", new java.util.TreeSet<>(api.tokenExchangeActors()));
    }

    private static Api row(ResultSet rs) throws SQLException {
        return new Api(rs.getString("id"), rs.getString("identifier"), rs.getString("name"), List.of(),
                rs.getInt("token_lifetime"), rs.getString("signing_alg"), profile(rs.getString("token_profile")),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")),
                actors(rs.getString("token_exchange_actors")));
    }

    private static java.util.Set<String> actors(String value) {
        return value == null || value.isEmpty() ? java.util.Set.of() : java.util.Set.of(value.split(" "));
    }

    private static TokenProfile profile(String value) {
        return TokenProfile.parse(value).orElseThrow(() -> new IllegalStateException("unknown token profile " + value));
    }

    @Override
    public List<String> signingAlgorithms() {
        return handle.createQuery("SELECT DISTINCT signing_alg FROM apis ORDER BY signing_alg").mapTo(String.class).list();
    }
}
