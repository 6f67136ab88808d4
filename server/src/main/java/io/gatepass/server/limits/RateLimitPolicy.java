package io.gatepass.server.limits;

/**
 * How much the server takes before it pushes back. Each limit is a number per minute, refilled smoothly (a token
 * bucket: a full minute's worth may come at once, then the rate); 0 turns that limit off.
 *
 * @param tokensPerMinute       each app's token budget unless the app has its own ({@code token_rate_limit})
 * @param failuresPerClientId   failed client authentications for one client_id before that id is throttled
 * @param failuresPerAddress    failed client authentications from one address (IPv6: one /64) before it is throttled
 * @param maxConcurrentRequests requests handled at once; as many more wait up to a second for a turn, the rest get 503
 * @param registrationsPerAddress RFC 7591 registration requests from one address (IPv6: one /64)
 */
public record RateLimitPolicy(int tokensPerMinute, int failuresPerClientId, int failuresPerAddress,
                              int maxConcurrentRequests, int registrationsPerAddress) {
    // 30 registrations a minute from one place is far more than onboarding needs, and bounds what a leaked token makes
    public static final RateLimitPolicy DEFAULT = new RateLimitPolicy(1_200, 20, 100, 1_000, 30);
    /** No limits at all: for benchmarks, and tests that are not about limits. */
    public static final RateLimitPolicy NONE = new RateLimitPolicy(0, 0, 0, 0, 0);

    public RateLimitPolicy {
        check("--token-rate-limit / GATEPASS_TOKEN_RATE_LIMIT", tokensPerMinute, 1_000_000);
        check("--auth-failure-limit / GATEPASS_AUTH_FAILURE_LIMIT", failuresPerClientId, 1_000_000);
        check("--auth-failure-limit-per-address / GATEPASS_AUTH_FAILURE_LIMIT_PER_ADDRESS", failuresPerAddress, 1_000_000);
        check("--max-concurrent-requests / GATEPASS_MAX_CONCURRENT_REQUESTS", maxConcurrentRequests, 100_000);
        check("--registration-limit-per-address / GATEPASS_REGISTRATION_LIMIT_PER_ADDRESS", registrationsPerAddress, 1_000_000);
    }

    private static void check(String setting, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(setting + " must be between 0 (off) and " + max + ", not " + value);
        }
    }
}
