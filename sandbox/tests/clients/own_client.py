#!/usr/bin/env python3
"""A small DMAPI client written the way third-party tools (ACME hooks, zone managers) are.

Python 3 standard library only. It POSTs application/x-www-form-urlencoded forms to
<url>/request/<name>, splits the answer on the first blank line, the headers on ": " and the
payload on "\\n", with no more care than such tools take. It is run by
sandbox/tests/third_party.rs against the sandbox; what it relies on is what the live server does
(WIRE-NOTES.md): list payloads without a newline after the last row, and a dns-zone-put that a
dns-zone-get sent right after it already shows.

Environment: DMAPI_URL (e.g. http://127.0.0.1:8480), DMAPI_USERNAME, DMAPI_PASSWORD; optional
DMAPI_DOMAIN, the domain whose zone to edit (default: the first row of dns-zone-list).

Steps: login, query-domain-list, dns-zone-get, dns-zone-put of that zone plus
`_acme-challenge TXT 0 "token-<random>" 300`, an immediate dns-zone-get that must hold the new
record, logout. Exits 1 with a message on stderr at the first failure.
"""

import os
import secrets
import sys
import urllib.error
import urllib.parse
import urllib.request


def fail(message):
    sys.stderr.write("own_client: FAILED: %s\n" % message)
    sys.exit(1)


class Answer:
    """A DMAPI answer: headers (lower-cased keys, every value kept) and the payload text."""

    def __init__(self, text):
        head, _, self.payload = text.partition("\n\n")
        self.headers = {}
        for line in head.split("\n"):
            if not line:
                continue
            key, _, value = line.partition(": ")
            self.headers.setdefault(key.strip().lower(), []).append(value)

    def header(self, key, default=""):
        values = self.headers.get(key.lower())
        return values[0] if values else default

    def rows(self):
        """The payload split on newlines, as list-reading tools do."""
        return self.payload.split("\n") if self.payload else []


class Dmapi:
    def __init__(self, url):
        self.url = url.rstrip("/")
        self.sid = None

    def request(self, name, **params):
        if self.sid is not None:
            params["auth-sid"] = self.sid
        body = urllib.parse.urlencode(params).encode("utf-8")
        req = urllib.request.Request(
            "%s/request/%s" % (self.url, name),
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                text = resp.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            fail("%s: HTTP %s %s" % (name, e.code, e.reason))
        except (urllib.error.URLError, OSError) as e:
            fail("%s: cannot reach %s: %s" % (name, self.url, e))
        answer = Answer(text)
        code = answer.header("Status-Code")
        if code != "0":
            errors = "; ".join(answer.headers.get("error", [])) or answer.payload.strip()
            fail(
                "%s: Status-Code %r (%s) %s"
                % (name, code, answer.header("Status-Text"), errors)
            )
        return answer


def txt_value(line):
    """The value of a zone line `label TXT prio value ttl`, leniently: the live server answers
    `label TXT 0  "value " ttl` (two spaces, a space inside the quotes)."""
    fields = line.split(None, 3)
    if len(fields) < 4:
        return None
    value = fields[3].rsplit(None, 1)[0] if len(fields[3].split()) > 1 else fields[3]
    return value.strip().strip('"').strip()


def main():
    try:
        url = os.environ["DMAPI_URL"]
        username = os.environ["DMAPI_USERNAME"]
        password = os.environ["DMAPI_PASSWORD"]
    except KeyError as e:
        fail("set %s" % e)
    api = Dmapi(url)

    login = api.request("login", username=username, password=password)
    api.sid = login.header("Auth-Sid")
    if not api.sid:
        fail("login: no Auth-Sid header")
    print("login: Status-Code 0, session %s..." % api.sid[:8])

    listing = api.request("query-domain-list")
    domains = []
    for n, row in enumerate(listing.rows(), 1):
        if not row.strip():
            fail(
                "query-domain-list: row %d of %d is empty (payload %r); a tool would act on a "
                "domain named \"\"" % (n, len(listing.rows()), listing.payload)
            )
        domains.append(row.split()[0])
        print("query-domain-list: domain %s" % domains[-1])
    if not domains:
        fail("query-domain-list: no domains")

    domain = os.environ.get("DMAPI_DOMAIN")
    if not domain:
        zones = api.request("dns-zone-list").rows()
        if not zones or not zones[0].strip():
            fail("dns-zone-list: no zone (payload %r)" % zones)
        domain = zones[0].split()[0]
    zone = api.request("dns-zone-get", domain=domain)
    lines = [line for line in zone.payload.split("\n") if line.strip()]
    print("dns-zone-get %s: %d lines" % (domain, len(lines)))

    token = "token-" + secrets.token_hex(8)
    record = '_acme-challenge TXT 0 "%s" 300' % token
    put = api.request("dns-zone-put", domain=domain, zone="\n".join(lines + [record]) + "\n")
    proc_id = put.header("Proc-ID")
    print("dns-zone-put %s: + %s (Proc-ID %s)" % (domain, record, proc_id))

    again = api.request("dns-zone-get", domain=domain)
    found = [
        line
        for line in again.payload.split("\n")
        if line.split()[:2] == ["_acme-challenge", "TXT"] and txt_value(line) == token
    ]
    if not found:
        fail(
            "dns-zone-get right after dns-zone-put (Proc-ID %s) does not hold %s; it holds:\n%s"
            % (proc_id, record, again.payload)
        )
    print("dns-zone-get %s right after the put: read back %s" % (domain, found[0]))

    api.request("logout")
    print("logout: Status-Code 0")


if __name__ == "__main__":
    main()
