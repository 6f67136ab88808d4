"""Gatepass driven by Authlib (Debian's python3-authlib) as its users write it.

interop/run.sh starts the server and sets GATEPASS_ISSUER and GATEPASS_ADMIN_SECRET. Each case sets up what it
needs through the management API.
"""
import json
import os
import subprocess
import sys
import time
import unittest
import uuid
import warnings

import requests
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7591 import ClientMetadataClaims

ISSUER = os.environ["GATEPASS_ISSUER"]
ADMIN_SECRET = os.environ["GATEPASS_ADMIN_SECRET"]


def discover():
    response = requests.get(ISSUER + "/.well-known/oauth-authorization-server", timeout=10)
    response.raise_for_status()
    return response.json()


METADATA = discover()


def admin_token():
    response = requests.post(METADATA["token_endpoint"], auth=("gatepass-admin", ADMIN_SECRET),
                             data={"grant_type": "client_credentials", "audience": "urn:gatepass:admin"}, timeout=10)
    response.raise_for_status()
    return response.json()["access_token"]


ADMIN_TOKEN = admin_token()


def admin(method, path, body=None):
    response = requests.request(method, ISSUER + path, json=body, timeout=10,
                                headers={"Authorization": "Bearer " + ADMIN_TOKEN})
    if response.status_code >= 300:
        raise AssertionError(f"{method} {path}: {response.status_code} {response.text}")
    return response.json() if response.text else None


def granted_app(scopes, **app_fields):
    identifier = f"https://python-{uuid.uuid4()}.example.com"
    api = admin("POST", "/admin/apis", {"identifier": identifier, "name": "python interop", "scopes": scopes})
    app = admin("POST", "/admin/clients", {"client_name": "python interop", **app_fields})
    admin("PUT", f"/admin/clients/{app['client_id']}/grants/{api['id']}", {"scopes": scopes})
    return identifier, app


def verified_claims(token, audience):
    """What a resource server does with Authlib: the JWKS from the metadata, the header, then the claims."""
    keys = JsonWebKey.import_key_set(requests.get(METADATA["jwks_uri"], timeout=10).json())
    claims = jwt.decode(token, keys, claims_options={
        "iss": {"essential": True, "value": ISSUER},
        "aud": {"essential": True, "value": audience},
        "sub": {"essential": True},
        "exp": {"essential": True},
    })
    claims.validate(now=int(time.time()))
    return claims


class AuthlibClientCredentialsTest(unittest.TestCase):
    def setUp(self):
        # requests' pooled connections outlive a test; nothing to learn from that here
        warnings.simplefilter("ignore", ResourceWarning)

    def test_token_when_client_secret_basic_then_verifies_against_jwks(self):
        identifier, app = granted_app(["archive:write"])
        session = OAuth2Session(app["client_id"], app["client_secret"], token_endpoint_auth_method="client_secret_basic")

        token = session.fetch_token(METADATA["token_endpoint"], grant_type="client_credentials", audience=identifier)

        self.assertEqual(token["token_type"], "Bearer")
        claims = verified_claims(token["access_token"], identifier)
        self.assertEqual(claims["sub"], app["client_id"])
        self.assertEqual(claims["scope"], "archive:write")
        self.assertEqual(claims.header["typ"], "at+jwt")

    def test_token_when_client_secret_post_on_app_registered_for_basic_then_issued(self):
        identifier, app = granted_app(["read"])
        self.assertEqual(app["token_endpoint_auth_method"], "client_secret_basic")
        session = OAuth2Session(app["client_id"], app["client_secret"], token_endpoint_auth_method="client_secret_post")

        token = session.fetch_token(METADATA["token_endpoint"], grant_type="client_credentials", audience=identifier)

        self.assertEqual(verified_claims(token["access_token"], identifier)["client_id"], app["client_id"])

    def test_token_when_private_key_jwt_then_issued(self):
        key = JsonWebKey.generate_key("RSA", 2048, is_private=True)
        public = dict(key.as_dict(is_private=False), kid="python-1", alg="RS256", use="sig")
        identifier, app = granted_app(["read"], token_endpoint_auth_method="private_key_jwt", jwks={"keys": [public]})
        token_endpoint = METADATA["token_endpoint"]
        session = OAuth2Session(app["client_id"], key.as_pem(is_private=True),
                                token_endpoint_auth_method=PrivateKeyJWT(token_endpoint, headers={"kid": "python-1"}))

        token = session.fetch_token(token_endpoint, grant_type="client_credentials", audience=identifier)

        self.assertEqual(verified_claims(token["access_token"], identifier)["sub"], app["client_id"])

    def test_error_when_scope_not_granted_then_oauth_error_with_code(self):
        identifier, app = granted_app(["read"])
        session = OAuth2Session(app["client_id"], app["client_secret"])

        with self.assertRaises(Exception) as raised:
            session.fetch_token(METADATA["token_endpoint"], grant_type="client_credentials", audience=identifier,
                                scope="delete")

        self.assertEqual(getattr(raised.exception, "error", None), "invalid_scope")

    def test_introspection_and_revocation_when_revoked_then_inactive(self):
        identifier, app = granted_app(["read"])
        session = OAuth2Session(app["client_id"], app["client_secret"])
        access_token = session.fetch_token(METADATA["token_endpoint"], grant_type="client_credentials",
                                           audience=identifier)["access_token"]

        active = session.introspect_token(METADATA["introspection_endpoint"], token=access_token).json()
        self.assertTrue(active["active"])
        self.assertEqual(active["client_id"], app["client_id"])

        revoked = session.revoke_token(METADATA["revocation_endpoint"], token=access_token)
        self.assertEqual(revoked.status_code, 200)
        inactive = session.introspect_token(METADATA["introspection_endpoint"], token=access_token).json()
        self.assertFalse(inactive["active"])

    def test_brief_json_request_on_default_app(self):
        identifier, app = granted_app(["archive:read"])

        response = requests.post(METADATA["token_endpoint"], timeout=10, data=json.dumps({
            "audience": identifier, "grant_type": "client_credentials", "client_id": app["client_id"],
            "client_secret": app["client_secret"]}), headers={"Content-Type": "application/json"})

        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(verified_claims(response.json()["access_token"], identifier)["scope"], "archive:read")

    def test_registration_when_partner_registers_then_authlib_accepts_the_metadata_and_gets_a_token(self):
        identifier = f"https://python-{uuid.uuid4()}.example.com"
        api = admin("POST", "/admin/apis", {"identifier": identifier, "name": "python registration", "scopes": ["read"]})
        initial = admin("POST", "/admin/initial-access-tokens", {"grants": [{"api_id": api["id"], "scopes": ["read"]}]})
        response = requests.post(METADATA["registration_endpoint"], timeout=10,
                                 headers={"Authorization": "Bearer " + initial["token"]},
                                 json={"client_name": "python partner", "grant_types": ["client_credentials"],
                                       "token_endpoint_auth_method": "client_secret_post",
                                       "client_uri": "https://partner.example", "software_id": "partner-sync"})
        self.assertEqual(response.status_code, 201, response.text)
        registered = response.json()
        # Authlib's own RFC 7591 metadata rules (what an Authlib server checks) hold for what Gatepass stored
        claims = ClientMetadataClaims(registered, {})
        claims.validate()
        self.assertEqual(claims["client_uri"], "https://partner.example")

        session = OAuth2Session(registered["client_id"], registered["client_secret"],
                                token_endpoint_auth_method="client_secret_post")
        token = session.fetch_token(METADATA["token_endpoint"], grant_type="client_credentials", audience=identifier)
        self.assertEqual(verified_claims(token["access_token"], identifier)["sub"], registered["client_id"])

    def test_token_exchange_when_a_service_acts_for_its_caller_then_subject_and_act_in_the_token(self):
        orders, customer = granted_app(["orders:read"])
        stock, service = granted_app(["stock:read"])
        apis = {api["identifier"]: api for api in admin("GET", "/admin/apis?limit=1000")}
        admin("PUT", f"/admin/clients/{customer['client_id']}/grants/{apis[stock]['id']}", {"scopes": ["stock:read"]})
        admin("PATCH", f"/admin/apis/{apis[orders]['id']}", {"token_exchange_actors": [service["client_id"]]})
        subject = OAuth2Session(customer["client_id"], customer["client_secret"]).fetch_token(
            METADATA["token_endpoint"], grant_type="client_credentials", audience=orders)["access_token"]

        exchanged = OAuth2Session(service["client_id"], service["client_secret"]).fetch_token(
            METADATA["token_endpoint"], grant_type="urn:ietf:params:oauth:grant-type:token-exchange",
            subject_token=subject, subject_token_type="urn:ietf:params:oauth:token-type:access_token", audience=stock)

        self.assertEqual(exchanged["issued_token_type"], "urn:ietf:params:oauth:token-type:access_token")
        claims = verified_claims(exchanged["access_token"], stock)
        self.assertEqual(claims["sub"], customer["client_id"])
        self.assertEqual(claims["act"], {"sub": service["client_id"]})


    def test_dpop_when_the_documented_script_asks_then_a_dpop_bound_token_for_its_key(self):
        identifier, app = granted_app(["read"], dpop_bound_access_tokens=True)
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "dpop-token.py")
        key_file = os.path.join(os.environ.get("TMPDIR", "/tmp"), "dpop-%s.json" % uuid.uuid4())
        try:
            result = subprocess.run([sys.executable, script, "--issuer", ISSUER, "--client-id", app["client_id"],
                                     "--audience", identifier, "--key", key_file],
                                    env={**os.environ, "GATEPASS_CLIENT_SECRET": app["client_secret"]},
                                    capture_output=True, text=True, timeout=60)
            self.assertEqual(result.returncode, 0, result.stderr)
            answer = json.loads(result.stdout)
            self.assertEqual(answer["token_type"], "DPoP")
            with open(key_file) as f:
                thumbprint = JsonWebKey.import_key(json.load(f)).thumbprint()
            self.assertEqual(verified_claims(answer["access_token"], identifier)["cnf"], {"jkt": thumbprint})
        finally:
            if os.path.exists(key_file):
                os.remove(key_file)


if __name__ == "__main__":
    unittest.main()
