"""Schemathesis hooks for .ci/contract: inputs no client would send, made into ones it would.

The last digit of a GTIN, GLN or SSCC is a check digit that no JSON Schema can state, so nine in
ten generated keys are refused with 422 (API) or 400 (resolver) before any handler code runs. Setting the
digit right lets the generator reach real lookups, writes and links. Nothing here hides a
response: every request still goes out and every check still runs.
"""

import re
from urllib.parse import quote, urlencode

import schemathesis

# Field and parameter names holding a GS1 key, with the lengths the key comes in.
KEYS = {
    "gtin": re.compile(r"^([0-9]{8}|[0-9]{12,14})$"),
    "gtins": re.compile(r"^([0-9]{8}|[0-9]{12,14})$"),
    "gln": re.compile(r"^[0-9]{13}$"),
    "sscc": re.compile(r"^[0-9]{18}$"),
}


def with_check_digit(value, shape):
    """`value` with its last digit set to the GS1 mod-10 check digit, if it has the key's shape."""
    if not isinstance(value, str) or not shape.match(value):
        return value
    body = value[:-1]
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def fix(node, key=None):
    if isinstance(node, dict):
        return {k: fix(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [fix(v, key) for v in node]
    return with_check_digit(node, KEYS[key]) if key in KEYS else node


@schemathesis.hook
def map_case(ctx, case):
    if case.path_parameters:
        case.path_parameters = fix(case.path_parameters)
    if case.query:
        case.query = fix(case.query)
    if isinstance(case.body, (dict, list)):
        case.body = fix(case.body)
    return case


# The HTTP layer (actix-http, with the `http` crate's `Uri`) refuses a request target over 65,534
# bytes with a bare 400 before any route or handler runs, so no problem+json can be given there
# (RFC 9112 §3 would have 414). Every parameter that long is past its schema's maxLength anyway,
# and is only generated as a negative case of non-ASCII text, whose percent-encoding grows
# ninefold; openapi.yaml's description states the limit. Such cases test the transport, not us.
TARGET_MAX = 65_534


def target_length(case):
    """Bytes of the request target `case` goes out with, percent-encoded."""
    path = quote(case.formatted_path, safe="/")
    return len(path) + len(urlencode(case.query or {}, doseq=True)) + 1


@schemathesis.hook
def filter_case(ctx, case):
    return target_length(case) <= TARGET_MAX
