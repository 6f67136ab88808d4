package io.gatepass.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/** The options of {@code apps create} and {@code apps update} about how many tokens an app gets. */
final class AppLimits {
    @Option(names = "--token-rate-limit", paramLabel = "PER_MINUTE",
            description = "Tokens per minute for this app; 0 puts it back on the server default (--token-rate-limit of serve)")
    Integer tokenRateLimit;

    @Option(names = "--reuse-tokens", negatable = true,
            description = "Hand back the app's still-valid token for an identical request instead of minting a new one")
    Boolean reuseTokens;

    void addTo(Map<String, Object> body) {
        if (tokenRateLimit != null) body.put("token_rate_limit", tokenRateLimit == 0 ? null : tokenRateLimit);
        if (reuseTokens != null) body.put("reuse_tokens", reuseTokens);
    }
}
