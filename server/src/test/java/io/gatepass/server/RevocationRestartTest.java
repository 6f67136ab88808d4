package io.gatepass.server;

import io.gatepass.server.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.TestServer.GrantedApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Revocations live in the store: a restart keeps them, and prunes them once what they void has expired. */
class RevocationRestartTest {
    @TempDir
    Path dir;

    @Test
    void restartWhenRevokedThenStillInactiveAndPrunedAfterExpiry() {
        MutableClock clock = new MutableClock();
        GrantedApp granted;
        String revoked;
        String voided;
        try (TestServer first = TestServer.start(dir, clock)) {
            granted = first.grantedApp(List.of("read"), "read");
            revoked = first.token(granted.app().clientId(), granted.app().secret(), granted.identifier(), null);
            first.revoke(granted.app(), revoked);
            voided = first.token(granted.app().clientId(), granted.app().secret(), granted.identifier(), null);
            clock.advance(Duration.ofSeconds(2));
            first.admin("POST", "/admin/clients/" + granted.app().clientId() + "/revoke-tokens", null);
        }
        try (TestServer second = TestServer.start(dir, clock)) {
            assertThat(second.introspect(granted.app(), revoked).json().get("active").asBoolean()).isFalse();
            assertThat(second.introspect(granted.app(), voided).json().get("active").asBoolean()).isFalse();
            JsonNode feed = second.get("/oauth/revocations").json();
            assertThat(feed.get("tokens")).hasSize(1);
            assertThat(feed.get("clients")).hasSize(1);
        }
        clock.advance(Duration.ofDays(1).plusMinutes(5)); // past every token lifetime
        try (TestServer third = TestServer.start(dir, clock)) {
            JsonNode feed = third.get("/oauth/revocations").json();
            assertThat(feed.get("tokens")).isEmpty();
            assertThat(feed.get("clients")).isEmpty();
        }
    }
}
