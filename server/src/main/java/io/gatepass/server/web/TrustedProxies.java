package io.gatepass.server.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The addresses of the proxies in front of the server ({@code --trusted-proxy 10.0.0.0/8,192.0.2.7}): IPv4 or IPv6
 * addresses and CIDR ranges. Only literals: a name would make every request wait on DNS, and whoever controls the
 * name would decide who is trusted.
 */
public final class TrustedProxies {
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), "");
    private static final Pattern LITERAL = Pattern.compile("(\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            int full = prefix / 8;
            for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Range> ranges;
    private final String text;

    private TrustedProxies(List<Range> ranges, String text) {
        this.ranges = ranges;
        this.text = text;
    }

    /**
     * @param list comma-separated addresses and CIDR ranges; empty for none
     * @throws IllegalArgumentException naming the entry that is not one
     */
    public static TrustedProxies parse(String list) {
        if (list == null || list.isBlank()) return NONE;
        List<Range> ranges = new ArrayList<>();
        for (String entry : list.split(",")) {
            String e = entry.strip();
            if (e.isEmpty()) continue;
            String[] parts = e.split("/", -1);
            byte[] network = literal(parts[0]).orElseThrow(() -> new IllegalArgumentException("--trusted-proxy: " + e
                    + " is not an IP address or CIDR range (such as 10.0.0.0/8 or 192.0.2.7)"));
            int prefix = network.length * 8;
            if (parts.length == 2) {
                try {
                    prefix = Integer.parseInt(parts[1]);
                } catch (NumberFormatException ex) {
                    prefix = -1;
                }
            }
            if (parts.length > 2 || prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("--trusted-proxy: " + e + " has no valid prefix length (0 to "
                        + network.length * 8 + ")");
            }
            ranges.add(new Range(network, prefix));
        }
        return new TrustedProxies(List.copyOf(ranges), list.strip());
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether {@code address} (a literal, as a socket reports it) is one of the proxies. */
    public boolean contains(String address) {
        if (ranges.isEmpty()) return false;
        Optional<byte[]> bytes = literal(address);
        if (bytes.isEmpty()) return false;
        for (Range range : ranges) if (range.contains(bytes.get())) return true;
        return false;
    }

    /** The bytes of an IP literal, never looked up in DNS; IPv4-mapped IPv6 addresses come back as IPv4. */
    public static Optional<byte[]> literal(String value) {
        if (value == null || !LITERAL.matcher(value).matches()) return Optional.empty();
        try {
            return Optional.of(InetAddress.getByName(value).getAddress()); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Whether a URL's host is localhost or a loopback IP literal ({@code [::1]} too), never looked up in DNS. */
    public static boolean loopbackHost(String host) {
        if (host == null) return false;
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return bare.equalsIgnoreCase("localhost") || literal(bare).map(address -> {
            try {
                return InetAddress.getByAddress(address).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }).orElse(false);
    }

    @Override
    public String toString() {
        return text;
    }
}
