"""API tokens of the demo accounts for the load test, kept in a file across runs (standard library only: imported
by run.py in the project's virtualenv and by locustfile.py in locust's).

The token endpoint allows 10 logins a minute from one address and each login replaces the account's previous
token: so a token still valid is reused, a 429 waits for its Retry-After, and the file is written after each
login (an interrupted run loses none)."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request

ROLES = ("worker", "teamlead", "director", "finance")


def accounts(centres) -> list[str]:
    return [f"{centre}-{role}" for centre in centres for role in ROLES]


def _request(url: str, *, token: str | None = None, body: dict | None = None) -> tuple[int, dict, dict]:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an HTTP address: {url}")
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (http(s) checked above)
            return response.status, dict(response.headers), json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), {}


def _load(path: str) -> dict:
    if path and os.path.exists(path):
        with open(path) as fh:
            return json.load(fh)
    return {}


def tokens_for(host: str, usernames, password: str, path: str = "", log=print) -> dict[str, str]:
    """{username: token} for every account that could log in, reusing the valid ones kept in `path`."""
    kept = _load(path).get(host, {})
    tokens: dict[str, str] = {}
    for username in usernames:
        token = kept.get(username)
        if token and _request(host + "/api/v1/desk/", token=token)[0] == 200:
            tokens[username] = token
            continue
        for _attempt in range(6):
            code, headers, data = _request(
                host + "/api/v1/auth/token/", body={"username": username, "password": password}
            )
            if code == 429:
                wait = int(headers.get("Retry-After", "60")) + 1
                log(f"loadtest: the token endpoint is throttled, waiting {wait} s")
                time.sleep(wait)
                continue
            if code == 200:
                tokens[username] = data["token"]
                if path:
                    everything = _load(path)
                    everything.setdefault(host, {})[username] = data["token"]
                    with open(path, "w") as fh:
                        json.dump(everything, fh)
            else:
                log(f"loadtest: {username} could not log in ({code})")
            break
    return tokens
