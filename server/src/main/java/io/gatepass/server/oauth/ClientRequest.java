package io.gatepass.server.oauth;

import io.gatepass.server.limits.FailureThrottle;
import io.gatepass.server.web.ClientOrigins;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What client authentication reads from an HTTP request besides its parameters: the Authorization header, the
 * caller's address for the audit log of failures (looked up only then), and the TLS client certificate it proved it
 * holds (RFC 8705), from its own TLS or a trusted proxy's.
 */
public record ClientRequest(Optional<String> authorization, Supplier<String> remoteHost,
                            Supplier<Optional<X509Certificate>> certificate) {
    /** A request without a client certificate. */
    public ClientRequest(Optional<String> authorization, Supplier<String> remoteHost) {
        this(authorization, remoteHost, Optional::empty);
    }

    static ClientRequest of(ServerRequest request) {
        ClientOrigins.Origin origin = ClientOrigins.of(request);
        return new ClientRequest(request.headers().first(HeaderNames.AUTHORIZATION), origin::address, origin::certificate);
    }

    /** The caller's address as failed authentications are throttled by. */
    public String address() {
        return FailureThrottle.addressKey(remoteHost.get());
    }
}
