#!/usr/bin/python3
"""A DPoP-bound token from Gatepass for a shell script (RFC 9449), with Debian's python3-authlib and
python3-requests: makes (or reads) the app's DPoP key, sends a proof with the token request, follows a
use_dpop_nonce answer once, and prints the token response as JSON. With --resource-url it also prints the
Authorization and DPoP headers for one request to that URL (a new proof each run).

  GATEPASS_CLIENT_SECRET=... scripts/dpop-token.py --issuer http://localhost:8080 --client-id ID \
      --audience https://api.example.com --key dpop-key.json
"""
import argparse
import base64
import hashlib
import json
import os
import secrets
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import requests
from authlib.jose import JsonWebKey, JsonWebSignature


def load_key(path):
    if path and os.path.exists(path):
        with open(path) as f:
            return JsonWebKey.import_key(json.load(f))
    key = JsonWebKey.generate_key('EC', 'P-256', is_private=True)
    if path:
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), 'w') as f:
            json.dump(key.as_dict(is_private=True), f)
    return key


def proof(key, method, url, nonce=None, access_token=None):
    parts = urlsplit(url)
    claims = {'jti': secrets.token_urlsafe(16), 'htm': method, 'iat': int(time.time()),
              'htu': urlunsplit((parts.scheme, parts.netloc, parts.path, '', ''))}
    if nonce:
        claims['nonce'] = nonce
    if access_token:
        digest = hashlib.sha256(access_token.encode('ascii')).digest()
        claims['ath'] = base64.urlsafe_b64encode(digest).rstrip(b'=').decode('ascii')
    header = {'alg': 'ES256', 'typ': 'dpop+jwt', 'jwk': key.as_dict(is_private=False)}
    # a JWS, not authlib's jwt.encode: that one sets typ to JWT
    return JsonWebSignature().serialize_compact(header, json.dumps(claims).encode('utf-8'), key).decode('ascii')


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--issuer', required=True)
    parser.add_argument('--client-id', required=True)
    parser.add_argument('--audience')
    parser.add_argument('--key', help='JSON file of the DPoP key; made (mode 600) when missing. Default: a new key each run')
    parser.add_argument('--resource-url', help='also print the headers for a GET of this URL with the token')
    args = parser.parse_args()
    secret = os.environ.get('GATEPASS_CLIENT_SECRET')
    if not secret:
        sys.exit('set GATEPASS_CLIENT_SECRET to the app\'s secret (an environment variable, not an argument)')
    key = load_key(args.key)
    metadata = requests.get(args.issuer.rstrip('/') + '/.well-known/oauth-authorization-server', timeout=10).json()
    endpoint = metadata['token_endpoint']
    form = {'grant_type': 'client_credentials'}
    if args.audience:
        form['audience'] = args.audience
    nonce = None
    for _ in range(2):
        response = requests.post(endpoint, data=form, auth=(args.client_id, secret), timeout=10,
                                 headers={'DPoP': proof(key, 'POST', endpoint, nonce)})
        if response.status_code == 400 and response.json().get('error') == 'use_dpop_nonce':
            nonce = response.headers.get('DPoP-Nonce')
            continue
        break
    body = response.json()
    if response.status_code != 200:
        sys.exit('token request refused: %s: %s' % (body.get('error'), body.get('error_description')))
    print(json.dumps(body, indent=2))
    if args.resource_url:
        token = body['access_token']
        print('Authorization: DPoP ' + token)
        print('DPoP: ' + proof(key, 'GET', args.resource_url, access_token=token))


if __name__ == '__main__':
    main()
