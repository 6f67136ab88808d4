package io.gatepass.server.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The addresses the server fetches from only where an admin allowed private networks: everything that is not a
 * public unicast address (RFC 6890's special-purpose registries), including IPv4 addresses carried inside IPv6
 * ones.
 */
final class AddressRanges {
    private AddressRanges() {
    }

    /** AWS's IPv6 instance metadata address, fd00:ec2::254. */
    private static final byte[] AWS_METADATA_V6 = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};

    /**
     * Refused even where an admin allowed private networks: link-local addresses (where cloud metadata services
     * answer, 169.254.169.254 and fd00:ec2::254), "this network", multicast and broadcast.
     */
    static boolean alwaysRefused(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLinkLocalAddress() || address.isMulticastAddress()) return true;
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int a0 = b[0] & 0xff;
            return a0 == 0 || (a0 == 169 && (b[1] & 0xff) == 254) || a0 >= 240;
        }
        if (allZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) { // ::ffff:a.b.c.d
            int a0 = b[12] & 0xff;
            return a0 == 0 || (a0 == 169 && (b[13] & 0xff) == 254) || a0 >= 240;
        }
        return java.util.Arrays.equals(b, AWS_METADATA_V6);
    }

    static boolean refused(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) return refusedV4(b);
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) return true; // fc00::/7 unique local
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) return true; // 2001:db8::/32
            if (first == 0x20 && (b[1] & 0xff) == 0x02) return refusedV4(slice(b, 2)); // 2002::/16 6to4
            if (isPrefix(b, new byte[] {0, 0x64, (byte) 0xff, (byte) 0x9b}, 12)) return refusedV4(slice(b, 12)); // 64:ff9b::/96 NAT64
            if (allZero(b, 0, 12)) return refusedV4(slice(b, 12)); // ::/96, IPv4-compatible
            return first == 0; // the rest of ::/8 is reserved
        }
        return true;
    }

    private static boolean refusedV4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        return a0 == 0 // 0.0.0.0/8 "this network"
                || a0 == 10 || a0 == 127
                || (a0 == 100 && (a1 & 0xc0) == 64) // 100.64.0.0/10 carrier-grade NAT
                || (a0 == 169 && a1 == 254)
                || (a0 == 172 && (a1 & 0xf0) == 16)
                || (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 0) // 192.0.0.0/24 protocol assignments
                || (a0 == 192 && a1 == 0 && (b[2] & 0xff) == 2) // TEST-NET-1
                || (a0 == 192 && a1 == 168)
                || (a0 == 198 && (a1 & 0xfe) == 18) // 198.18.0.0/15 benchmarking
                || (a0 == 198 && a1 == 51 && (b[2] & 0xff) == 100) // TEST-NET-2
                || (a0 == 203 && a1 == 0 && (b[2] & 0xff) == 113) // TEST-NET-3
                || a0 >= 224; // multicast, 240.0.0.0/4 reserved, broadcast
    }

    private static byte[] slice(byte[] b, int from) {
        return new byte[] {b[from], b[from + 1], b[from + 2], b[from + 3]};
    }

    private static boolean isPrefix(byte[] b, byte[] prefix, int zerosUntil) {
        for (int i = 0; i < prefix.length; i++) if (b[i] != prefix[i]) return false;
        return allZero(b, prefix.length, zerosUntil);
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] != 0) return false;
        return true;
    }
}
