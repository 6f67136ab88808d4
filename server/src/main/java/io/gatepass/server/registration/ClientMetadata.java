package io.gatepass.server.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatepass.server.codec.Json;
import io.gatepass.server.codec.Text;
import io.gatepass.server.credentials.ClientKeys;
import io.gatepass.server.domain.Client;
import io.gatepass.server.domain.ClientAuthMethod;
import io.gatepass.server.domain.TlsClientIdentity;
import io.gatepass.server.manage.AppKeys;
import io.gatepass.server.manage.RegistrationService;
import io.gatepass.server.oauth.OAuthError;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * RFC 7591 §2 client metadata, read from a registration request. Fields Gatepass does not know are ignored, as §2
 * requires; a known field of the wrong form is a 400 {@code invalid_client_metadata} naming it (§3.2.2). Of the
 * known fields, those Gatepass acts on become the app; the rest ({@code scope}, {@code contacts}, {@code software_*},
 * the URLs) are kept as sent and shown back.
 */
final class ClientMetadata {
    static final String DEFAULT_NAME = "Registered app";
    private static final int MAX_TEXT = 255;
    private static final int MAX_URL = 2048;
    private static final int MAX_CONTACTS = 10;
    private static final List<String> URL_FIELDS = List.of("client_uri", "logo_uri", "tos_uri", "policy_uri");
    private static final List<String> TEXT_FIELDS = List.of("software_id", "software_version");

    private ClientMetadata() {
    }

    /** The metadata; {@code json} is the parsed body. */
    static RegistrationService.Metadata read(JsonNode body, Json json) {
        if (body == null || !body.isObject()) throw invalid("the body must be a JSON object of client metadata");
        String name = text(body, "client_name", MAX_TEXT);
        ClientAuthMethod method = authMethod(body);
        grantTypes(body);
        if (nonEmptyArray(body, "response_types")) {
            throw invalid("response_types: this server has no authorization endpoint, so no response type; send none");
        }
        if (nonEmptyArray(body, "redirect_uris")) {
            throw OAuthError.registration("invalid_redirect_uri", "redirect_uris: this server has no redirect-based flows "
                    + "(only client_credentials); send none");
        }
        AppKeys keys = keys(body, json);
        ObjectNode extras = json.mapper().createObjectNode();
        String scope = text(body, "scope", 1000);
        if (scope != null) {
            for (String token : scope.split(" ")) {
                if (!Text.isScopeToken(token)) throw invalid("scope: must be space-separated scope tokens (RFC 6749 §3.3)");
            }
            extras.put("scope", scope);
        }
        contacts(body, extras);
        for (String field : TEXT_FIELDS) {
            String value = text(body, field, MAX_TEXT);
            if (value != null) extras.put(field, value);
        }
        for (String field : URL_FIELDS) {
            String value = url(body, field);
            if (value != null) extras.put(field, value);
        }
        return new RegistrationService.Metadata(name == null ? DEFAULT_NAME : name, method, keys, json.writeString(extras),
                text(body, "client_secret", 512), constraints(body));
    }

    /** RFC 9449 §5.2 {@code dpop_bound_access_tokens}, RFC 8705 §2.1.2 and §3.4. */
    private static Client.SenderConstraints constraints(JsonNode body) {
        TlsClientIdentity identity = null;
        for (TlsClientIdentity.Field field : TlsClientIdentity.Field.values()) {
            String value = text(body, field.metadataName(), 1024);
            if (value == null) continue;
            if (identity != null) throw invalid(field.metadataName() + ": give one tls_client_auth_* field (RFC 8705 §2.1.2)");
            identity = new TlsClientIdentity(field, value);
        }
        return new Client.SenderConstraints(bool(body, "dpop_bound_access_tokens"),
                bool(body, "tls_client_certificate_bound_access_tokens"), identity);
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) return false;
        if (!value.isBoolean()) throw invalid(field + ": must be true or false");
        return value.booleanValue();
    }

    /** RFC 7592 §2.2: an update names the client it is for. */
    static void clientIdCheck(JsonNode body, String clientId) {
        JsonNode id = body.get("client_id");
        if (id == null || id.isNull()) throw invalid("client_id: is required in an update (RFC 7592 §2.2)");
        if (!id.isTextual() || !id.textValue().equals(clientId)) {
            throw invalid("client_id: must be the client_id of the registration client URI");
        }
    }

    private static ClientAuthMethod authMethod(JsonNode body) {
        String value = text(body, "token_endpoint_auth_method", 64);
        // RFC 7591 §2: client_secret_basic when omitted
        if (value == null) return ClientAuthMethod.CLIENT_SECRET_BASIC;
        return ClientAuthMethod.parse(value).orElseThrow(() -> invalid("token_endpoint_auth_method: must be one of "
                + Arrays.stream(ClientAuthMethod.values()).map(ClientAuthMethod::value).toList()
                + (value.equals("none") ? "; apps here always authenticate" : "")));
    }

    private static void grantTypes(JsonNode body) {
        JsonNode types = array(body, "grant_types");
        if (types == null) return;
        for (JsonNode type : types) {
            if (!type.isTextual() || !type.textValue().equals("client_credentials")) {
                throw invalid("grant_types: only client_credentials is supported here");
            }
        }
    }

    private static AppKeys keys(JsonNode body, Json json) {
        JsonNode jwks = body.get("jwks");
        if (jwks != null && !jwks.isNull() && !jwks.isObject()) throw invalid("jwks: must be a JWK Set object");
        String jwksUri = text(body, "jwks_uri", ClientKeys.MAX_JWKS_URI_LENGTH);
        String set = jwks == null || jwks.isNull() ? null : json.writeString(jwks);
        return AppKeys.of(set, jwksUri);
    }

    private static void contacts(JsonNode body, ObjectNode extras) {
        JsonNode contacts = array(body, "contacts");
        if (contacts == null) return;
        if (contacts.size() > MAX_CONTACTS) throw invalid("contacts: at most " + MAX_CONTACTS + " entries");
        var out = extras.putArray("contacts");
        for (JsonNode contact : contacts) {
            if (!contact.isTextual() || contact.textValue().isBlank() || contact.textValue().length() > MAX_TEXT
                    || Text.hasControlCharacter(contact.textValue())) {
                throw invalid("contacts: each entry must be a text of at most " + MAX_TEXT + " characters, such as an e-mail address");
            }
            out.add(contact.textValue());
        }
    }

    private static String url(JsonNode body, String field) {
        String value = text(body, field, MAX_URL);
        if (value == null) return null;
        try {
            URI uri = new URI(value);
            if (!"https".equals(uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
                throw invalid(field + ": must be an https URL");
            }
        } catch (URISyntaxException e) {
            throw invalid(field + ": must be an https URL");
        }
        return value;
    }

    private static boolean nonEmptyArray(JsonNode body, String field) {
        JsonNode node = array(body, field);
        return node != null && !node.isEmpty();
    }

    private static JsonNode array(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return null;
        if (!node.isArray()) throw invalid(field + ": must be an array");
        return node;
    }

    private static String text(JsonNode body, String field, int max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return null;
        if (!node.isTextual()) throw invalid(field + ": must be a string");
        String value = node.textValue();
        if (value.isBlank()) throw invalid(field + ": must not be empty");
        if (value.length() > max) throw invalid(field + ": must be at most " + max + " characters");
        if (Text.hasControlCharacter(value)) throw invalid(field + ": must not contain control characters");
        return value;
    }

    private static OAuthError invalid(String description) {
        return OAuthError.registration("invalid_client_metadata", description);
    }
}
