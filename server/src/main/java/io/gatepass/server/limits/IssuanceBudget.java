package io.gatepass.server.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Duration;

/**
 * Each app's token budget: so many tokens a minute, its own ({@code token_rate_limit}) or the server's default.
 * Over it the app gets 429 with {@code Retry-After}; other apps are not affected. In memory, per node, without a
 * store write per token: with several nodes each takes its share, the budget divided by the live node count (rounded
 * up), so the whole holds across nodes when a load balancer spreads an app's requests over them.
 */
public final class IssuanceBudget {
    /** A bucket idle this long is full again, so forgetting it changes nothing. */
    private static final Duration IDLE = Duration.ofMinutes(2);

    private final int defaultPerMinute;
    private final Cache<String, Budget> budgets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(IDLE).build();

    /** An app's bucket and the limit it was made for. */
    private static final class Budget {
        final Bucket bucket;
        volatile int perMinute;

        Budget(int perMinute) {
            this.bucket = Buckets.perMinute(perMinute);
            this.perMinute = perMinute;
        }
    }

    private final java.util.function.IntSupplier nodes;

    /** @param defaultPerMinute tokens per minute for apps without their own limit; 0 for no default limit */
    public IssuanceBudget(int defaultPerMinute) {
        this(defaultPerMinute, () -> 1);
    }

    /** @param nodes how many nodes share the budgets now (read often: a held value, not a query) */
    public IssuanceBudget(int defaultPerMinute, java.util.function.IntSupplier nodes) {
        this.defaultPerMinute = defaultPerMinute;
        this.nodes = nodes;
    }

    /**
     * Takes one token from the app's budget.
     *
     * @param appLimit the app's own tokens per minute, or {@code null} for the server default
     * @return {@code null} when a token was taken, else the decision that the budget is spent
     */
    public Limited spend(String clientId, Integer appLimit) {
        int limit = appLimit != null ? appLimit : defaultPerMinute;
        if (limit <= 0) return null;
        int share = Math.max(1, nodes.getAsInt());
        int perMinute = (limit + share - 1) / share; // this node's share
        Budget budget = budgets.getIfPresent(clientId);
        if (budget == null) budget = budgets.get(clientId, id -> new Budget(perMinute));
        if (budget.perMinute != perMinute) changeLimit(budget, perMinute);
        ConsumptionProbe probe = budget.bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            return new Limited("this app has used up its token budget (" + limit + " tokens a minute); "
                    + "use the token you have until it expires", Buckets.seconds(probe.getNanosToWaitForRefill()));
        }
        return null;
    }

    /** An administrator changed the app's limit: a raised limit adds its difference at once, a lowered one takes it. */
    private static void changeLimit(Budget budget, int perMinute) {
        synchronized (budget) {
            if (budget.perMinute == perMinute) return;
            budget.bucket.replaceConfiguration(Buckets.configuration(perMinute), TokensInheritanceStrategy.ADDITIVE);
            budget.perMinute = perMinute;
        }
    }
}
