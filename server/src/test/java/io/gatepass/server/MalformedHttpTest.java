package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Malformed HTTP on a raw socket: broken chunked framing, bodies shorter than they say, request lines whose method
 * is no token, and clients that send too slowly. Each gets a 4xx (or the connection closed at a deadline), never a
 * 500, a hang, or a stack trace in the log.
 */
class MalformedHttpTest {
    private static final String TOKEN_REQUEST = "POST /oauth/token HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/x-www-form-urlencoded\r\n";

    @TempDir
    static Path dataDir;
    static TestServer gatepass;
    static ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeAll
    static void start() {
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
        gatepass = TestServer.start(dataDir);
    }

    @AfterAll
    static void stop() {
        gatepass.close();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
    }

    private record Answer(String text, long millis, boolean closed) {
    }

    /** Sends, half-closes if asked, and reads until the server closes or {@code waitMillis} pass. */
    private static Answer exchange(String request, boolean halfClose, int waitMillis) {
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", gatepass.server.port())) {
            socket.setSoTimeout(waitMillis);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            if (halfClose) socket.shutdownOutput();
            InputStream in = socket.getInputStream();
            StringBuilder text = new StringBuilder();
            byte[] buffer = new byte[8192];
            boolean closed = false;
            try {
                int n;
                while ((n = in.read(buffer)) > 0) text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                closed = true;
            } catch (java.net.SocketTimeoutException e) {
                // still open
            } catch (java.net.SocketException e) {
                closed = true; // reset by the server
            }
            return new Answer(text.toString(), (System.nanoTime() - start) / 1_000_000, closed);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void chunkedWhenSizeOrFramingBrokenThen400AndClosedAtOnce() {
        List<String> bodies = List.of("zz\r\nabcde\r\n0\r\n\r\n", "-1\r\nabcde\r\n0\r\n\r\n",
                "ffffffffffffffffff\r\nabcde\r\n0\r\n\r\n", " 5\r\nabcde\r\n0\r\n\r\n", "5;;;=;\"\r\nabcde\r\n0\r\n\r\n",
                "3\r\nabcdefgh\r\n0\r\n\r\n");
        for (String body : bodies) {
            Answer answer = exchange(TOKEN_REQUEST + "Transfer-Encoding: chunked\r\n\r\n" + body, false, 5_000);
            assertThat(answer.text()).as(body).startsWith("HTTP/1.1 400").contains("\"error\":\"invalid_request\"")
                    .contains("chunked encoding or Content-Length");
            assertThat(answer.closed()).as(body).isTrue();
            assertThat(answer.millis()).as(body).isLessThan(3_000);
        }
    }

    @Test
    void bodyWhenShorterThanSaidAndClientHalfClosesThen400() {
        Answer shortBody = exchange(TOKEN_REQUEST + "Content-Length: 100\r\n\r\nabc", true, 5_000);
        Answer noLastChunk = exchange(TOKEN_REQUEST + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n", true, 5_000);

        for (Answer answer : List.of(shortBody, noLastChunk)) {
            assertThat(answer.text()).startsWith("HTTP/1.1 400").contains("invalid_request");
        }
    }

    @Test
    void requestLineWhenMethodIsNoTokenThen400() {
        for (String method : List.of("\u00ff\u00fe\u00fd", "\u0001\u0002", "GE/T")) {
            Answer answer = exchange(method + " /oauth/token HTTP/1.1\r\nHost: localhost\r\n\r\n", false, 5_000);
            assertThat(answer.text()).as(method).startsWith("HTTP/1.1 400").contains("method must be an HTTP token");
        }
    }

    @Test
    void http10WhenSentThenClear505NotAStackTrace() {
        Answer answer = exchange("GET /health/live HTTP/1.0\r\n\r\n", false, 5_000);
        // Helidon 4 speaks HTTP/1.1 only (docs/security.md): the refusal says what to send instead
        assertThat(answer.text()).startsWith("HTTP/1.1 505").contains("send the request as HTTP/1.1");
    }

    @Test
    void slowClientsWhenHeadersOrBodyTrickleThenClosedAtTheDeadline() throws Exception {
        CompletableFuture<Answer> slowHeaders = CompletableFuture.supplyAsync(() ->
                exchange("GET /health/live HTTP/1.1\r\nHost: localhost\r\n", false, 20_000));
        CompletableFuture<Answer> slowBody = CompletableFuture.supplyAsync(() ->
                exchange(TOKEN_REQUEST + "Content-Length: 100\r\n\r\nabc", false, 20_000));

        for (Answer answer : List.of(slowHeaders.get(), slowBody.get())) {
            assertThat(answer.closed()).as(answer.text()).isTrue();
            assertThat(answer.millis()).isBetween(9_000L, 15_000L);
        }
        // the server still serves
        assertThat(gatepass.get("/health/live").status()).isEqualTo(200);
    }

    @Test
    void malformedRequestsWhenAnsweredThenNoStackTraceInTheLog() {
        exchange(TOKEN_REQUEST + "Transfer-Encoding: chunked\r\n\r\nzz\r\nabcde\r\n0\r\n\r\n", false, 5_000);
        exchange("GE/T / HTTP/1.1\r\nHost: localhost\r\n\r\n", false, 5_000);

        assertThat(log.list).noneMatch(event -> event.getThrowableProxy() != null
                && event.getLoggerName().startsWith("io.gatepass"));
        assertThat(log.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.ERROR));
    }
}
