package io.gatepass.server.console;

import io.helidon.webserver.http.ServerRequest;
import java.util.Map;

/**
 * The line a page shows after a change redirected to it. The redirect names a fixed code ({@code ?done=api-created}),
 * never text of its own, so a crafted link cannot make the console say anything else.
 */
final class Notices {
    private static final Map<String, String> TEXT = Map.ofEntries(
            Map.entry("api-created", "API registered."),
            Map.entry("api-updated", "API saved."),
            Map.entry("api-deleted", "API removed; its grants went with it."),
            Map.entry("app-updated", "App saved."),
            Map.entry("app-blocked", "App blocked: its tokens are refused and it gets no new ones."),
            Map.entry("app-unblocked", "App unblocked."),
            Map.entry("app-deleted", "App removed."),
            Map.entry("tokens-revoked", "Every token issued to the app until now is revoked."),
            Map.entry("secret-deleted", "Secret removed."),
            Map.entry("keys-updated", "The app's keys are saved."),
            Map.entry("grant-saved", "Grant saved."),
            Map.entry("grant-removed", "Grant removed."),
            Map.entry("key-rotated", "A new signing key is published."));

    private Notices() {
    }

    static String of(ServerRequest req) {
        return req.query().first("done").asOptional().map(TEXT::get).orElse(null);
    }
}
