package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.gatepass.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signing keys at rest: AES-256-GCM under the master key, and what happens when the master key is wrong or gone. */
class KeyEncryptionTest {
    @TempDir
    Path dataDir;

    @org.junit.jupiter.api.BeforeEach
    void embeddedStoreOnly() {
        // these tests read the SQLite file and the key file; on PostgreSQL the master key comes from the environment
        org.junit.jupiter.api.Assumptions.assumeFalse(TestServer.onPostgres(), "the embedded store's files only");
    }

    private ServerConfig config() {
        return ServerConfig.builder().port(0).dataDir(dataDir).bootstrapAdminSecret(TestServer.ADMIN_SECRET).build();
    }

    private static String randomMasterKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** kid → stored private_jwk, read straight from the SQLite file. */
    private Map<String, String> storedKeys() throws SQLException {
        Map<String, String> rows = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("gatepass.db"));
             ResultSet rs = db.createStatement().executeQuery("SELECT kid, private_jwk FROM signing_keys ORDER BY kid")) {
            while (rs.next()) rows.put(rs.getString(1), rs.getString(2));
        }
        return rows;
    }

    @Test
    void storedKeyWhenReadFromTheDatabaseThenEncryptedAndTheKeyFileIsPrivate() throws Exception {
        String jwks;
        try (GatepassServer server = GatepassServer.start(config())) {
            jwks = TestServer.wrap(dataDir, server).get("/.well-known/jwks.json").body();
        }
        RSAKey published = (RSAKey) JWKSet.parse(jwks).getKeys().get(0);

        Map<String, String> rows = storedKeys();
        assertThat(rows).containsOnlyKeys(published.getKeyID());
        String stored = rows.get(published.getKeyID());
        assertThat(stored).startsWith("v1.").doesNotContain("\"d\"").doesNotContain("\"p\"")
                .doesNotContain(published.getModulus().toString());
        Path keyFile = dataDir.resolve("master.key");
        assertThat(Files.getPosixFilePermissions(keyFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void startWhenMasterKeyWrongThenFailsNamingItAndChangesNothing() throws Exception {
        String right = randomMasterKey();
        String kid;
        try (GatepassServer server = GatepassServer.start(config().toBuilder().masterKey(right).build())) {
            kid = SignedJWT.parse(TestServer.wrap(dataDir, server).adminToken()).getHeader().getKeyID();
        }
        assertThat(dataDir.resolve("master.key")).as("the environment's key is not written to disk").doesNotExist();
        Map<String, String> before = storedKeys();

        assertThatThrownBy(() -> GatepassServer.start(config().toBuilder().masterKey(randomMasterKey()).build()))
                .hasMessageContaining("master key does not decrypt signing key " + kid)
                .hasMessageContaining("GATEPASS_MASTER_KEY");
        assertThatThrownBy(() -> GatepassServer.start(config()))
                .as("no key at all for a store that has keys").hasMessageContaining("no master key");

        assertThat(storedKeys()).isEqualTo(before);
        assertThat(dataDir.resolve("master.key")).doesNotExist();
        try (GatepassServer server = GatepassServer.start(config().toBuilder().masterKey(right).build())) {
            String token = TestServer.wrap(dataDir, server).adminToken();
            assertThat(SignedJWT.parse(token).getHeader().getKeyID()).isEqualTo(kid);
        }
    }

    @Test
    void startWhenMasterKeyMalformedThenFailsNamingTheSetting() {
        assertThatThrownBy(() -> GatepassServer.start(config().toBuilder().masterKey("not base64!").build()))
                .hasMessageContaining("GATEPASS_MASTER_KEY must be base64");
        assertThatThrownBy(() -> GatepassServer.start(config().toBuilder().masterKey(Base64.getEncoder().encodeToString(new byte[16])).build()))
                .hasMessageContaining("32 bytes");
    }

    @Test
    void startWhenAKeyWasStoredInClearByAnOlderVersionThenItIsEncryptedInPlaceAndStillSigns() throws Exception {
        try (GatepassServer server = GatepassServer.start(config())) {
            TestServer.wrap(dataDir, server).adminToken();
        }
        RSAKey legacy = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                .keyIDFromThumbprint(true).generate();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("gatepass.db"))) {
            db.createStatement().executeUpdate("DELETE FROM signing_keys");
            try (PreparedStatement insert = db.prepareStatement("INSERT INTO signing_keys (kid, alg, private_jwk, "
                    + "created_at, activates_at) VALUES (?, 'RS256', ?, 0, 0)")) {
                insert.setString(1, legacy.getKeyID());
                insert.setString(2, legacy.toJSONString());
                insert.executeUpdate();
            }
        }

        try (GatepassServer server = GatepassServer.start(config())) {
            String token = TestServer.wrap(dataDir, server).adminToken();
            assertThat(SignedJWT.parse(token).getHeader().getKeyID()).isEqualTo(legacy.getKeyID());
        }
        assertThat(storedKeys().get(legacy.getKeyID())).startsWith("v1.").doesNotContain("\"d\"");
    }
}
