package io.gatepass.server.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Throttles guessing: failed client authentications are counted per client_id and per source address, and past
 * the limit further attempts for that id, or from that address, are answered 429 before any credential is looked
 * at (so a flood of made-up ids does not reach the registry either).
 *
 * <p>A client_id is never throttled from an address it authenticated from in the last hour: otherwise anyone who
 * knows an app's id could lock the app out by sending wrong secrets for it (the device-cookie idea of OWASP's
 * guidance on lockouts, with the address as the device). In memory, per node.
 */
public final class FailureThrottle {
    private static final Duration IDLE = Duration.ofMinutes(2);
    private static final Duration TRUST = Duration.ofHours(1);
    private static final int MAX_ENTRIES = 100_000;

    private final int perClientId;
    private final int perAddress;
    private final Cache<String, Bucket> byClientId = buckets();
    private final Cache<String, Bucket> byAddress = buckets();
    private final Cache<Pair, Boolean> trusted = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(TRUST).build();

    private record Pair(String clientId, String address) {
    }

    /** @param perClientId failures per minute for one client_id, 0 for no limit; {@code perAddress} the same per address */
    public FailureThrottle(int perClientId, int perAddress) {
        this.perClientId = perClientId;
        this.perAddress = perAddress;
    }

    private static Cache<String, Bucket> buckets() {
        return Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterAccess(IDLE).build();
    }

    /**
     * Before credentials are checked.
     *
     * @param address the caller's address as {@link #addressKey} gives it
     * @return {@code null} when admitted, else the decision that the id or the address has failed too often
     */
    public Limited admit(String clientId, String address) {
        Bucket id = perClientId > 0 ? byClientId.getIfPresent(clientId) : null;
        Bucket from = perAddress > 0 ? byAddress.getIfPresent(address) : null;
        boolean idSpent = id != null && id.getAvailableTokens() < 1;
        boolean addressSpent = from != null && from.getAvailableTokens() < 1;
        if (!idSpent && !addressSpent) return null;
        if (trusted.getIfPresent(new Pair(clientId, address)) != null) return null;
        Bucket spent = idSpent ? id : from;
        return new Limited(idSpent
                        ? "too many failed authentications for this client_id; try again later"
                        : "too many failed client authentications from this address; try again later",
                Buckets.seconds(spent.estimateAbilityToConsume(1).getNanosToWaitForRefill()));
    }

    /** A failed authentication; {@code clientId} is {@code null} when the request named none that an app could have. */
    public void failed(String clientId, String address) {
        if (clientId != null && perClientId > 0) byClientId.get(clientId, id -> Buckets.perMinute(perClientId)).tryConsume(1);
        if (perAddress > 0) byAddress.get(address, a -> Buckets.perMinute(perAddress)).tryConsume(1);
    }

    /** The app proved itself from this address. */
    public void succeeded(String clientId, String address) {
        if (perClientId == 0 && perAddress == 0) return;
        Pair pair = new Pair(clientId, address);
        if (trusted.getIfPresent(pair) == null) trusted.put(pair, Boolean.TRUE);
    }

    /** The address as throttled: IPv4 as is, IPv6 by its /64 (what one host or site usually holds). */
    public static String addressKey(String host) {
        if (host.indexOf(':') < 0) return host;
        try {
            byte[] bytes = InetAddress.getByName(host).getAddress();
            if (bytes.length == 4) return InetAddress.getByAddress(bytes).getHostAddress();
            return HexFormat.of().formatHex(bytes, 0, 8) + "/64";
        } catch (UnknownHostException e) {
            return host;
        }
    }
}
