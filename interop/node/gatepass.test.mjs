// Gatepass driven by openid-client (v6) and jose as their users write it. The server is started by interop/run.sh
// and named by GATEPASS_ISSUER; GATEPASS_ADMIN_SECRET is the admin app's secret. Each case sets up what it needs
// through the management API.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as client from 'openid-client';
import * as jose from 'jose';

const issuer = process.env.GATEPASS_ISSUER;
const adminSecret = process.env.GATEPASS_ADMIN_SECRET;
if (!issuer || !adminSecret) throw new Error('set GATEPASS_ISSUER and GATEPASS_ADMIN_SECRET (interop/run.sh does)');
const insecure = issuer.startsWith('http:') ? { execute: [client.allowInsecureRequests] } : {};

let adminToken;

async function admin(method, path, body) {
  const response = await fetch(issuer + path, {
    method,
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** A new API with these scopes and a new app granted them; the app's secret is in the answer. */
async function grantedApp(scopes, appFields = {}, apiFields = {}) {
  const identifier = `https://node-${crypto.randomUUID()}.example.com`;
  const api = await admin('POST', '/admin/apis', { identifier, name: 'node interop', scopes, ...apiFields });
  const app = await admin('POST', '/admin/clients', { client_name: 'node interop', ...appFields });
  await admin('PUT', `/admin/clients/${app.client_id}/grants/${api.id}`, { scopes });
  return { identifier, api, app };
}

function jwks() {
  return jose.createRemoteJWKSet(new URL(issuer + '/.well-known/jwks.json'));
}

before(async () => {
  const response = await fetch(issuer + '/oauth/token', {
    method: 'POST',
    headers: { authorization: 'Basic ' + Buffer.from(`gatepass-admin:${adminSecret}`).toString('base64') },
    body: new URLSearchParams({ grant_type: 'client_credentials', audience: 'urn:gatepass:admin' }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  adminToken = (await response.json()).access_token;
});

test('openid-client discovers the issuer (OpenID document) and gets a token with its default secret transport', async () => {
  const { identifier, app } = await grantedApp(['archive:write']);
  // a string secret: openid-client's default is client_secret_post, and the app is registered for client_secret_basic
  const config = await client.discovery(new URL(issuer), app.client_id, app.client_secret, undefined, insecure);
  assert.equal(config.serverMetadata().issuer, issuer);

  const tokens = await client.clientCredentialsGrant(config, { audience: identifier });

  assert.equal(tokens.token_type.toLowerCase(), 'bearer');
  assert.equal(tokens.scope, 'archive:write');
  const { payload, protectedHeader } = await jose.jwtVerify(tokens.access_token, jwks(), {
    issuer, audience: identifier, typ: 'at+jwt',
  });
  assert.equal(protectedHeader.typ, 'at+jwt');
  assert.equal(payload.sub, app.client_id);
  assert.equal(payload.client_id, app.client_id);
  assert.equal(payload.scope, 'archive:write');
  assert.ok(payload.jti && payload.exp > payload.iat);
});

test('openid-client with RFC 8414 discovery and client_secret_basic, the RFC 8707 resource parameter', async () => {
  const { identifier, app } = await grantedApp(['read', 'write']);
  const config = await client.discovery(new URL(issuer), app.client_id, undefined,
    client.ClientSecretBasic(app.client_secret), { ...insecure, algorithm: 'oauth2' });

  const tokens = await client.clientCredentialsGrant(config, { resource: identifier, scope: 'read' });

  assert.equal(tokens.scope, 'read');
  const { payload } = await jose.jwtVerify(tokens.access_token, jwks(), { issuer, audience: identifier });
  assert.equal(payload.scope, 'read');
});

test('openid-client sees RFC 6749 errors as ResponseBodyError with the code', async () => {
  const { identifier, app } = await grantedApp(['read']);
  const config = await client.discovery(new URL(issuer), app.client_id, app.client_secret, undefined, insecure);

  await assert.rejects(client.clientCredentialsGrant(config, { audience: identifier, scope: 'admin' }),
    (error) => error.error === 'invalid_scope' && error.status === 400);
  const wrong = await client.discovery(new URL(issuer), app.client_id, 'gps_wrong', undefined, insecure);
  await assert.rejects(client.clientCredentialsGrant(wrong, { audience: identifier }),
    (error) => error.error === 'invalid_client' && error.status === 401);
});

test("the brief's JSON token request works on an app created with defaults", async () => {
  const { identifier, app } = await grantedApp(['archive:read']);

  const response = await fetch(issuer + '/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ audience: identifier, grant_type: 'client_credentials', client_id: app.client_id,
      client_secret: app.client_secret }),
  });

  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(body.token_type, 'Bearer');
  assert.ok(body.expires_in > 0);
  await jose.jwtVerify(body.access_token, jwks(), { issuer, audience: identifier });
});

test('openid-client with private_key_jwt, a key made by jose', async () => {
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256');
  const publicJwk = { ...(await jose.exportJWK(publicKey)), kid: 'node-1', alg: 'ES256', use: 'sig' };
  const { identifier, app } = await grantedApp(['read'], {
    token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: [publicJwk] },
  });
  assert.equal(app.client_secret, undefined);
  const config = await client.discovery(new URL(issuer), app.client_id, undefined,
    client.PrivateKeyJwt({ key: privateKey, kid: 'node-1' }), insecure);

  const tokens = await client.clientCredentialsGrant(config, { audience: identifier });

  const { payload } = await jose.jwtVerify(tokens.access_token, jwks(), { issuer, audience: identifier });
  assert.equal(payload.sub, app.client_id);
});

test('openid-client introspects and revokes; a revoked token is inactive', async () => {
  const { identifier, app } = await grantedApp(['read']);
  const config = await client.discovery(new URL(issuer), app.client_id, app.client_secret, undefined, insecure);
  const { access_token: token } = await client.clientCredentialsGrant(config, { audience: identifier });

  const active = await client.tokenIntrospection(config, token);
  assert.equal(active.active, true);
  assert.equal(active.client_id, app.client_id);
  assert.equal(active.aud === identifier || (Array.isArray(active.aud) && active.aud.includes(identifier)), true);

  await client.tokenRevocation(config, token);

  assert.equal((await client.tokenIntrospection(config, token)).active, false);
});

test("an API with token_profile jwt gets typ JWT tokens, and jose checks them with the JWKS", async () => {
  const { identifier, app } = await grantedApp(['read'], {}, { token_profile: 'jwt' });
  const config = await client.discovery(new URL(issuer), app.client_id, app.client_secret, undefined, insecure);

  const tokens = await client.clientCredentialsGrant(config, { audience: identifier });

  const { protectedHeader } = await jose.jwtVerify(tokens.access_token, jwks(), { issuer, audience: identifier, typ: 'JWT' });
  assert.equal(protectedHeader.typ, 'JWT');
});

test('an app granted on two APIs gets its default_audience when the request names none', async () => {
  const { identifier, app } = await grantedApp(['read'], {});
  const other = await admin('POST', '/admin/apis', { identifier: `https://other-${crypto.randomUUID()}.example.com`,
    name: 'other', scopes: ['x'] });
  await admin('PUT', `/admin/clients/${app.client_id}/grants/${other.id}`, { scopes: ['x'] });
  await admin('PATCH', `/admin/clients/${app.client_id}`, { default_audience: identifier });
  const config = await client.discovery(new URL(issuer), app.client_id, app.client_secret, undefined, insecure);

  const tokens = await client.clientCredentialsGrant(config);

  const { payload } = await jose.jwtVerify(tokens.access_token, jwks(), { issuer, audience: identifier });
  assert.equal(payload.scope, 'read');
});

test('openid-client registers an app itself (RFC 7591) with an initial access token, and the app gets tokens', async () => {
  const identifier = `https://node-${crypto.randomUUID()}.example.com`;
  const api = await admin('POST', '/admin/apis', { identifier, name: 'node registration', scopes: ['read', 'write'] });
  const initial = await admin('POST', '/admin/initial-access-tokens',
    { name: 'node partner', max_uses: 1, grants: [{ api_id: api.id, scopes: ['read'] }] });

  const config = await client.dynamicClientRegistration(new URL(issuer), {
    client_name: 'node partner app', grant_types: ['client_credentials'],
    token_endpoint_auth_method: 'client_secret_basic', contacts: ['ops@partner.example'],
  }, undefined, { ...insecure, initialAccessToken: initial.token });

  const registered = config.clientMetadata();
  assert.ok(registered.client_secret.startsWith('gps_'));
  assert.ok(registered.registration_access_token.startsWith('gpr_'));
  assert.deepEqual(registered.contacts, ['ops@partner.example']);
  const tokens = await client.clientCredentialsGrant(config, { audience: identifier });
  assert.equal(tokens.scope, 'read');
  await jose.jwtVerify(tokens.access_token, jwks(), { issuer, audience: identifier });

  // the token had one use
  await assert.rejects(client.dynamicClientRegistration(new URL(issuer), { client_name: 'second' }, undefined,
    { ...insecure, initialAccessToken: initial.token }), (error) => error.status === 401);
});

test('openid-client exchanges a token (RFC 8693) with genericGrantRequest; jose sees the subject and the act chain', async () => {
  const { identifier: orders, api: ordersApi, app: customer } = await grantedApp(['orders:read']);
  const { identifier: stock, api: stockApi, app: ordersService } = await grantedApp(['stock:read']);
  await admin('PUT', `/admin/clients/${customer.client_id}/grants/${stockApi.id}`, { scopes: ['stock:read'] });
  await admin('PATCH', `/admin/apis/${ordersApi.id}`, { token_exchange_actors: [ordersService.client_id] });
  const customerConfig = await client.discovery(new URL(issuer), customer.client_id, customer.client_secret, undefined, insecure);
  const { access_token: subjectToken } = await client.clientCredentialsGrant(customerConfig, { audience: orders });
  const serviceConfig = await client.discovery(new URL(issuer), ordersService.client_id, ordersService.client_secret,
    undefined, insecure);

  const exchanged = await client.genericGrantRequest(serviceConfig, 'urn:ietf:params:oauth:grant-type:token-exchange', {
    subject_token: subjectToken, subject_token_type: 'urn:ietf:params:oauth:token-type:access_token', audience: stock,
  });

  assert.equal(exchanged.issued_token_type, 'urn:ietf:params:oauth:token-type:access_token');
  const { payload } = await jose.jwtVerify(exchanged.access_token, jwks(), { issuer, audience: stock, typ: 'at+jwt' });
  assert.equal(payload.sub, customer.client_id);
  assert.equal(payload.client_id, ordersService.client_id);
  assert.deepEqual(payload.act, { sub: ordersService.client_id });
  assert.equal(payload.scope, 'stock:read');
});

test('openid-client authenticates a federated_jwt app with a platform token minted by jose (workload identity)', async () => {
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256');
  const clusterJwk = { ...(await jose.exportJWK(publicKey)), kid: 'cluster-1', alg: 'ES256', use: 'sig' };
  const cluster = `https://kubernetes-${crypto.randomUUID()}.example`;
  const trusted = await admin('POST', '/admin/trusted-issuers', { issuer: cluster, preset: 'kubernetes', jwks: { keys: [clusterJwk] } });
  const { identifier, app } = await grantedApp(['read'], { token_endpoint_auth_method: 'federated_jwt' });
  assert.equal(app.client_secret, undefined);
  await admin('POST', `/admin/clients/${app.client_id}/federated-credentials`,
    { issuer_id: trusted.id, subject: 'system:serviceaccount:jobs:nightly' });
  const serviceAccountToken = await new jose.SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: 'cluster-1' }).setIssuer(cluster).setSubject('system:serviceaccount:jobs:nightly')
    .setAudience(issuer).setIssuedAt().setExpirationTime('10m').sign(privateKey);
  // openid-client takes a client authentication function: here, the platform token as the client assertion
  const platformToken = (as, client, body) => {
    body.set('client_id', client.client_id);
    body.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    body.set('client_assertion', serviceAccountToken);
  };
  const config = await client.discovery(new URL(issuer), app.client_id, undefined, platformToken, insecure);

  const tokens = await client.clientCredentialsGrant(config, { audience: identifier });

  const { payload } = await jose.jwtVerify(tokens.access_token, jwks(), { issuer, audience: identifier });
  assert.equal(payload.sub, app.client_id);
  assert.ok(config.serverMetadata().token_endpoint_auth_methods_supported.includes('federated_jwt'));
});

test('openid-client gets a DPoP-bound token with its DPoP handle (RFC 9449), and jose sees cnf.jkt of its key', async () => {
  const { identifier, app } = await grantedApp(['read'], { dpop_bound_access_tokens: true });
  const config = await client.discovery(new URL(issuer), app.client_id, app.client_secret, client.ClientSecretBasic(app.client_secret), insecure);
  assert.ok(config.serverMetadata().dpop_signing_alg_values_supported.includes('ES256'));
  // the app requires a proof: without one it is refused
  await assert.rejects(client.clientCredentialsGrant(config, { audience: identifier }),
    (error) => error.error === 'invalid_dpop_proof');
  const keyPair = await client.randomDPoPKeyPair('ES256');
  const DPoP = client.getDPoPHandle(config, keyPair);

  const tokens = await client.clientCredentialsGrant(config, { audience: identifier }, { DPoP });

  assert.equal(tokens.token_type.toLowerCase(), 'dpop');
  const { payload } = await jose.jwtVerify(tokens.access_token, jwks(), { issuer, audience: identifier, typ: 'at+jwt' });
  assert.equal(payload.cnf.jkt, await jose.calculateJwkThumbprint(await jose.exportJWK(keyPair.publicKey)));
});
