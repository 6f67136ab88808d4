package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.http.AccessLog;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The access log: a line per request, and never a secret or a token. */
class AccessLogTest {
    @TempDir
    Path dataDir;

    @Test
    void requestsWhenServedThenOneLineEachWithoutSecretsOrTokens() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try (TestServer gatepass = TestServer.start(dataDir)) {
            App app = gatepass.createApp("logged", null);
            String token = gatepass.adminToken();
            gatepass.tokenRequest(app, "audience", "urn:gatepass:admin");
            gatepass.get("/oauth/revocations?since=0");
            gatepass.introspect(app, token);
            gatepass.get("/admin/clients/caf%C3%A9%20%E2%80%8B%2F");
            gatepass.get("/admin/apis/" + "a".repeat(300));

            // a line is written once the response has gone out: wait for the last request's
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (lines.list.stream().noneMatch(event -> event.getFormattedMessage().contains("/admin/apis/aaa"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<String> messages = List.copyOf(lines.list).stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(messages).anyMatch(line -> line.contains("POST /oauth/token 200"));
            assertThat(messages).anyMatch(line -> line.contains("POST /oauth/token 400"));
            assertThat(messages).anyMatch(line -> line.contains("GET /oauth/revocations 200"));
            assertThat(messages).anyMatch(line -> line.contains("POST /admin/clients 201"));
            // percent-encoded as it came, not "(unprintable)"; a long path cut at 200 characters
            assertThat(messages).anyMatch(line -> line.contains("GET /admin/clients/caf%C3%A9%20%E2%80%8B%2F 4"));
            assertThat(messages).anyMatch(line -> line.contains(" " + ("/admin/apis/" + "a".repeat(300)).substring(0, 200) + "… 401"));
            assertThat(messages).noneMatch(line -> line.contains("unprintable"));
            String all = String.join("\n", messages);
            assertThat(all).doesNotContain(app.secret()).doesNotContain(TestServer.ADMIN_SECRET).doesNotContain(token)
                    .doesNotContain("since=");
        } finally {
            logger.detachAppender(lines);
        }
    }
}
