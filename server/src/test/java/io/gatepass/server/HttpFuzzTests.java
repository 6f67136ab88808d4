package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gatepass.server.TestServer.GrantedApp;
import io.gatepass.server.TestServer.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Jazzer fuzz tests against a running server, through HTTP: the token request parser (form and JSON bodies), the
 * HTTP Basic header, client assertions (private_key_jwt), and the management API's JSON bodies. Whatever comes in,
 * the answer is a 4xx in the endpoint's error format or a success — never a 5xx, never a dropped connection.
 *
 * <p>{@code ./mvnw verify} runs them in regression mode (the inputs under {@code src/test/resources/…/HttpFuzzTestsInputs}
 * and an empty one); {@code scripts/fuzz.sh} fuzzes them (docs/fuzzing.md). A crash found becomes such an input.
 */
class HttpFuzzTests {
    private static final List<String> TOKEN_CONTENT_TYPES = List.of("application/x-www-form-urlencoded", "application/json",
            "application/x-www-form-urlencoded; charset=UTF-8", "text/plain", "multipart/form-data; boundary=x");
    private static final List<String> ADMIN_TARGETS = List.of("POST /admin/apis", "PATCH /admin/apis/{api}", "POST /admin/clients",
            "PATCH /admin/clients/{app}", "PUT /admin/clients/{app}/grants/{api}",
            "POST /admin/clients/{app}/secrets");

    private static Path dataDir;
    private static TestServer gatepass;
    private static GrantedApp granted;

    @BeforeAll
    static void start() throws Exception {
        dataDir = Files.createTempDirectory("gatepass-fuzz");
        gatepass = TestServer.start(dataDir);
        granted = gatepass.grantedApp(List.of("read", "write"), "read");
    }

    @AfterAll
    static void stop() throws Exception {
        gatepass.close();
        try (var files = Files.walk(dataDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Any body, with any of several content types, with or without a Basic header made of fuzzed bytes. */
    @FuzzTest(maxDuration = "30s")
    void tokenRequest(FuzzedDataProvider data) {
        String contentType = data.pickValue(TOKEN_CONTENT_TYPES);
        String authorization = switch (data.consumeInt(0, 3)) {
            case 0 -> null;
            case 1 -> "Basic " + Base64.getEncoder().encodeToString(data.consumeBytes(200));
            case 2 -> TestServer.basic(granted.app().clientId(), data.consumeString(100));
            default -> "Basic " + printable(data.consumeString(200));
        };
        String body = data.consumeRemainingAsString();
        Response response = authorization == null
                ? gatepass.send("POST", "/oauth/token", contentType, body)
                : gatepass.send("POST", "/oauth/token", contentType, body, "Authorization", authorization);
        assertOAuthAnswer(response);
    }

    /** A client assertion whose header, claims and signature are fuzzed, as JWT segments or as a whole. */
    @FuzzTest(maxDuration = "30s")
    void clientAssertion(FuzzedDataProvider data) {
        String assertion = data.consumeBoolean()
                ? segment(data.consumeString(300)) + "." + segment(data.consumeString(500)) + "." + segment(data.consumeString(100))
                : data.consumeString(2_000);
        String clientId = data.consumeBoolean() ? granted.app().clientId() : data.consumeString(40);
        Response response = gatepass.tokenForm(TestServer.params("grant_type", "client_credentials",
                "client_assertion_type", data.consumeBoolean() ? "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                        : data.consumeString(80),
                "client_assertion", assertion, "client_id", clientId));
        assertOAuthAnswer(response);
        assertThat(response.status()).isNotEqualTo(200);
    }

    /** Any bytes as the JSON body of the management API's writing calls. */
    @FuzzTest(maxDuration = "30s")
    void adminBody(FuzzedDataProvider data) {
        String[] target = data.pickValue(ADMIN_TARGETS).split(" ");
        String path = target[1].replace("{api}", granted.apiId()).replace("{app}", granted.app().clientId());
        // the admin app itself is never the target: a fuzzed PATCH must not block the caller out
        Response response = gatepass.admin(target[0], path, data.consumeRemainingAsString());
        assertThat(response.status()).as(response.body()).isLessThan(500);
        if (response.status() >= 400) {
            assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
            assertThat(response.json().path("detail").asText()).isNotBlank();
        }
    }

    private static void assertOAuthAnswer(Response response) {
        assertThat(response.status()).as(response.body()).isLessThan(500);
        if (response.status() >= 400) {
            assertThat(response.header("Content-Type")).startsWith("application/json");
            assertThat(response.json().path("error").asText()).as(response.body()).isNotBlank();
            assertThat(response.json().path("error_description").asText()).isNotBlank();
        }
    }

    private static String segment(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A header value the HTTP client accepts (it refuses control characters before sending anything). */
    private static String printable(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().filter(c -> c >= 0x20 && c < 0x7f).forEach(out::appendCodePoint);
        return out.toString().strip();
    }
}
