package io.gatepass.server.manage;

import io.gatepass.server.domain.TlsClientIdentity;
import io.gatepass.server.web.Problem;
import java.net.URI;
import java.net.URISyntaxException;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;

/** The form of a {@code tls_client_auth} app's certificate field (RFC 8705 §2.1.2), checked when it is registered. */
final class TlsIdentities {
    static final int MAX_LENGTH = 1024;

    private TlsIdentities() {
    }

    static void check(TlsClientIdentity identity) {
        String name = identity.field().metadataName();
        String value = identity.value();
        if (value.isBlank() || value.length() > MAX_LENGTH) {
            throw Problem.badField(name, "must be 1 to " + MAX_LENGTH + " characters");
        }
        switch (identity.field()) {
            case SUBJECT_DN -> {
                try {
                    new LdapName(value);
                } catch (InvalidNameException | IllegalArgumentException e) {
                    throw Problem.badField(name, "must be a distinguished name in RFC 4514 form, such as CN=worker,O=Example");
                }
            }
            case SAN_DNS -> {
                if (!value.matches("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")) {
                    throw Problem.badField(name, "must be a DNS name");
                }
            }
            case SAN_URI -> {
                try {
                    if (!new URI(value).isAbsolute()) throw new URISyntaxException(value, "not absolute");
                } catch (URISyntaxException e) {
                    throw Problem.badField(name, "must be an absolute URI, such as spiffe://example.org/ns/prod/sa/api");
                }
            }
            case SAN_IP -> {
                if (!value.matches("[0-9.]+|[0-9A-Fa-f:.]+") || !value.contains(".") && !value.contains(":")) {
                    throw Problem.badField(name, "must be an IPv4 or IPv6 address");
                }
            }
            case SAN_EMAIL -> {
                if (!value.matches("[^@\\s]+@[^@\\s]+")) throw Problem.badField(name, "must be an email address");
            }
        }
    }
}
