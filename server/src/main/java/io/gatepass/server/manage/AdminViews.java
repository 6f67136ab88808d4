package io.gatepass.server.manage;

import io.gatepass.server.domain.Api;
import io.gatepass.server.domain.ApiScope;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientSecret;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.FederatedCredential;
import io.gatepass.server.domain.Grant;
import io.gatepass.server.domain.TrustedIssuer;
import io.gatepass.server.domain.InitialAccessToken;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** JSON views of the domain for the management API; none of them can hold a secret. */
public final class AdminViews {
    private AdminViews() {
    }

    /** ISO-8601 UTC at millisecond precision, the precision the store keeps. */
    public static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    public static Map<String, Object> api(Api api) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", api.id());
        view.put("identifier", api.identifier());
        view.put("name", api.name());
        List<Map<String, Object>> scopes = new ArrayList<>();
        for (ApiScope scope : api.scopes()) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("value", scope.value());
            s.put("description", scope.description());
            scopes.add(s);
        }
        view.put("scopes", scopes);
        view.put("token_lifetime", api.tokenLifetime());
        view.put("signing_alg", api.signingAlg());
        view.put("token_profile", api.tokenProfile().value());
        view.put("token_exchange_actors", List.copyOf(new TreeSet<>(api.tokenExchangeActors())));
        view.put("created_at", time(api.createdAt()));
        view.put("updated_at", time(api.updatedAt()));
        return view;
    }

    /** Stored JSON (checked, written by us) as it is, or {@code null}. */
    private static Object claims(String json) {
        return json == null ? null : new com.fasterxml.jackson.databind.util.RawValue(json);
    }

    /** RFC 7591 §3.2.1 field names. */
    public static Map<String, Object> client(Client client) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("client_id", client.clientId());
        view.put("client_name", client.name());
        view.put("token_endpoint_auth_method", client.authMethod().value());
        view.put("grant_types", List.of("client_credentials"));
        view.put("status", client.status().value());
        view.put("token_lifetime", client.tokenLifetime());
        view.put("token_rate_limit", client.tokenRateLimit());
        view.put("reuse_tokens", client.reuseTokens());
        view.put("default_audience", client.defaultAudience());
        view.put("client_id_issued_at", client.createdAt().getEpochSecond());
        view.put("created_at", time(client.createdAt()));
        view.put("updated_at", time(client.updatedAt()));
        view.put("last_used_at", client.lastUsedAt() == null ? null : time(client.lastUsedAt()));
        if (client.jwks() != null) view.put("jwks", new com.fasterxml.jackson.databind.util.RawValue(client.jwks())); // checked JSON, stored by us
        if (client.jwksUri() != null) view.put("jwks_uri", client.jwksUri());
        view.put("allow_private_network", client.allowPrivateNetwork());
        view.put("registered_via", client.registeredVia());
        view.put("claims", claims(client.claims()));
        view.put("dpop_bound_access_tokens", client.constraints().dpopBound());
        view.put("tls_client_certificate_bound_access_tokens", client.constraints().certificateBound());
        if (client.constraints().tlsIdentity() != null) {
            view.put(client.constraints().tlsIdentity().field().metadataName(), client.constraints().tlsIdentity().value());
        }
        return view;
    }

    public static Map<String, Object> secret(ClientSecret secret) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", secret.id());
        view.put("client_id", secret.clientId());
        view.put("created_at", time(secret.createdAt()));
        view.put("last_used_at", secret.lastUsedAt() == null ? null : time(secret.lastUsedAt()));
        return view;
    }

    public static Map<String, Object> grant(Grant grant, Api api) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("client_id", grant.clientId());
        view.put("api_id", grant.apiId());
        view.put("api_identifier", api.identifier());
        view.put("scopes", List.copyOf(new TreeSet<>(grant.scopes())));
        view.put("claims", claims(grant.claims()));
        view.put("created_at", time(grant.createdAt()));
        view.put("updated_at", time(grant.updatedAt()));
        return view;
    }

    /** Never the token itself: only its id and what it allows. */
    public static Map<String, Object> initialAccessToken(InitialAccessToken token) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", token.id());
        view.put("name", token.name());
        view.put("created_by", token.createdBy());
        view.put("created_at", time(token.createdAt()));
        view.put("expires_at", time(token.expiresAt()));
        view.put("max_uses", token.maxUses());
        view.put("uses", token.uses());
        view.put("uses_left", token.usesLeft());
        List<Map<String, Object>> grants = new ArrayList<>();
        for (InitialAccessToken.GrantTemplate grant : token.grants()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("api_id", grant.apiId());
            g.put("scopes", List.copyOf(new TreeSet<>(grant.scopes())));
            grants.add(g);
        }
        view.put("grants", grants);
        view.put("allowed_auth_methods", token.allowedAuthMethods().stream().map(ClientAuthMethod::value).sorted().toList());
        return view;
    }

    /** Public facts only: an issuer's keys are public keys. */
    public static Map<String, Object> trustedIssuer(TrustedIssuer issuer) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", issuer.id());
        view.put("issuer", issuer.issuer());
        view.put("name", issuer.name());
        view.put("preset", issuer.preset().value());
        view.put("jwks", claims(issuer.jwks()));
        view.put("jwks_uri", issuer.jwksUri());
        view.put("audiences", issuer.audiences());
        view.put("max_assertion_lifetime", issuer.maxAssertionLifetime());
        view.put("allow_reuse", issuer.allowReuse());
        view.put("allow_private_network", issuer.allowPrivateNetwork());
        view.put("status", issuer.active() ? "active" : "disabled");
        view.put("created_at", time(issuer.createdAt()));
        view.put("updated_at", time(issuer.updatedAt()));
        return view;
    }

    public static Map<String, Object> federatedCredential(FederatedCredential credential) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", credential.id());
        view.put("client_id", credential.clientId());
        view.put("issuer_id", credential.issuerId());
        view.put("subject", credential.subject());
        view.put("claims", claims(credential.claims()));
        view.put("created_at", time(credential.createdAt()));
        return view;
    }
}
