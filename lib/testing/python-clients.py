"""The Python snippets of README "Connect your client", run against a Latchkey server.

Usage: python3 python-clients.py <issuer> <client_id> <client_secret>
Prints one JSON object: the access token each client obtained with client_credentials.
Run by lib/oauth/client-libraries.int.test.ts.
"""
import json
import sys

from authlib.integrations.requests_client import OAuth2Session
from oauthlib.oauth2 import BackendApplicationClient
from requests_oauthlib import OAuth2Session as RequestsOAuth2Session

issuer, client_id, client_secret = sys.argv[1:4]
token_url = f"{issuer}/api/oauth/token"
tokens = {}

# Authlib, client_secret_basic (its default) and client_secret_post.
for method in ("client_secret_basic", "client_secret_post"):
    session = OAuth2Session(client_id, client_secret, token_endpoint_auth_method=method, scope="TILE")
    token = session.fetch_token(token_url, grant_type="client_credentials")
    tokens[f"authlib_{method}"] = token["access_token"]

# requests-oauthlib: the backend application (client_credentials) flow, HTTP Basic client auth.
session = RequestsOAuth2Session(client=BackendApplicationClient(client_id=client_id), scope=["TILE"])
# The scope goes to fetch_token too: requests-oauthlib 1.3 does not send the session's own.
token = session.fetch_token(token_url=token_url, client_id=client_id, client_secret=client_secret, scope=["TILE"])
tokens["requests_oauthlib"] = token["access_token"]

print(json.dumps(tokens))
