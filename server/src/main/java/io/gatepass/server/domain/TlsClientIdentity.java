package io.gatepass.server.domain;

import java.util.Objects;
import java.util.Optional;

/**
 * RFC 8705 §2.1.2: how a {@code tls_client_auth} app's certificate is recognised — by exactly one of its subject
 * distinguished name or a subject alternative name of one type (a SPIFFE ID is a SAN URI).
 *
 * @param field which part of the certificate
 * @param value the expected value: an RFC 4514 DN, a DNS name, a URI, an IP address or an email address
 */
public record TlsClientIdentity(Field field, String value) {
    /** The RFC 8705 §2.1.2 metadata names, without their {@code tls_client_auth_} prefix. */
    public enum Field {
        SUBJECT_DN("subject_dn"), SAN_DNS("san_dns"), SAN_URI("san_uri"), SAN_IP("san_ip"), SAN_EMAIL("san_email");

        private final String value;

        Field(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }

        /** The client metadata name, such as {@code tls_client_auth_subject_dn}. */
        public String metadataName() {
            return "tls_client_auth_" + value;
        }

        public static Optional<Field> parse(String value) {
            for (Field field : values()) if (field.value.equals(value)) return Optional.of(field);
            return Optional.empty();
        }
    }

    public TlsClientIdentity {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
    }
}
