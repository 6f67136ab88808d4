package io.gatepass.server.fetch;

import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.DnsAddressLookup;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.spi.DnsResolver;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the server fetches from an address that someone else chose: an app's {@code jwks_uri} today,
 * trusted issuers' discovery and keys next. https only (http with {@code --dev}); the host resolved once and every
 * address it resolves to checked — loopback, private, link-local, unique-local, carrier-grade NAT, multicast,
 * reserved and unspecified addresses are refused unless an admin allowed private networks for that app or issuer —
 * and the checked address is the one connected to, so DNS rebinding and other spellings of an address fail too.
 * No redirects, no proxy, no credentials, a size cap, and one deadline for the whole fetch. Every failure answers
 * the same way and no sooner than {@link #DEADLINE} after the fetch began, so that nothing (a closed port, an open
 * one, a refused address) can be told from the answer or its timing.
 */
public final class OutboundFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(OutboundFetcher.class);
    /** The longest a fetch may take; every failure takes this long. */
    public static final Duration DEADLINE = Duration.ofSeconds(3);
    public static final int MAX_BYTES = 64 * 1024;
    public static final int MAX_URL_LENGTH = 2048;
    private static final Pattern NUMERIC_HOST = Pattern.compile("[0-9.]+|0x[0-9a-fA-F.x]+");

    /** What was fetched: a 200 answer's body and its {@code Cache-Control}. */
    public record Fetched(byte[] body, String cacheControl) {
    }

    /** The fetch failed; the message is the same whatever the reason, which goes to the log only. */
    public static final class Failed extends Exception {
        Failed() {
            super("could not be fetched", null, false, false);
        }
    }

    private final boolean development;
    private final Duration deadline;
    /** Made on the first fetch: building Helidon's client took a tenth of a second of every start. */
    private volatile WebClient publicOnly;
    private volatile WebClient anyNetwork;
    private final ExecutorService fetches = Executors.newVirtualThreadPerTaskExecutor();

    /** @param development whether http URLs are allowed ({@code --dev}) */
    public OutboundFetcher(boolean development) {
        this(development, DEADLINE);
    }

    OutboundFetcher(boolean development, Duration deadline) {
        this.development = development;
        this.deadline = deadline;
    }

    private WebClient client(boolean allowPrivateNetwork) {
        WebClient client = allowPrivateNetwork ? anyNetwork : publicOnly;
        if (client != null) return client;
        synchronized (this) {
            if (allowPrivateNetwork) {
                if (anyNetwork == null) anyNetwork = client(new CheckedResolver(true), deadline);
                return anyNetwork;
            }
            if (publicOnly == null) publicOnly = client(new CheckedResolver(false), deadline);
            return publicOnly;
        }
    }

    private static WebClient client(DnsResolver resolver, Duration deadline) {
        return WebClient.builder()
                .dnsResolver(resolver)
                .followRedirects(false) // the registered URL is the one trusted
                .proxy(Proxy.noProxy())
                .connectTimeout(deadline)
                .readTimeout(deadline)
                .shareConnectionCache(false)
                .keepAlive(false)
                .build();
    }

    /**
     * Checks a URL that will be fetched later, as an admin registers it: its form, and its host when that is an
     * address.
     *
     * @throws IllegalArgumentException saying what is wrong, for the field's error message
     */
    public static void checkUrl(String url, boolean development, boolean allowPrivateNetwork) {
        URI uri = parse(url, development);
        String host = uri.getHost();
        if (isAddressLiteral(host)) {
            InetAddress address;
            try {
                address = InetAddress.getByName(host); // a literal: no lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("must name a DNS host or an IP address");
            }
            if (AddressRanges.alwaysRefused(address)) {
                throw new IllegalArgumentException("names " + address.getHostAddress() + ", a link-local (cloud metadata), "
                        + "broadcast or unspecified address, which is never fetched from");
            }
            if (!allowPrivateNetwork && AddressRanges.refused(address)) {
                throw new IllegalArgumentException("names " + address.getHostAddress() + ", a loopback, private or "
                        + "reserved address; allow_private_network lets an admin allow that");
            }
        } else if (NUMERIC_HOST.matcher(host).matches()) {
            throw new IllegalArgumentException("must name a DNS host or a dotted IPv4 or bracketed IPv6 address");
        }
    }

    private static URI parse(String url, boolean development) {
        if (url.length() > MAX_URL_LENGTH) throw new IllegalArgumentException("is longer than " + MAX_URL_LENGTH);
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("is not a URL");
        }
        boolean https = "https".equals(uri.getScheme());
        boolean http = "http".equals(uri.getScheme());
        if (uri.getHost() == null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must be an absolute URL with a host, without user info or fragment");
        }
        if (!https && !(http && development)) {
            throw new IllegalArgumentException("must be an https URL" + (http ? " (http only with --dev)" : ""));
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65_535)) {
            throw new IllegalArgumentException("has port " + uri.getPort() + "; a port is 1 to 65535");
        }
        return uri;
    }

    private static boolean isAddressLiteral(String host) {
        return host.startsWith("[") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    /**
     * GETs {@code url}: a 200 answer of at most {@value #MAX_BYTES} bytes, or {@link Failed} after the deadline.
     *
     * @param accept              the media types asked for
     * @param allowPrivateNetwork whether an admin allowed private networks for whoever registered the URL
     */
    public Fetched get(String url, String accept, boolean allowPrivateNetwork) throws Failed {
        long start = System.nanoTime();
        Future<Fetched> fetch = fetches.submit(() -> fetch(url, accept, allowPrivateNetwork));
        try {
            return fetch.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            LOG.info("fetching {} failed: {}", withoutQuery(url), e.getCause().getMessage());
        } catch (TimeoutException e) {
            fetch.cancel(true);
            LOG.info("fetching {} took longer than {}", withoutQuery(url), deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw failedAtDeadline(start);
    }

    private Fetched fetch(String url, String accept, boolean allowPrivateNetwork) throws Exception {
        URI uri = parse(url, development);
        checkUrl(url, development, allowPrivateNetwork);
        WebClient client = client(allowPrivateNetwork);
        try (HttpClientResponse response = client.get(uri.toString()).header(HeaderNames.ACCEPT, accept).request()) {
            if (response.status().code() != 200) throw new IllegalStateException("answered HTTP " + response.status().code());
            byte[] body;
            try (InputStream in = response.inputStream()) {
                body = in.readNBytes(MAX_BYTES + 1);
            }
            if (body.length > MAX_BYTES) throw new IllegalStateException("answered more than " + MAX_BYTES + " bytes");
            return new Fetched(body, response.headers().first(HeaderNames.CACHE_CONTROL).orElse(""));
        }
    }

    /** For the log: a query string may carry what its owner would not want logged. */
    private static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?…";
    }

    /** The same failure for every reason, no sooner than the deadline. */
    private Failed failedAtDeadline(long start) {
        long left = deadline.toNanos() - (System.nanoTime() - start);
        if (left > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Failed();
    }

    /** Resolves once and hands the client an address it checked, so that the address checked is the one used. */
    private record CheckedResolver(boolean allowPrivateNetwork) implements DnsResolver {
        @Override
        public boolean useDefaultJavaResolver() {
            return false;
        }

        @Override
        public InetAddress resolveAddress(String hostname, DnsAddressLookup lookup) {
            InetAddress[] addresses;
            try {
                addresses = InetAddress.getAllByName(hostname);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("cannot resolve " + hostname);
            }
            for (InetAddress address : addresses) {
                // one refused address refuses the name: a resolver answer may mix public and private ones
                if (AddressRanges.alwaysRefused(address) || (!allowPrivateNetwork && AddressRanges.refused(address))) {
                    throw new IllegalStateException(hostname + " resolves to refused address " + address.getHostAddress());
                }
            }
            for (InetAddress address : addresses) if (address instanceof Inet4Address) return address;
            for (InetAddress address : addresses) if (address instanceof Inet6Address) return address;
            throw new IllegalStateException("no address for " + hostname);
        }
    }
}
