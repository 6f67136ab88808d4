package io.gatepass.server.store.sql;

import io.gatepass.server.domain.IssuerPreset;
import io.gatepass.server.domain.TrustedIssuer;
import io.gatepass.server.store.Change;
import io.gatepass.server.store.TrustedIssuerRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

final class SqlTrustedIssuerRepository implements TrustedIssuerRepository {
    private static final String COLUMNS = "id, issuer, name, preset, jwks, jwks_uri, audiences, max_assertion_lifetime, "
            + "allow_reuse, allow_private_network, status, created_at, updated_at";

    private final Handle handle;
    /** Records what a write changed, announced once the transaction commits. */
    private final Consumer<Change> changed;

    SqlTrustedIssuerRepository(Handle handle, Consumer<Change> changed) {
        this.handle = handle;
        this.changed = changed;
    }

    @Override
    public void insert(TrustedIssuer issuer) {
        changed.accept(new Change.Issuer(issuer.issuer()));
        SqlErrors.translateDuplicates("the issuer " + issuer.issuer() + " is registered already", () ->
                bind(handle.createUpdate("INSERT INTO trusted_issuers (" + COLUMNS + ") VALUES (:id, :issuer, :name, "
                        + ":preset, :jwks, :jwksUri, :audiences, :lifetime, :reuse, :private, :status, :created, :updated)"),
                        issuer).execute());
    }

    @Override
    public void update(TrustedIssuer issuer) {
        changed.accept(new Change.Issuer(issuer.issuer()));
        bind(handle.createUpdate("UPDATE trusted_issuers SET name = :name, preset = :preset, jwks = :jwks, "
                + "jwks_uri = :jwksUri, audiences = :audiences, max_assertion_lifetime = :lifetime, allow_reuse = :reuse, "
                + "allow_private_network = :private, status = :status, updated_at = :updated WHERE id = :id"), issuer).execute();
    }

    private static Update bind(Update update, TrustedIssuer issuer) {
        return update.bind("id", issuer.id())
                .bind("issuer", issuer.issuer())
                .bind("name", issuer.name())
                .bind("preset", issuer.preset().value())
                .bind("jwks", issuer.jwks())
                .bind("jwksUri", issuer.jwksUri())
                .bind("audiences", String.join("\n", issuer.audiences()))
                .bind("lifetime", issuer.maxAssertionLifetime())
                .bind("reuse", issuer.allowReuse())
                .bind("private", issuer.allowPrivateNetwork())
                .bind("status", issuer.active() ? "active" : "disabled")
                .bind("created", issuer.createdAt().toEpochMilli())
                .bind("updated", issuer.updatedAt().toEpochMilli());
    }

    @Override
    public boolean delete(String id) {
        Optional<TrustedIssuer> issuer = find(id);
        issuer.ifPresent(i -> changed.accept(new Change.Issuer(i.issuer())));
        changed.accept(new Change.AllClients()); // their federated credentials went with it
        return handle.createUpdate("DELETE FROM trusted_issuers WHERE id = :id").bind("id", id).execute() > 0;
    }

    @Override
    public Optional<TrustedIssuer> find(String id) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM trusted_issuers WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> row(rs)).findOne();
    }

    @Override
    public Optional<TrustedIssuer> findByIssuer(String issuer) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM trusted_issuers WHERE issuer = :issuer").bind("issuer", issuer)
                .map((rs, ctx) -> row(rs)).findOne();
    }

    @Override
    public List<TrustedIssuer> list(int limit, int offset) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM trusted_issuers ORDER BY created_at, id LIMIT :limit OFFSET :offset")
                .bind("limit", limit).bind("offset", offset).map((rs, ctx) -> row(rs)).list();
    }

    private static TrustedIssuer row(ResultSet rs) throws SQLException {
        String preset = rs.getString("preset");
        String audiences = rs.getString("audiences");
        return new TrustedIssuer(rs.getString("id"), rs.getString("issuer"), rs.getString("name"),
                IssuerPreset.parse(preset).orElseThrow(() -> new IllegalStateException("unknown preset " + preset)),
                rs.getString("jwks"), rs.getString("jwks_uri"),
                audiences.isEmpty() ? List.of() : Arrays.asList(audiences.split("\n")), rs.getInt("max_assertion_lifetime"),
                rs.getBoolean("allow_reuse"), rs.getBoolean("allow_private_network"), "active".equals(rs.getString("status")),
                Instant.ofEpochMilli(rs.getLong("created_at")), Instant.ofEpochMilli(rs.getLong("updated_at")));
    }
}
