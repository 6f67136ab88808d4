package io.gatepass.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.as.AuthorizationServerMetadata;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.Audience;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.TokenTypeURI;
import com.nimbusds.oauth2.sdk.tokenexchange.TokenExchangeGrant;
import io.gatepass.server.TestServer.App;
import io.gatepass.server.TestServer.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * RFC 8693 token exchange for service chains (checkout → orders → inventory → shipping), driven by the Nimbus OAuth
 * SDK's {@code TokenExchangeGrant}, and custom claims in tokens.
 */
class TokenExchangeTest extends SharedServer {
    private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token";
    static String orders;
    static String inventory;
    static String shipping;
    static String ordersId;
    static String inventoryId;
    static String shippingId;
    static App checkout;
    static App ordersService;
    static App inventoryService;
    static URI tokenEndpoint;

    @BeforeAll
    static void chain() throws Exception {
        orders = TestServer.uniqueIdentifier();
        inventory = TestServer.uniqueIdentifier();
        shipping = TestServer.uniqueIdentifier();
        ordersId = gatepass.createApi(orders, "orders:read", "orders:write");
        inventoryId = gatepass.createApi(inventory, "stock:read", "stock:write");
        shippingId = gatepass.createApi(shipping, "ship:create");
        checkout = gatepass.createApp("checkout", null);
        ordersService = gatepass.createApp("orders service", null);
        inventoryService = gatepass.createApp("inventory service", null);
        gatepass.grant(checkout.clientId(), ordersId, "orders:read", "orders:write");
        gatepass.grant(checkout.clientId(), inventoryId, "stock:read");
        gatepass.grant(checkout.clientId(), shippingId, "ship:create");
        gatepass.grant(ordersService.clientId(), inventoryId, "stock:read", "stock:write");
        gatepass.grant(inventoryService.clientId(), shippingId, "ship:create");
        actors(ordersId, ordersService.clientId());
        actors(inventoryId, inventoryService.clientId());
        tokenEndpoint = AuthorizationServerMetadata.resolve(new Issuer(gatepass.issuer())).getTokenEndpointURI();
    }

    private static void actors(String apiId, String... clientIds) {
        String list = String.join("\",\"", clientIds);
        Response response = gatepass.admin("PATCH", "/admin/apis/" + apiId, "{\"token_exchange_actors\":[\"" + list + "\"]}");
        assertThat(response.status()).as(response.body()).isEqualTo(200);
    }

    /** A token exchange by {@code actor} with the Nimbus SDK. */
    private static TokenResponse nimbusExchange(App actor, String subjectToken, String audience, String scope) throws Exception {
        TokenExchangeGrant grant = new TokenExchangeGrant(new BearerAccessToken(subjectToken), TokenTypeURI.ACCESS_TOKEN,
                null, null, null, List.of(new Audience(audience)));
        TokenRequest request = new TokenRequest(tokenEndpoint,
                new ClientSecretBasic(new ClientID(actor.clientId()), new Secret(actor.secret())), grant,
                scope == null ? null : new Scope(scope));
        return TokenResponse.parse(request.toHTTPRequest().send());
    }

    private static AccessTokenResponse exchanged(App actor, String subjectToken, String audience, String scope) throws Exception {
        TokenResponse response = nimbusExchange(actor, subjectToken, audience, scope);
        assertThat(response.indicatesSuccess()).as(() -> response.toErrorResponse().getErrorObject().toString()).isTrue();
        return response.toSuccessResponse();
    }

    private static Response exchange(App actor, String subjectToken, String... extra) {
        Map<String, String> params = TestServer.params("grant_type", EXCHANGE, "subject_token", subjectToken,
                "subject_token_type", ACCESS_TOKEN);
        params.putAll(TestServer.params(extra));
        return gatepass.tokenForm(params, "Authorization", TestServer.basic(actor.clientId(), actor.secret()));
    }

    private static JWTClaimsSet claims(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    @Test
    void exchangeWhenChainedTwiceByNimbusThenSubjectKeptActorsNestedScopesNarrowedAndNeverLonger() throws Exception {
        String original = gatepass.token(checkout.clientId(), checkout.secret(), orders, null);

        AccessTokenResponse first = exchanged(ordersService, original, inventory, null);
        assertThat(first.getTokens().getAccessToken().getIssuedTokenType()).isEqualTo(TokenTypeURI.ACCESS_TOKEN);
        JWTClaimsSet one = claims(first.getTokens().getAccessToken().getValue());
        assertThat(one.getSubject()).isEqualTo(checkout.clientId());
        assertThat(one.getStringClaim("client_id")).isEqualTo(ordersService.clientId());
        assertThat(one.getAudience()).containsExactly(inventory);
        // orders service may write stock, checkout may only read it: the exchanged token only reads
        assertThat(one.getStringClaim("scope")).isEqualTo("stock:read");
        assertThat(one.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", ordersService.clientId()));
        assertThat(one.getExpirationTime()).isBeforeOrEqualTo(claims(original).getExpirationTime());

        JWTClaimsSet two = claims(exchanged(inventoryService, first.getTokens().getAccessToken().getValue(), shipping, "ship:create")
                .getTokens().getAccessToken().getValue());
        assertThat(two.getSubject()).isEqualTo(checkout.clientId());
        assertThat(two.getStringClaim("client_id")).isEqualTo(inventoryService.clientId());
        assertThat(two.getJSONObjectClaim("act")).isEqualTo(Map.of("sub", inventoryService.clientId(),
                "act", Map.of("sub", ordersService.clientId())));

        JsonNode introspected = gatepass.introspect(TestServer.ADMIN, first.getTokens().getAccessToken().getValue()).json();
        assertThat(introspected.get("active").asBoolean()).isTrue();
        assertThat(introspected.get("act").get("sub").asText()).isEqualTo(ordersService.clientId());
        JsonNode audit = AuditTest.eventually(() -> gatepass.admin("GET", "/admin/audit?client_id="
                + inventoryService.clientId() + "&type=token.issued", null).json(), events -> !events.isEmpty());
        assertThat(audit.get(0).get("details").get("subject").asText()).isEqualTo(checkout.clientId());
        assertThat(audit.get(0).get("details").get("actors").toString())
                .isEqualTo("[\"" + inventoryService.clientId() + "\",\"" + ordersService.clientId() + "\"]");
        assertThat(gatepass.get("/.well-known/oauth-authorization-server").json().get("grant_types_supported").toString())
                .contains(EXCHANGE);
    }

    @Test
    void exchangeWhenNotAllowedThenTheRfc8693ErrorSaysWhy() throws Exception {
        String original = gatepass.token(checkout.clientId(), checkout.secret(), orders, null);
        // inventory service is an actor of the inventory API, not of the orders API the token is for
        assertThat(nimbusExchange(inventoryService, original, shipping, null).toErrorResponse().getErrorObject().getCode())
                .isEqualTo("unauthorized_client");
        exchange(inventoryService, original, "audience", shipping).assertOAuthError(400, "unauthorized_client");
        // the actor has no grant on the target
        exchange(ordersService, original, "audience", shipping).assertOAuthError(400, "invalid_target");
        // more than both are granted
        assertThat(exchange(ordersService, original, "audience", inventory, "scope", "stock:write")
                .assertOAuthError(400, "invalid_scope")).contains("both");
        exchange(ordersService, original, "audience", "urn:gatepass:admin").assertOAuthError(400, "invalid_target");
        exchange(ordersService, "not-a-token", "audience", inventory).assertOAuthError(400, "invalid_request");
        gatepass.tokenForm(TestServer.params("grant_type", EXCHANGE, "subject_token", original, "audience", inventory),
                "Authorization", TestServer.basic(ordersService.clientId(), ordersService.secret()))
                .assertOAuthError(400, "invalid_request");
        gatepass.tokenForm(TestServer.params("grant_type", EXCHANGE, "subject_token", original, "subject_token_type",
                        "urn:ietf:params:oauth:token-type:id_token", "audience", inventory),
                "Authorization", TestServer.basic(ordersService.clientId(), ordersService.secret()))
                .assertOAuthError(400, "invalid_request");
        exchange(ordersService, original, "audience", inventory, "actor_token", original,
                "actor_token_type", ACCESS_TOKEN).assertOAuthError(400, "invalid_request");

        // a revoked subject token
        String revoked = gatepass.token(checkout.clientId(), checkout.secret(), orders, null);
        assertThat(gatepass.revoke(checkout, revoked).status()).isEqualTo(200);
        assertThat(exchange(ordersService, revoked, "audience", inventory).assertOAuthError(400, "invalid_request"))
                .contains("revoked");
        // the subject app has no grant on the target
        App stranger = gatepass.createApp("stranger", null);
        gatepass.grant(stranger.clientId(), ordersId, "orders:read");
        String strangers = gatepass.token(stranger.clientId(), stranger.secret(), orders, null);
        assertThat(exchange(ordersService, strangers, "audience", inventory).assertOAuthError(400, "invalid_target"))
                .contains("subject app");
    }

    @Test
    void exchangeWhenTheChainWouldBeFiveDeepThenRefused() throws Exception {
        String loop = TestServer.uniqueIdentifier();
        String loopId = gatepass.createApi(loop, "loop");
        App relay = gatepass.createApp("relay", null);
        gatepass.grant(relay.clientId(), loopId, "loop");
        gatepass.grant(checkout.clientId(), loopId, "loop");
        actors(loopId, relay.clientId());
        String token = gatepass.token(checkout.clientId(), checkout.secret(), loop, null);
        for (int depth = 1; depth <= 4; depth++) {
            Response response = exchange(relay, token, "audience", loop);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            token = response.json().get("access_token").asText();
        }
        assertThat(exchange(relay, token, "audience", loop).assertOAuthError(400, "invalid_request")).contains("at most 4");
    }

    @Test
    void exchangedTokenWhenTheSubjectAppIsBlockedThenVoidedHereAndInTheFeed() throws Exception {
        App customer = gatepass.createApp("customer", null);
        gatepass.grant(customer.clientId(), ordersId, "orders:read");
        gatepass.grant(customer.clientId(), inventoryId, "stock:read");
        String original = gatepass.token(customer.clientId(), customer.secret(), orders, null);
        String onBehalf = exchanged(ordersService, original, inventory, null).getTokens().getAccessToken().getValue();
        assertThat(gatepass.introspect(TestServer.ADMIN, onBehalf).json().get("active").asBoolean()).isTrue();

        gatepass.admin("PATCH", "/admin/clients/" + customer.clientId(), "{\"status\":\"blocked\"}");

        assertThat(gatepass.introspect(TestServer.ADMIN, onBehalf).json().get("active").asBoolean()).isFalse();
        assertThat(gatepass.get("/oauth/revocations").json().get("clients").toString()).contains(customer.clientId());
        exchange(ordersService, original, "audience", inventory).assertOAuthError(400, "invalid_request");
        gatepass.admin("PATCH", "/admin/clients/" + customer.clientId(), "{\"status\":\"active\"}");
        // unblocking does not revive what blocking voided
        assertThat(gatepass.introspect(TestServer.ADMIN, onBehalf).json().get("active").asBoolean()).isFalse();
    }

    @Test
    void claimsWhenSetOnAppAndGrantThenInEveryTokenAndIntrospectionAndReservedNamesRefused() throws Exception {
        App tenantApp = gatepass.createApp("tenant app", null);
        assertThat(gatepass.admin("PATCH", "/admin/clients/" + tenantApp.clientId(),
                "{\"claims\":{\"tenant_id\":\"acme\",\"region\":\"eu\"}}").status()).isEqualTo(200);
        Response granted = gatepass.admin("PUT", "/admin/clients/" + tenantApp.clientId() + "/grants/" + ordersId,
                "{\"scopes\":[\"orders:read\"],\"claims\":{\"region\":\"eu-west-1\",\"plan\":{\"tier\":\"gold\"}}}");
        assertThat(granted.json().get("claims").get("plan").get("tier").asText()).isEqualTo("gold");
        gatepass.grant(tenantApp.clientId(), inventoryId, "stock:read");

        String token = gatepass.token(tenantApp.clientId(), tenantApp.secret(), orders, null);
        JWTClaimsSet claims = claims(token);
        assertThat(claims.getStringClaim("tenant_id")).isEqualTo("acme");
        assertThat(claims.getStringClaim("region")).isEqualTo("eu-west-1"); // the grant's value over the app's
        assertThat(claims.getJSONObjectClaim("plan")).isEqualTo(Map.of("tier", "gold"));
        assertThat(claims(gatepass.token(tenantApp.clientId(), tenantApp.secret(), inventory, null)).getClaim("plan")).isNull();
        assertThat(gatepass.introspect(tenantApp, token).json().get("tenant_id").asText()).isEqualTo("acme");
        // an exchanged token carries the subject app's claims
        String onBehalf = exchanged(ordersService, token, inventory, null).getTokens().getAccessToken().getValue();
        assertThat(claims(onBehalf).getStringClaim("tenant_id")).isEqualTo("acme");

        String path = "/admin/clients/" + tenantApp.clientId();
        assertThat(gatepass.admin("PATCH", path, "{\"claims\":{\"sub\":\"someone-else\"}}").json().get("field").asText())
                .isEqualTo("claims.sub");
        gatepass.admin("PATCH", path, "{\"claims\":{\"scope\":\"admin\"}}").assertProblem(400);
        gatepass.admin("PATCH", path, "{\"claims\":{\"act\":{\"sub\":\"x\"}}}").assertProblem(400);
        StringBuilder many = new StringBuilder("{");
        for (int i = 0; i < 21; i++) many.append(i == 0 ? "" : ",").append("\"c").append(i).append("\":1");
        gatepass.admin("PATCH", path, "{\"claims\":" + many + "}}").assertProblem(400);
        gatepass.admin("PATCH", path, "{\"claims\":{\"deep\":{\"a\":{\"b\":{\"c\":{\"d\":1}}}}}}").assertProblem(400);
        gatepass.admin("PATCH", path, "{\"claims\":{\"big\":\"" + "x".repeat(2100) + "\"}}").assertProblem(400);
        gatepass.admin("PUT", path + "/grants/" + ordersId, "{\"scopes\":[],\"claims\":{\"exp\":1}}").assertProblem(400);
        gatepass.admin("PATCH", path, "{\"claims\":\"tenant=acme\"}").assertProblem(400);

        assertThat(gatepass.admin("PATCH", path, "{\"claims\":null}").json().get("claims").isNull()).isTrue();
        assertThat(claims(gatepass.token(tenantApp.clientId(), tenantApp.secret(), inventory, null)).getClaim("tenant_id")).isNull();
    }

    @Test
    void actorsWhenSetOnAnApiThenCheckedAndFixedOnTheManagementApi() {
        Response unknown = gatepass.admin("PATCH", "/admin/apis/" + shippingId, "{\"token_exchange_actors\":[\"nobody\"]}");
        assertThat(unknown.assertProblem(400)).contains("token_exchange_actors");
        String adminApiId = gatepass.admin("GET", "/admin/apis?identifier=urn:gatepass:admin", null).json().get(0).get("id").asText();
        gatepass.admin("PATCH", "/admin/apis/" + adminApiId,
                "{\"token_exchange_actors\":[\"" + ordersService.clientId() + "\"]}").assertProblem(403);
        assertThat(gatepass.admin("GET", "/admin/apis/" + inventoryId, null).json().get("token_exchange_actors").toString())
                .isEqualTo("[\"" + inventoryService.clientId() + "\"]");
    }
}
