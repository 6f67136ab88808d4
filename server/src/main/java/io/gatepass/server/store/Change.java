package io.gatepass.server.store;

/**
 * What a committed transaction changed, as far as anything held in memory cares: announced on this node after
 * the commit and, with a shared database, to the other nodes (in the {@link #wire()} form).
 */
public sealed interface Change {
    /** An app, its secrets or its grants. */
    record Client(String clientId) implements Change {
        @Override
        public String wire() {
            return "client " + clientId;
        }
    }

    /** An API (by id and identifier, both of which are cached). */
    record Api(String id, String identifier) implements Change {
        @Override
        public String wire() {
            return "api " + id + " " + identifier;
        }
    }

    /** Many apps at once: the grants of a changed or removed API. */
    record AllClients() implements Change {
        @Override
        public String wire() {
            return "clients";
        }
    }

    /** A revocation (a token, or an app's tokens until a time). */
    record Revocations() implements Change {
        @Override
        public String wire() {
            return "revocations";
        }
    }

    /** A trusted issuer, by its {@code iss} (which may hold spaces: it is the rest of the wire form). */
    record Issuer(String issuer) implements Change {
        @Override
        public String wire() {
            return "issuer " + issuer;
        }
    }

    /** The signing key ring. */
    record Keys() implements Change {
        @Override
        public String wire() {
            return "keys";
        }
    }

    String wire();

    /** A change another node announced, or {@code null} for one this version does not know. */
    static Change parse(String wire) {
        String[] parts = wire.split(" ");
        return switch (parts[0]) {
            case "client" -> parts.length > 1 ? new Client(parts[1]) : null;
            case "api" -> parts.length > 2 ? new Api(parts[1], parts[2]) : null;
            case "clients" -> new AllClients();
            case "revocations" -> new Revocations();
            case "keys" -> new Keys();
            case "issuer" -> parts.length > 1 ? new Issuer(wire.substring("issuer ".length())) : null;
            default -> null;
        };
    }
}
