package io.gatepass.server.store.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.ClientSecret;
import io.gatepass.server.domain.ClientStatus;
import io.gatepass.server.store.DuplicateKeyException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store on a real file: atomic management changes and constraint translation. */
class SqlStoreTest {
    @TempDir
    Path dataDir;

    private static Client client(String id) {
        Instant now = Instant.now();
        return new Client(id, "app", ClientAuthMethod.CLIENT_SECRET_BASIC, ClientStatus.ACTIVE, null, now, now);
    }

    @Test
    void transactionWhenWorkFailsHalfwayThenNothingOfItIsStored() {
        try (SqlStore store = SqlStore.openSqlite(dataDir)) {
            assertThatThrownBy(() -> store.inTransaction(tx -> {
                tx.clients().insert(client("half"));
                tx.secrets().insert(new ClientSecret("sec_1", "half", new byte[32], Instant.now()));
                throw new IllegalStateException("crash between the app and its grant");
            })).isInstanceOf(IllegalStateException.class);

            Optional<Client> app = store.read(tx -> tx.clients().find("half"));
            List<ClientSecret> secrets = store.read(tx -> tx.secrets().listForClient("half"));
            assertThat(app).isEmpty();
            assertThat(secrets).isEmpty();
        }
        try (SqlStore reopened = SqlStore.openSqlite(dataDir)) {
            Optional<Client> app = reopened.read(tx -> tx.clients().find("half"));
            assertThat(app).isEmpty();
        }
    }

    @Test
    void insertWhenClientIdTakenThenDuplicateKeyAndFirstKept() {
        try (SqlStore store = SqlStore.openSqlite(dataDir)) {
            store.inTransaction(tx -> {
                tx.clients().insert(client("same"));
                return null;
            });
            assertThatThrownBy(() -> store.inTransaction(tx -> {
                tx.clients().insert(client("same"));
                return null;
            })).isInstanceOf(DuplicateKeyException.class);
            List<Client> all = store.read(tx -> tx.clients().list(10, 0));
            assertThat(all).hasSize(1);
        }
    }

    @Test
    void deleteClientWhenItHasSecretsThenSecretsGoToo() {
        try (SqlStore store = SqlStore.openSqlite(dataDir)) {
            store.inTransaction(tx -> {
                tx.clients().insert(client("parent"));
                tx.secrets().insert(new ClientSecret("sec_2", "parent", new byte[32], Instant.now()));
                return null;
            });
            store.inTransaction(tx -> tx.clients().delete("parent"));
            List<ClientSecret> secrets = store.read(tx -> tx.secrets().listForClient("parent"));
            assertThat(secrets).isEmpty();
        }
    }
}
