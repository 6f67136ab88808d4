package io.gatepass.server.store.sql;

import io.gatepass.server.store.Change;
import java.util.function.Consumer;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.ClientStatus;
import io.gatepass.server.domain.TlsClientIdentity;
import io.gatepass.server.store.ClientRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

final class SqlClientRepository implements ClientRepository {
    private static final String COLUMNS =
            "client_id, client_name, token_endpoint_auth_method, status, token_lifetime, created_at, updated_at, jwks, jwks_uri, "
                    + "token_rate_limit, reuse_tokens, default_audience, allow_private_network, registered_via, claims, "
                    + "dpop_bound_access_tokens, tls_client_certificate_bound_access_tokens, tls_client_auth_field, tls_client_auth_value";
    private static final String READ_COLUMNS = COLUMNS + ", last_used_at";

    private final Handle handle;

    /** Records what a write changed, announced once the transaction commits. */
    private final Consumer<Change> changed;

    SqlClientRepository(Handle handle, Consumer<Change> changed) {
        this.handle = handle;
        this.changed = changed;
    }

    @Override
    public void insert(Client client) {
        changed.accept(new Change.Client(client.clientId()));
        SqlErrors.translateDuplicates("an app with client_id " + client.clientId() + " exists", () ->
                bind(handle.createUpdate("INSERT INTO clients (" + COLUMNS + ") VALUES "
                        + "(:id, :name, :method, :status, :lifetime, :created, :updated, :jwks, :jwksUri, :rateLimit, :reuse, :defaultAudience, :allowPrivate, :registeredVia, :claims, :dpopBound, :certBound, :tlsField, :tlsValue)"), client).execute());
    }

    @Override
    public void update(Client client) {
        changed.accept(new Change.Client(client.clientId()));
        bind(handle.createUpdate("UPDATE clients SET client_name = :name, token_endpoint_auth_method = :method, "
                + "status = :status, token_lifetime = :lifetime, updated_at = :updated, jwks = :jwks, jwks_uri = :jwksUri, "
                + "token_rate_limit = :rateLimit, reuse_tokens = :reuse, default_audience = :defaultAudience, "
                + "allow_private_network = :allowPrivate, claims = :claims, dpop_bound_access_tokens = :dpopBound, "
                + "tls_client_certificate_bound_access_tokens = :certBound, tls_client_auth_field = :tlsField, "
                + "tls_client_auth_value = :tlsValue "
                + "WHERE client_id = :id"), client)
                .execute();
    }

    private static Update bind(Update update, Client client) {
        update.bind("id", client.clientId())
                .bind("name", client.name())
                .bind("method", client.authMethod().value())
                .bind("status", client.status().value())
                .bind("created", client.createdAt().toEpochMilli())
                .bind("updated", client.updatedAt().toEpochMilli())
                .bind("jwks", client.jwks())
                .bind("jwksUri", client.jwksUri())
                .bind("reuse", client.reuseTokens())
                .bind("defaultAudience", client.defaultAudience())
                .bind("allowPrivate", client.allowPrivateNetwork())
                .bind("registeredVia", client.registeredVia())
                .bind("claims", client.claims())
                .bind("dpopBound", client.constraints().dpopBound())
                .bind("certBound", client.constraints().certificateBound());
        TlsClientIdentity tls = client.constraints().tlsIdentity();
        update.bind("tlsField", tls == null ? null : tls.field().value()).bind("tlsValue", tls == null ? null : tls.value());
        bindNullable(update, "lifetime", client.tokenLifetime());
        bindNullable(update, "rateLimit", client.tokenRateLimit());
        return update;
    }

    private static void bindNullable(Update update, String name, Integer value) {
        if (value == null) {
            update.bindNull(name, Types.INTEGER);
        } else {
            update.bind(name, value.intValue());
        }
    }

    @Override
    public boolean delete(String clientId) {
        changed.accept(new Change.Client(clientId));
        return handle.createUpdate("DELETE FROM clients WHERE client_id = :id").bind("id", clientId).execute() > 0;
    }

    @Override
    public void recordUse(Map<String, Instant> lastUseByClientId) {
        SqlTimes.touch(handle, "clients", "client_id", lastUseByClientId);
    }

    @Override
    public Optional<Client> find(String clientId) {
        return handle.createQuery("SELECT " + READ_COLUMNS + " FROM clients WHERE client_id = :id")
                .bind("id", clientId)
                .map((rs, ctx) -> row(rs))
                .findOne();
    }

    @Override
    public List<Client> list(int limit, int offset) {
        return handle.createQuery("SELECT " + READ_COLUMNS + " FROM clients ORDER BY created_at, client_id "
                        + "LIMIT :limit OFFSET :offset")
                .bind("limit", limit)
                .bind("offset", offset)
                .map((rs, ctx) -> row(rs))
                .list();
    }

    private static Client row(ResultSet rs) throws SQLException {
        String method = rs.getString("token_endpoint_auth_method");
        String status = rs.getString("status");
        return new Client(rs.getString("client_id"), rs.getString("client_name"),
                ClientAuthMethod.parse(method).orElseThrow(() -> new IllegalStateException("unknown auth method " + method)),
                ClientStatus.parse(status).orElseThrow(() -> new IllegalStateException("unknown status " + status)),
                nullableInt(rs, "token_lifetime"), Instant.ofEpochMilli(rs.getLong("created_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")), SqlTimes.nullableInstant(rs, "last_used_at"),
                rs.getString("jwks"), rs.getString("jwks_uri"), nullableInt(rs, "token_rate_limit"),
                rs.getBoolean("reuse_tokens"), rs.getString("default_audience"),
                rs.getBoolean("allow_private_network"), rs.getString("registered_via"),
                rs.getString("claims"), new Client.SenderConstraints(rs.getBoolean("dpop_bound_access_tokens"),
                        rs.getBoolean("tls_client_certificate_bound_access_tokens"), tlsIdentity(rs)));
    }

    private static TlsClientIdentity tlsIdentity(ResultSet rs) throws SQLException {
        String field = rs.getString("tls_client_auth_field");
        if (field == null) return null;
        return new TlsClientIdentity(TlsClientIdentity.Field.parse(field)
                .orElseThrow(() -> new IllegalStateException("unknown tls_client_auth field " + field)), rs.getString("tls_client_auth_value"));
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }
}
