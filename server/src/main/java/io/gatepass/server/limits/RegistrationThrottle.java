package io.gatepass.server.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/**
 * Registrations (RFC 7591) per source address per minute, counted whether or not they succeed, so that neither a
 * leaked initial access token nor a guesser can make apps or tries without end. In memory, per node.
 */
public final class RegistrationThrottle {
    private final int perAddress;
    private final Cache<String, Bucket> byAddress = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(2)).build();

    /** @param perAddress registration requests per minute from one address, 0 for no limit */
    public RegistrationThrottle(int perAddress) {
        this.perAddress = perAddress;
    }

    /** @return {@code null} when admitted, else the decision to wait */
    public Limited admit(String address) {
        if (perAddress == 0) return null;
        ConsumptionProbe probe = byAddress.get(address, a -> Buckets.perMinute(perAddress)).tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) return null;
        return new Limited("too many registration requests from this address; try again later",
                Buckets.seconds(probe.getNanosToWaitForRefill()));
    }
}
