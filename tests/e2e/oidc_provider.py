"""A small OpenID Connect provider for tests, built on Authlib's server classes and
served by the standard library's HTTP server on a loopback port.

It does what a council's identity provider does for the authorization code flow:
discovery (``/.well-known/openid-configuration``), its signing key (``/jwks``), an
``/authorize`` page where a person picks who they are, ``/token`` (client secret, single-
use codes, PKCE, the redirect URI checked by Authlib) answering with an RS256-signed ID
token, and ``/userinfo``. Nothing here is shipped with the app.
"""

from __future__ import annotations

import html
import json
import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from authlib.oauth2 import AuthorizationServer, OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, OAuth2Payload, OAuth2Request, grants
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.jwk import RSAKey


@dataclass(frozen=True)
class Person:
    """Someone the provider can vouch for."""

    subject: str
    email: str
    name: str


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str
    redirect_uri: str

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uri

    def get_allowed_scope(self, scope):
        return " ".join(s for s in scope.split() if s in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class Code:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    person: Person
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None

    def is_expired(self):
        return time.time() - self.auth_time > 300


class _Payload(OAuth2Payload):
    def __init__(self, pairs: list[tuple[str, str]]):
        self._data = dict(pairs)
        self._datalist = defaultdict(list)
        for key, value in pairs:
            self._datalist[key].append(value)

    @property
    def data(self):
        return self._data

    @property
    def datalist(self):
        return self._datalist


class _Request(OAuth2Request):
    def __init__(self, method: str, uri: str, headers: dict, pairs: list[tuple[str, str]]):
        super().__init__(method, uri, headers=headers)
        self.payload = _Payload(pairs)
        self._pairs = dict(pairs)

    @property
    def args(self):
        return self._pairs

    @property
    def form(self):
        return self._pairs


class _Server(AuthorizationServer):
    def __init__(self, provider: TestProvider):
        super().__init__(scopes_supported=["openid", "email", "profile"])
        self.provider = provider
        self.register_token_generator(
            "default",
            BearerTokenGenerator(access_token_generator=lambda **_: secrets.token_urlsafe(24)),
        )

    def query_client(self, client_id):
        return self.provider.client if client_id == self.provider.client.client_id else None

    def save_token(self, token, request):
        self.provider.access_tokens[token["access_token"]] = (request.user, token.get("scope", ""))

    def send_signal(self, name, *args, **kwargs):
        pass

    def create_oauth2_request(self, request):
        return request

    def create_json_request(self, request):
        return request

    def handle_response(self, status, body, headers):
        return status, body, headers


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ("client_secret_basic", "client_secret_post")

    def save_authorization_code(self, code, request):
        data = request.payload.data
        self.server.provider.codes[code] = Code(
            code=code,
            client_id=request.client.client_id,
            redirect_uri=data.get("redirect_uri"),
            scope=request.scope,
            person=request.user,
            nonce=data.get("nonce"),
            code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"),
        )

    def query_authorization_code(self, code, client):
        found = self.server.provider.codes.get(code)
        if found and found.client_id == client.client_id and not found.is_expired():
            return found
        return None

    def delete_authorization_code(self, authorization_code):
        self.server.provider.codes.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return authorization_code.person


class _OpenIDCode(OpenIDCode):
    def __init__(self, provider: TestProvider):
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce, request):
        return any(code.nonce == nonce for code in self.provider.codes.values())

    def resolve_client_private_key(self, client):
        return self.provider.key

    def get_client_claims(self, client):
        return {"iss": self.provider.issuer, "aud": [client.get_client_id()]}

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": self.provider.key.kid}

    def generate_user_info(self, user, scope):
        return _user_info(user, scope)


def _user_info(person: Person, scope: str) -> UserInfo:
    info = UserInfo(sub=person.subject)
    if "email" in scope.split():
        info["email"] = person.email
        info["email_verified"] = True
    if "profile" in scope.split():
        info["name"] = person.name
    return info


class TestProvider:
    """``start()`` serves the provider at ``issuer`` for one registered client."""

    __test__ = False

    def __init__(
        self, people: list[Person], *, client_id: str, client_secret: str, redirect_uri: str
    ):
        self.people = {person.subject: person for person in people}
        self.client = Client(client_id, client_secret, redirect_uri)
        self.key = RSAKey.generate_key(
            2048, parameters={"kid": "test-signing-key", "use": "sig", "alg": "RS256"}
        )
        self.codes: dict[str, Code] = {}
        self.access_tokens: dict[str, tuple[Person, str]] = {}
        self.authorization = _Server(self)
        self.authorization.register_grant(
            _CodeGrant, [CodeChallenge(required=True), _OpenIDCode(self)]
        )
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.issuer = f"http://127.0.0.1:{self._http.server_address[1]}"
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def start(self) -> TestProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "claims_supported": ["sub", "email", "email_verified", "name", "iat", "exp", "nonce"],
        }


def _handler_for(provider: TestProvider) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format, *args):
            pass

        def _reply(
            self,
            status: int,
            body: str | bytes | dict,
            headers=None,
            content_type="application/json",
        ):
            if isinstance(body, dict):
                body = json.dumps(body)
            data = body.encode() if isinstance(body, str) else body
            self.send_response(status)
            for name, value in headers or []:
                self.send_header(name, value)
            if not any(name.lower() == "content-type" for name, _ in (headers or [])):
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def _request(self, pairs: list[tuple[str, str]]) -> _Request:
            return _Request(self.command, provider.issuer + self.path, self.headers, pairs)

        def _answer(self, response) -> None:
            status, body, headers = response
            self._reply(status, body, headers)

        def do_GET(self):
            path = urlsplit(self.path)
            query = parse_qsl(path.query)
            if path.path == "/.well-known/openid-configuration":
                self._reply(200, provider.discovery())
            elif path.path == "/jwks":
                self._reply(200, {"keys": [provider.key.as_dict(private=False)]})
            elif path.path == "/authorize":
                self._authorize_page(query)
            elif path.path == "/userinfo":
                self._userinfo()
            else:
                self._reply(404, {"error": "not_found"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            pairs = parse_qsl(self.rfile.read(length).decode())
            path = urlsplit(self.path).path
            if path == "/authorize":
                self._authorize(pairs)
            elif path == "/token":
                self._answer(provider.authorization.create_token_response(self._request(pairs)))
            else:
                self._reply(404, {"error": "not_found"})

        def _authorize_page(self, query: list[tuple[str, str]]) -> None:
            try:
                provider.authorization.get_consent_grant(self._request(query))
            except OAuth2Error as error:
                self._reply(400, {"error": error.error, "error_description": error.description})
                return
            hidden = "".join(
                f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
                for k, v in query
            )
            choices = "".join(
                f'<button type="submit" name="subject" value="{html.escape(p.subject)}">Continue as {html.escape(p.name)}</button>'
                for p in provider.people.values()
            )
            page = f"<!doctype html><title>Test identity provider</title><h1>Test identity provider</h1><form method='post'>{hidden}{choices}</form>"
            self._reply(200, page, content_type="text/html; charset=utf-8")

        def _authorize(self, pairs: list[tuple[str, str]]) -> None:
            subject = dict(pairs).get("subject")
            person = provider.people.get(subject)
            request = self._request([(k, v) for k, v in pairs if k != "subject"])
            self._answer(
                provider.authorization.create_authorization_response(request, grant_user=person)
            )

        def _userinfo(self) -> None:
            scheme, _, token = (self.headers.get("Authorization") or "").partition(" ")
            granted = provider.access_tokens.get(token) if scheme.lower() == "bearer" else None
            if granted is None:
                self._reply(
                    401,
                    {"error": "invalid_token"},
                    [("WWW-Authenticate", 'Bearer error="invalid_token"')],
                )
                return
            person, scope = granted
            self._reply(200, dict(_user_info(person, scope)))

    return Handler
