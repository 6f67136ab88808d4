package io.gatepass.server;

import static io.gatepass.server.TestServer.basic;
import static org.assertj.core.api.Assertions.assertThat;

import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Malformed, oversized and hostile requests get a clear 4xx in the path's error format, never a 500. */
class HostileInputTest extends SharedServer {
    private static final String FORM = "application/x-www-form-urlencoded";

    static App app;

    @BeforeAll
    static void start() {
        app = gatepass.createApp("target", null);
    }

    @AfterAll
    static void stop() {
        assertThat(gatepass.get("/health/ready").status()).as("still serving after every hostile request").isEqualTo(200);
        gatepass.close();
    }

    private Response token(String contentType, String body) {
        return gatepass.send("POST", "/oauth/token", contentType, body, "Authorization", basic(app.clientId(), app.secret()));
    }

    @Test
    void tokenWhenBodyOver64KibThen413() {
        String body = "grant_type=client_credentials&pad=" + "x".repeat(70_000);
        token(FORM, body).assertOAuthError(413, "invalid_request");
    }

    @Test
    void tokenWhenChunkedBodyOver64KibThen413() {
        String chunk = "a".repeat(8192);
        StringBuilder request = new StringBuilder("POST /oauth/token HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: " + FORM + "\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 10; i++) request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        request.append("0\r\n\r\n");
        String answer = gatepass.raw(request.toString());
        assertThat(answer).startsWith("HTTP/1.1 413").contains("\"error\":\"invalid_request\"");
    }

    @Test
    void tokenWhenDeclaredLengthHugeThen413Json() {
        String answer = gatepass.raw("POST /oauth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + FORM
                + "\r\nContent-Length: 50000000\r\n\r\ngrant_type=x");
        assertThat(answer).startsWith("HTTP/1.1 413").contains("\"error\"");
    }

    @Test
    void adminWhenBodyOver64KibThen413Problem() {
        Response response = gatepass.admin("POST", "/admin/apis", "{\"name\":\"" + "x".repeat(70_000) + "\"}");
        response.assertProblem(413);
    }

    @Test
    void tokenWhenContentTypeMissingOrWrongThenInvalidRequest() {
        assertThat(token(null, "grant_type=client_credentials").assertOAuthError(400, "invalid_request")).contains("Content-Type");
        token("text/plain", "grant_type=client_credentials").assertOAuthError(400, "invalid_request");
        token("multipart/form-data; boundary=x", "--x--").assertOAuthError(400, "invalid_request");
    }

    @Test
    void tokenWhenBasicHeaderBrokenThenInvalidClient() {
        String[] headers = {
                "Basic !!!not-base64!!!",
                "Basic " + Base64.getEncoder().encodeToString("no-colon".getBytes(StandardCharsets.UTF_8)),
                "Basic",
                "Basic " + Base64.getEncoder().encodeToString(":".getBytes(StandardCharsets.UTF_8)),
                "Basic " + Base64.getEncoder().encodeToString(("id:" + "s".repeat(5000)).getBytes(StandardCharsets.UTF_8)),
                "Basic " + Base64.getEncoder().encodeToString("%zz:%zz".getBytes(StandardCharsets.UTF_8)),
                "Bearer abc",
                "Basic " + Base64.getEncoder().encodeToString("id\u0000x:secret".getBytes(StandardCharsets.UTF_8)),
        };
        for (String header : headers) {
            Response response = gatepass.send("POST", "/oauth/token", FORM, "grant_type=client_credentials", "Authorization", header);
            response.assertOAuthError(401, "invalid_client");
            assertThat(response.header("WWW-Authenticate")).as(header).startsWith("Basic");
        }
    }

    @Test
    void tokenWhenJsonOfWrongShapeThenInvalidRequest() {
        String[] bodies = {
                "[\"grant_type\", \"client_credentials\"]",
                "\"client_credentials\"",
                "{\"grant_type\": {\"nested\": true}}",
                "{\"grant_type\": 42}",
                "{\"grant_type\": [\"client_credentials\"]}",
                "{\"grant_type\": \"client_credentials\", \"grant_type\": \"client_credentials\"}",
                "{\"grant_type\": \"client_credentials\"",
                "{\"grant_type\": \"client_credentials\"} trailing",
                "{" + "\"a\":{".repeat(100) + "}".repeat(101),
                "",
                "null",
        };
        for (String body : bodies) {
            token("application/json", body).assertOAuthError(400, "invalid_request");
        }
    }

    @Test
    void tokenWhenValuesHugeOrWithControlCharactersThenInvalidRequest() {
        token(FORM, "grant_type=client_credentials&audience=" + "a".repeat(20_000)).assertOAuthError(400, "invalid_request");
        token(FORM, "grant_type=client_credentials&audience=a%00b").assertOAuthError(400, "invalid_request");
        token(FORM, "grant_type=client_credentials&audience=a%0d%0aSet-Cookie:x").assertOAuthError(400, "invalid_request");
        token(FORM, "grant_type=client%zzcredentials").assertOAuthError(400, "invalid_request");
        token(FORM, "grant_type=client_credentials&" + "p=1&".repeat(100)).assertOAuthError(400, "invalid_request");
        token("application/json", "{\"grant_type\":\"client_credentials\",\"audience\":\"\\u0000\"}")
                .assertOAuthError(400, "invalid_request");
    }

    @Test
    void tokenWhenBytesAreNotUtf8ThenClear4xx() {
        byte[] head = ("POST /oauth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + FORM
                + "\r\nAuthorization: " + basic(app.clientId(), app.secret()) + "\r\nContent-Length: 13\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = {'g', 'r', 'a', 'n', 't', '_', 't', 'y', 'p', 'e', '=', (byte) 0xff, (byte) 0xfe};
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        assertThat(gatepass.raw(request)).startsWith("HTTP/1.1 400").contains("unsupported_grant_type");
    }

    @Test
    void wrongMethodsThen405WithAllow() {
        Response get = gatepass.get("/oauth/token");
        get.assertOAuthError(405, "invalid_request");
        assertThat(get.header("Allow")).isEqualTo("POST");
        Response put = gatepass.admin("PUT", "/admin/apis", "{}");
        put.assertProblem(405);
        assertThat(put.header("Allow")).isEqualTo("GET, POST");
        assertThat(gatepass.send("DELETE", "/.well-known/jwks.json", null, null).status()).isEqualTo(405);
        assertThat(gatepass.send("POST", "/health/ready", null, null).status()).isEqualTo(405);
        gatepass.get("/.well-known/no-such-document").assertOAuthError(404, "invalid_request");
    }

    @Test
    void malformedHttpThen400WithJsonBody() {
        String answer = gatepass.raw("GARBAGE\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400");
        String badHeader = gatepass.raw("POST /oauth/token HTTP/1.1\r\nHost: localhost\r\nBad Header Line\r\n\r\n");
        assertThat(badHeader).startsWith("HTTP/1.1 400").contains("\"error\"");
    }

    @Test
    void adminWhenBodyMalformedThen4xxProblem() {
        gatepass.admin("POST", "/admin/apis", "{not json").assertProblem(400);
        gatepass.admin("POST", "/admin/apis", "[1,2,3]").assertProblem(400);
        gatepass.admin("POST", "/admin/apis", "").assertProblem(400);
        gatepass.admin("POST", "/admin/apis", "{\"identifier\":\"a\",\"identifier\":\"b\",\"name\":\"x\"}").assertProblem(400);
        gatepass.admin("POST", "/admin/apis", "{\"identifier\":\"a b\",\"name\":\"x\"}").assertProblem(400);
        gatepass.admin("POST", "/admin/apis", "{\"identifier\":\"x\",\"name\":\"bell\\u0007\"}").assertProblem(400);
        gatepass.admin("POST", "/admin/apis", "{\"identifier\":\"x\",\"name\":\"x\",\"token_lifetime\":1e300}").assertProblem(400);
        gatepass.admin("POST", "/admin/apis", "{\"identifier\":\"x\",\"name\":\"x\",\"scopes\":\"a b\"}").assertProblem(400);
        StringBuilder many = new StringBuilder("{\"identifier\":\"many\",\"name\":\"x\",\"scopes\":[");
        for (int i = 0; i < 300; i++) many.append(i == 0 ? "" : ",").append("\"s").append(i).append("\"");
        gatepass.admin("POST", "/admin/apis", many.append("]}").toString()).assertProblem(400);
        Response wrongType = gatepass.send("POST", "/admin/apis", "text/plain", "{}", "Authorization", "Bearer " + gatepass.adminToken());
        wrongType.assertProblem(415);
    }

    @Test
    void adminWhenPathParametersHostileThen404NotEcho() {
        Response response = gatepass.admin("GET", "/admin/clients/%3Cscript%3E%00", null);
        assertThat(response.status()).isIn(400, 404);
        assertThat(response.body()).doesNotContain("<script>");
    }
}
