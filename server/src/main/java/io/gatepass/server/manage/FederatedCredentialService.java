package io.gatepass.server.manage;

import com.fasterxml.jackson.databind.JsonNode;
import io.gatepass.server.audit.AuditTrail;
import io.gatepass.server.codec.Json;
import io.gatepass.server.codec.Text;
import io.gatepass.server.credentials.ClientSecrets;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.FederatedCredential;
import io.gatepass.server.domain.IssuerPreset;
import io.gatepass.server.domain.TrustedIssuer;
import io.gatepass.server.store.Store;
import io.gatepass.server.web.Problem;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which tokens of a trusted issuer prove an app (a {@code federated_jwt} app): a subject, claim values, or both,
 * compared exactly. A credential belongs to one app; the app is named by the request's {@code client_id}, so two
 * apps never both match one token.
 */
public record FederatedCredentialService(Store store, AuditTrail audit, ManagementPower power, Clock clock) {
    public static final int MAX_PER_APP = 100;
    private static final int MAX_CLAIMS = 20;
    private static final Pattern SERVICE_ACCOUNT = Pattern.compile("system:serviceaccount:[^:\\s]+:[^:\\s]+");
    private static final Json JSON = new Json();

    /** @param claims a JSON object of claim names and the values they must have, as text, or {@code null} */
    public record NewCredential(String issuerId, String subject, String claims) {
    }

    public FederatedCredential create(AdminCaller caller, String clientId, NewCredential request) {
        if (request.issuerId() == null) throw Problem.badField("issuer_id", "is required (an id from GET /admin/trusted-issuers)");
        if (request.subject() != null && (request.subject().isBlank() || request.subject().length() > 1024
                || Text.hasControlCharacter(request.subject()))) {
            throw Problem.badField("subject", "must be 1 to 1024 characters without control characters");
        }
        Map<String, Object> claims = claims(request.claims());
        if (request.subject() == null && claims.isEmpty()) {
            throw Problem.badField("subject", "give a subject, claims or both: a credential without either would match any token");
        }
        return store.inTransaction(tx -> {
            Client app = power.changeableApp(tx, caller, clientId, "federated_credential.created");
            if (app.authMethod() != ClientAuthMethod.FEDERATED_JWT) {
                throw Problem.conflict("app " + clientId + " authenticates with " + app.authMethod().value()
                        + "; set its token_endpoint_auth_method to federated_jwt first");
            }
            TrustedIssuer issuer = tx.trustedIssuers().find(request.issuerId())
                    .orElseThrow(() -> Problem.badField("issuer_id", "names no trusted issuer"));
            presetRules(issuer.preset(), request.subject(), claims);
            if (tx.federatedCredentials().listForClient(clientId).size() >= MAX_PER_APP) {
                throw Problem.conflict("an app has at most " + MAX_PER_APP + " federated credentials");
            }
            FederatedCredential credential = new FederatedCredential("fc_" + ClientSecrets.randomId(20), clientId, issuer.id(),
                    request.subject(), claims.isEmpty() ? null : JSON.writeString(claims), clock.instant());
            tx.federatedCredentials().insert(credential);
            audit.record(tx, caller.actor(), "federated_credential.created", clientId, null,
                    AdminViews.federatedCredential(credential));
            return credential;
        });
    }

    public List<FederatedCredential> list(String clientId) {
        return store.read(tx -> {
            AppService.find(tx, clientId);
            return tx.federatedCredentials().listForClient(clientId);
        });
    }

    public void remove(AdminCaller caller, String clientId, String id) {
        store.inTransaction(tx -> {
            power.changeableApp(tx, caller, clientId, "federated_credential.deleted");
            FederatedCredential credential = tx.federatedCredentials().listForClient(clientId).stream()
                    .filter(c -> c.id().equals(id)).findFirst()
                    .orElseThrow(() -> Problem.notFound("app " + clientId + " has no federated credential " + Text.printable(id)));
            tx.federatedCredentials().delete(clientId, id);
            audit.record(tx, caller.actor(), "federated_credential.deleted", clientId,
                    AdminViews.federatedCredential(credential), null);
            return null;
        });
    }

    /** What a preset's tokens look like: a credential that could match someone else's token is refused. */
    private static void presetRules(IssuerPreset preset, String subject, Map<String, Object> claims) {
        if (!preset.pinnedClaims().isEmpty() && preset.pinnedClaims().stream().noneMatch(claims::containsKey)) {
            throw Problem.badField("claims", "a " + preset.value() + " credential must pin an immutable id, one of "
                    + preset.pinnedClaims() + ": a name alone can be registered again by someone else");
        }
        if (preset == IssuerPreset.KUBERNETES && subject != null && !SERVICE_ACCOUNT.matcher(subject).matches()) {
            throw Problem.badField("subject", "a Kubernetes service-account token's sub is system:serviceaccount:<namespace>:<name>");
        }
        if (preset == IssuerPreset.SPIFFE && (subject == null || !subject.startsWith("spiffe://"))) {
            throw Problem.badField("subject", "a SPIFFE credential names the SPIFFE ID, spiffe://<trust domain>/<path>");
        }
    }

    /** Exact values: strings, numbers and booleans. */
    private static Map<String, Object> claims(String json) {
        if (json == null) return Map.of();
        JsonNode node;
        try {
            node = JSON.parse(json.getBytes(StandardCharsets.UTF_8));
        } catch (Json.MalformedJson e) {
            throw Problem.badField("claims", "must be a JSON object: " + e.getMessage());
        }
        if (node == null || !node.isObject()) throw Problem.badField("claims", "must be a JSON object of claim values");
        if (node.size() > MAX_CLAIMS) throw Problem.badField("claims", "has more than " + MAX_CLAIMS + " claims");
        Map<String, Object> claims = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> claim = it.next();
            JsonNode value = claim.getValue();
            if (!value.isTextual() && !value.isNumber() && !value.isBoolean()) {
                throw Problem.badField("claims." + Text.printable(claim.getKey()), "must be a string, number or boolean to compare exactly");
            }
            if (value.isTextual() && value.textValue().length() > 1024) {
                throw Problem.badField("claims." + Text.printable(claim.getKey()), "must be at most 1024 characters");
            }
            claims.put(claim.getKey(), value.isTextual() ? value.textValue() : value.isBoolean() ? value.booleanValue()
                    : value.numberValue());
        }
        return claims;
    }
}
