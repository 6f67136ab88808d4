package io.gatepass.server.manage;

import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.codec.Text;
import io.gatepass.server.credentials.ClientSecrets;
import io.gatepass.server.credentials.IssuerKeys;
import io.gatepass.server.domain.IssuerPreset;
import io.gatepass.server.domain.TrustedIssuer;
import io.gatepass.server.fetch.OutboundFetcher;
import io.gatepass.server.store.DuplicateKeyException;
import io.gatepass.server.store.Store;
import io.gatepass.server.store.StoreTransaction;
import io.gatepass.server.web.Problem;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Trusted issuers for workload identity federation. Anything that decides which tokens an issuer's apps accept
 * (keys, audiences, lifetime, reuse, status) can be changed only by a caller who may change every app with a
 * credential on it: otherwise swapping an issuer's keys would be a way to authenticate as an app one may not touch.
 */
public record TrustedIssuerService(Store store, AuditTrail audit, ManagementPower power, String serverIssuer, Clock clock,
                                   boolean development) {
    public static final int DEFAULT_MAX_ASSERTION_LIFETIME = 3600;
    public static final int MAX_ASSERTION_LIFETIME = 86_400;
    private static final int MAX_AUDIENCES = 10;

    /** A new issuer; {@code null} leaves a field to its default (or the preset's). */
    public record NewIssuer(String issuer, String name, IssuerPreset preset, String jwks, String jwksUri, List<String> audiences,
                            Integer maxAssertionLifetime, Boolean allowReuse, boolean allowPrivateNetwork) {
    }

    /** A change, field by field; the issuer and its preset never change (register another). */
    public record IssuerChange(Patch<String> name, Patch<String> jwks, Patch<String> jwksUri, Patch<List<String>> audiences,
                               Patch<Integer> maxAssertionLifetime, Patch<Boolean> allowReuse,
                               Patch<Boolean> allowPrivateNetwork, Patch<Boolean> active) {
    }

    public TrustedIssuer create(AdminCaller caller, NewIssuer request) {
        IssuerPreset preset = request.preset() == null ? IssuerPreset.GENERIC : request.preset();
        String issuer = request.issuer() != null ? request.issuer() : preset.defaultIssuer();
        if (issuer == null) throw Problem.badField("issuer", "is required (the iss of the tokens, exactly)");
        if (issuer.length() > OutboundFetcher.MAX_URL_LENGTH || Text.hasControlCharacter(issuer) || issuer.isBlank()) {
            throw Problem.badField("issuer", "must be 1 to " + OutboundFetcher.MAX_URL_LENGTH + " characters without control characters");
        }
        Instant now = clock.instant();
        TrustedIssuer created = checked(new TrustedIssuer("iss_" + ClientSecrets.randomId(20), issuer, request.name(), preset,
                request.jwks(), request.jwksUri(), request.audiences() == null ? defaultAudiences() : request.audiences(),
                request.maxAssertionLifetime() == null ? DEFAULT_MAX_ASSERTION_LIFETIME : request.maxAssertionLifetime(),
                request.allowReuse() == null ? preset.reuseByDefault() : request.allowReuse(), request.allowPrivateNetwork(),
                true, now, now));
        try {
            store.inTransaction(tx -> {
                tx.trustedIssuers().insert(created);
                audit.record(tx, caller.actor(), "trusted_issuer.created", created.id(), null, AdminViews.trustedIssuer(created));
                return null;
            });
        } catch (DuplicateKeyException e) {
            throw Problem.conflict("the issuer " + issuer + " is registered already");
        }
        return created;
    }

    public List<TrustedIssuer> list(int limit, int offset) {
        return store.read(tx -> tx.trustedIssuers().list(limit, offset));
    }

    public TrustedIssuer find(String id) {
        return store.read(tx -> find(tx, id));
    }

    public TrustedIssuer change(AdminCaller caller, String id, IssuerChange change) {
        return store.inTransaction(tx -> {
            TrustedIssuer before = find(tx, id);
            boolean keysGiven = change.jwks().given() || change.jwksUri().given();
            TrustedIssuer after = checked(new TrustedIssuer(before.id(), before.issuer(), change.name().applyTo(before.name()),
                    before.preset(), keysGiven ? change.jwks().value() : before.jwks(),
                    keysGiven ? change.jwksUri().value() : before.jwksUri(),
                    change.audiences().given() && change.audiences().value() == null ? defaultAudiences()
                            : change.audiences().applyTo(before.audiences()),
                    change.maxAssertionLifetime().applyUnlessNull(before.maxAssertionLifetime()),
                    change.allowReuse().applyUnlessNull(before.allowReuse()),
                    change.allowPrivateNetwork().applyUnlessNull(before.allowPrivateNetwork()),
                    change.active().applyUnlessNull(before.active()), before.createdAt(), clock.instant()));
            if (!sameButName(before, after)) appsOf(tx, caller, before, "trusted_issuer.updated");
            tx.trustedIssuers().update(after);
            audit.record(tx, caller.actor(), "trusted_issuer.updated", id, AdminViews.trustedIssuer(before),
                    AdminViews.trustedIssuer(after));
            return after;
        });
    }

    /** Removes the issuer and the credentials on it: its apps can no longer authenticate with its tokens. */
    public void remove(AdminCaller caller, String id) {
        store.inTransaction(tx -> {
            TrustedIssuer issuer = find(tx, id);
            appsOf(tx, caller, issuer, "trusted_issuer.deleted");
            tx.trustedIssuers().delete(id);
            audit.record(tx, caller.actor(), "trusted_issuer.deleted", id, AdminViews.trustedIssuer(issuer), null);
            return null;
        });
    }

    static TrustedIssuer find(StoreTransaction tx, String id) {
        return tx.trustedIssuers().find(id)
                .orElseThrow(() -> Problem.notFound("no trusted issuer with id " + Text.printable(id)));
    }

    /** The caller may change every app whose authentication this issuer decides. */
    private void appsOf(StoreTransaction tx, AdminCaller caller, TrustedIssuer issuer, String action) {
        for (String clientId : tx.federatedCredentials().clientsOfIssuer(issuer.id())) {
            power.changeableApp(tx, caller, clientId, action);
        }
    }

    private static boolean sameButName(TrustedIssuer a, TrustedIssuer b) {
        return a.keySource().equals(b.keySource()) && a.audiences().equals(b.audiences())
                && a.maxAssertionLifetime() == b.maxAssertionLifetime() && a.allowReuse() == b.allowReuse()
                && a.allowPrivateNetwork() == b.allowPrivateNetwork() && a.active() == b.active();
    }

    /** The issuer with its keys in their stored form, every field checked. */
    private TrustedIssuer checked(TrustedIssuer issuer) {
        if (issuer.name() != null && (issuer.name().length() > 255 || Text.hasControlCharacter(issuer.name()))) {
            throw Problem.badField("name", "must be at most 255 characters without control characters");
        }
        if (issuer.jwks() != null && issuer.jwksUri() != null) throw Problem.badField("jwks", "give jwks or jwks_uri, not both");
        String jwks = null;
        if (issuer.jwks() != null) {
            try {
                jwks = IssuerKeys.parse(issuer.jwks()).toString(true);
            } catch (IllegalArgumentException e) {
                throw Problem.badField("jwks", e.getMessage());
            }
        } else {
            // the keys are fetched: from jwks_uri, or from the jwks_uri of the issuer's OIDC discovery document
            String url = issuer.jwksUri() != null ? issuer.jwksUri() : discoveryUrl(issuer.issuer());
            try {
                OutboundFetcher.checkUrl(url, development, issuer.allowPrivateNetwork());
            } catch (IllegalArgumentException e) {
                throw issuer.jwksUri() != null ? Problem.badField("jwks_uri", e.getMessage())
                        : Problem.badField("issuer", "its keys come from OIDC discovery at " + url + ", which " + e.getMessage()
                        + "; or give jwks (or jwks_uri)");
            }
        }
        List<String> audiences = issuer.audiences();
        if (audiences.isEmpty() || audiences.size() > MAX_AUDIENCES) {
            throw Problem.badField("audiences", "must have 1 to " + MAX_AUDIENCES + " entries");
        }
        for (String audience : audiences) {
            if (audience == null || audience.isBlank() || audience.length() > 2048 || Text.hasControlCharacter(audience)) {
                throw Problem.badField("audiences", "each must be 1 to 2048 characters without control characters");
            }
        }
        Checks.within("max_assertion_lifetime", issuer.maxAssertionLifetime(), 60, MAX_ASSERTION_LIFETIME);
        return new TrustedIssuer(issuer.id(), issuer.issuer(), issuer.name(), issuer.preset(), jwks, issuer.jwksUri(),
                audiences, issuer.maxAssertionLifetime(), issuer.allowReuse(), issuer.allowPrivateNetwork(), issuer.active(),
                issuer.createdAt(), issuer.updatedAt());
    }

    /** OIDC Discovery §4: the configuration document under the issuer. */
    public static String discoveryUrl(String issuer) {
        return issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration";
    }

    /** This server's issuer and token endpoint, as for private_key_jwt assertions. */
    private List<String> defaultAudiences() {
        return List.of(serverIssuer, serverIssuer + "/oauth/token");
    }
}
