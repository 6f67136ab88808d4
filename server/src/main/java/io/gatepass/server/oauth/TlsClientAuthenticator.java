package io.gatepass.server.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.gatepass.jose.RefreshingJwks;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.TlsClientIdentity;
import io.gatepass.server.fetch.OutboundFetcher;
import io.gatepass.server.limits.FailureThrottle;
import io.gatepass.server.store.RegistryCache;
import io.gatepass.server.store.RegistryCache.ClientEntry;
import io.gatepass.server.web.TrustedProxies;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * RFC 8705 §2: an app proves itself with the client certificate of the mutual-TLS connection (its own, or one a
 * trusted proxy forwarded) and names itself with {@code client_id} only. {@code tls_client_auth} (§2.1): a
 * certificate a trusted CA ({@code --tls-client-ca}) issued, valid now, whose subject DN (compared as RFC 4514
 * names, not as strings) or one subject alternative name of the registered type is the app's.
 * {@code self_signed_tls_client_auth} (§2.2): a certificate whose public key is one of the app's registered keys.
 * The TLS handshake proved the caller holds the certificate's private key.
 */
public final class TlsClientAuthenticator implements ClientAuthenticationMethod {
    /** RFC 5280 §4.2.1.6 GeneralName tags. */
    private static final int SAN_EMAIL = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;
    private static final int SAN_IP = 7;

    private final RegistryCache registry;
    private final ClientKeySource keys;
    private final Set<TrustAnchor> anchors;
    private final FailureThrottle throttle;
    private final Clock clock;

    /** @param clientCas the CAs whose certificates {@code tls_client_auth} apps present; empty when none is set */
    public TlsClientAuthenticator(RegistryCache registry, OutboundFetcher fetcher, List<X509Certificate> clientCas,
                           FailureThrottle throttle, Clock clock) {
        this.registry = registry;
        this.keys = new ClientKeySource(fetcher, clock);
        this.anchors = Set.copyOf(clientCas.stream().map(ca -> new TrustAnchor(ca, null)).toList());
        this.throttle = throttle;
        this.clock = clock;
    }

    /** Reads {@code --tls-client-ca}: one or more PEM certificates. */
    public static List<X509Certificate> readCas(java.nio.file.Path file) {
        if (file == null) return List.of();
        try (var in = java.nio.file.Files.newInputStream(file)) {
            Collection<? extends java.security.cert.Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> cas = all.stream().map(X509Certificate.class::cast).toList();
            if (cas.isEmpty()) throw new IllegalArgumentException("--tls-client-ca: " + file + " holds no PEM certificate");
            return cas;
        } catch (java.io.IOException | CertificateException e) {
            throw new IllegalArgumentException("--tls-client-ca: " + file + " cannot be read as PEM certificates: " + e.getMessage());
        }
    }

    @Override
    public boolean presentIn(ClientRequest request, OAuthParameters params) {
        return request.authorization().isEmpty() && params.single("client_secret").isEmpty()
                && params.single("client_assertion").isEmpty() && params.single("client_assertion_type").isEmpty()
                && params.single("client_id").isPresent();
    }

    @Override
    public AuthenticatedClient authenticate(ClientRequest request, OAuthParameters params) throws ClientAuthenticationRefused {
        String clientId = params.single("client_id").orElseThrow();
        if (clientId.length() > 128) throw new ClientAuthenticationRefused("unknown_client", "unknown client", null);
        OAuthError.limitCheck(throttle.admit(clientId, request.address()));
        ClientEntry entry = registry.client(clientId).orElseThrow(() ->
                new ClientAuthenticationRefused("unknown_client", "unknown client, or no credentials sent with its client_id",
                        null));
        Client client = entry.client();
        if (!client.authMethod().usesCertificate()) {
            throw new ClientAuthenticationRefused("wrong_method", "this app authenticates with " + client.authMethod().value()
                    + ": send those credentials, not only its client_id", clientId);
        }
        X509Certificate certificate = request.certificate().get().orElseThrow(() -> new ClientAuthenticationRefused(
                "no_certificate", "this app authenticates with a client certificate (mutual TLS, RFC 8705), and the "
                + "request came without one", clientId));
        if (client.authMethod() == ClientAuthMethod.TLS_CLIENT_AUTH) {
            trustedCheck(certificate, clientId);
            identityCheck(certificate, client.constraints().tlsIdentity(), clientId);
        } else {
            registeredKeyCheck(certificate, client, clientId);
        }
        return new AuthenticatedClient(entry, null, "x5t#S256:" + thumbprint(certificate));
    }

    /** RFC 8705 §2.1: issued by a trusted CA (PKIX, RFC 5280 §6) and valid now. */
    private void trustedCheck(X509Certificate certificate, String clientId) throws ClientAuthenticationRefused {
        if (anchors.isEmpty()) {
            throw new ClientAuthenticationRefused("no_client_ca", "this server trusts no CA for client certificates "
                    + "(--tls-client-ca), so tls_client_auth apps cannot authenticate", clientId);
        }
        try {
            PKIXParameters parameters = new PKIXParameters(anchors);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509")
                    .generateCertPath(List.of(certificate)), parameters);
        } catch (GeneralSecurityException e) {
            throw new ClientAuthenticationRefused("untrusted_certificate", "the client certificate is not one a trusted CA "
                    + "issued, or it is not valid now", clientId);
        }
    }

    /** RFC 8705 §2.1.2: the registered subject DN or subject alternative name. */
    private static void identityCheck(X509Certificate certificate, TlsClientIdentity identity, String clientId)
            throws ClientAuthenticationRefused {
        boolean matches = switch (identity.field()) {
            case SUBJECT_DN -> sameDn(certificate.getSubjectX500Principal(), identity.value());
            case SAN_DNS -> san(certificate, SAN_DNS).stream().anyMatch(name -> name.equalsIgnoreCase(identity.value()));
            case SAN_URI -> san(certificate, SAN_URI).contains(identity.value());
            case SAN_EMAIL -> san(certificate, SAN_EMAIL).stream().anyMatch(name -> name.equalsIgnoreCase(identity.value()));
            case SAN_IP -> san(certificate, SAN_IP).stream().anyMatch(address -> sameAddress(address, identity.value()));
        };
        if (!matches) {
            throw new ClientAuthenticationRefused("certificate_mismatch", "the client certificate's "
                    + (identity.field() == TlsClientIdentity.Field.SUBJECT_DN ? "subject DN" : "subject alternative names")
                    + " are not this app's " + identity.field().metadataName(), clientId);
        }
    }

    /** RFC 4514 names compared by their canonical form (case, spacing and attribute-name forms aside). */
    private static boolean sameDn(X500Principal subject, String expected) {
        try {
            return subject.getName(X500Principal.CANONICAL).equals(new X500Principal(expected).getName(X500Principal.CANONICAL));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static List<String> san(X509Certificate certificate, int type) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) return List.of();
            return names.stream().filter(name -> name.size() == 2 && Integer.valueOf(type).equals(name.get(0))
                    && name.get(1) instanceof String).map(name -> (String) name.get(1)).toList();
        } catch (java.security.cert.CertificateParsingException e) {
            return List.of();
        }
    }

    private static boolean sameAddress(String a, String b) {
        Optional<byte[]> x = TrustedProxies.literal(a);
        Optional<byte[]> y = TrustedProxies.literal(b);
        return x.isPresent() && y.isPresent() && java.util.Arrays.equals(x.get(), y.get());
    }

    /** RFC 8705 §2.2: the certificate's key is one the app registered (its jwks or jwks_uri). */
    private void registeredKeyCheck(X509Certificate certificate, Client client, String clientId)
            throws ClientAuthenticationRefused {
        JWKSet set;
        try {
            set = keys.keys(client, null);
        } catch (RefreshingJwks.Unavailable e) {
            throw new ClientAuthenticationRefused("keys_unavailable", "this app's registered keys cannot be had: "
                    + e.getMessage(), clientId);
        }
        PublicKey presented = certificate.getPublicKey();
        for (JWK key : set.getKeys()) {
            if (sameKey(key, presented)) return;
        }
        throw new ClientAuthenticationRefused("certificate_mismatch", "the client certificate's key is not one of this "
                + "app's registered keys (jwks)", clientId);
    }

    private static boolean sameKey(JWK key, PublicKey presented) {
        try {
            PublicKey registered = switch (key) {
                case com.nimbusds.jose.jwk.RSAKey rsa -> rsa.toPublicKey();
                case com.nimbusds.jose.jwk.ECKey ec -> ec.toPublicKey();
                default -> null;
            };
            return registered != null && MessageDigest.isEqual(registered.getEncoded(), presented.getEncoded());
        } catch (JOSEException e) {
            return false;
        }
    }

    /** RFC 8705 §3.1: the {@code cnf.x5t#S256} of tokens bound to the certificate. */
    static String thumbprint(X509Certificate certificate) {
        return io.gatepass.jose.DpopProofs.x5tS256(certificate);
    }

    @Override
    public String credentials() {
        return "a client certificate (mutual TLS) with client_id";
    }
}
