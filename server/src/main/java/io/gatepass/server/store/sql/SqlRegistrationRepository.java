package io.gatepass.server.store.sql;

import io.gatepass.server.domain.ClientRegistration;
import io.gatepass.server.store.RegistrationRepository;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class SqlRegistrationRepository implements RegistrationRepository {
    private static final HexFormat HEX = HexFormat.of();

    private final Handle handle;

    SqlRegistrationRepository(Handle handle) {
        this.handle = handle;
    }

    @Override
    public void insert(ClientRegistration registration) {
        write("INSERT INTO client_registrations (client_id, token_digest, metadata, updated_at) "
                + "VALUES (:client, :digest, :metadata, :updated)", registration);
    }

    @Override
    public void update(ClientRegistration registration) {
        write("UPDATE client_registrations SET token_digest = :digest, metadata = :metadata, updated_at = :updated "
                + "WHERE client_id = :client", registration);
    }

    private void write(String sql, ClientRegistration registration) {
        handle.createUpdate(sql)
                .bind("client", registration.clientId())
                .bind("digest", HEX.formatHex(registration.tokenDigest()))
                .bind("metadata", registration.metadata())
                .bind("updated", registration.updatedAt().toEpochMilli())
                .execute();
    }

    @Override
    public Optional<ClientRegistration> find(String clientId) {
        return handle.createQuery("SELECT client_id, token_digest, metadata, updated_at FROM client_registrations "
                        + "WHERE client_id = :client")
                .bind("client", clientId)
                .map((rs, ctx) -> new ClientRegistration(rs.getString("client_id"), HEX.parseHex(rs.getString("token_digest")),
                        rs.getString("metadata"), Instant.ofEpochMilli(rs.getLong("updated_at"))))
                .findOne();
    }
}
