package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.config.ServerConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Master key rotation (GATEPASS_MASTER_KEY with GATEPASS_MASTER_KEY_PREVIOUS): a start with both re-encrypts every
 * signing key under the new key, tokens and the JWKS carry on, and afterwards the old key alone is refused with a
 * clear message and nothing changed.
 */
class MasterKeyRotationTest {
    private static final String OLD = "b2xkLW1hc3Rlci1rZXktMDEyMzQ1Njc4OWFiY2RlZmc=";
    private static final String NEW = "bmV3LW1hc3Rlci1rZXktMDEyMzQ1Njc4OWFiY2RlZmc=";

    @TempDir
    Path dataDir;

    private ServerConfig config(String key, String previous) {
        // one issuer for all the starts (each gets another port): the old token must still be this server's
        return TestServer.config(dataDir).toBuilder().issuer("http://gatepass.test").masterKey(key).masterKeyPrevious(previous).build();
    }

    @Test
    void masterKeyWhenRotatedWithThePreviousOneGivenThenKeysMoveAndTheOldKeyAloneIsRefused() throws Exception {
        String token;
        String jwks;
        TestServer.GrantedApp granted;
        try (TestServer first = TestServer.start(config(OLD, null))) {
            granted = first.grantedApp(List.of("read"), "read");
            token = first.tokenRequest(granted.app(), "audience", granted.identifier()).json().get("access_token").asText();
            jwks = first.get("/.well-known/jwks.json").body();
        }
        try (TestServer rotated = TestServer.start(config(NEW, OLD))) {
            assertThat(rotated.get("/.well-known/jwks.json").body()).isEqualTo(jwks);
            assertThat(rotated.introspect(granted.app(), token).json().get("active").asBoolean()).isTrue();
            // the start re-encrypted everything: on demand there is nothing left, and the call is audited
            TestServer.Response rewrap = rotated.admin("POST", "/admin/keys/rewrap", null);
            assertThat(rewrap.status()).as(rewrap.body()).isEqualTo(200);
            assertThat(rewrap.json().get("keys_rewrapped").asInt()).isZero();
            JsonNode events = AuditTest.eventually(() -> rotated.admin("GET", "/admin/audit?type=keys.rewrapped", null).json(),
                    e -> e.size() >= 1);
            assertThat(events.get(0).get("actor").asText()).isEqualTo("gatepass-admin");
        }
        Throwable refused = catchThrowable(() -> TestServer.start(config(OLD, null)).close());
        assertThat(refused).isInstanceOf(StartupException.class).hasMessageContaining("does not decrypt signing key")
                .hasMessageContaining("nothing was changed");
        try (TestServer after = TestServer.start(config(NEW, null))) {
            assertThat(after.get("/.well-known/jwks.json").body()).isEqualTo(jwks);
            assertThat(after.tokenRequest(granted.app(), "audience", granted.identifier()).status()).isEqualTo(200);
        }
    }

    @Test
    void previousKeyWhenGivenWithoutANewOneThenTheSettingIsRefused() {
        Throwable refused = catchThrowable(() -> TestServer.config(dataDir).toBuilder().masterKey(null).masterKeyPrevious(OLD).build());
        assertThat(refused).hasMessageContaining("GATEPASS_MASTER_KEY_PREVIOUS needs GATEPASS_MASTER_KEY");
    }
}
