"""Schemathesis hooks for .ci/contract: inputs no client would send, made into ones it would.

A GTIN's last digit is a check digit that no JSON Schema can state, so nine in ten generated
GTINs are refused with 422 (API) or 400 (resolver) before any handler code runs. Setting the
digit right lets the generator reach real lookups, writes and links. Nothing here hides a
response: every request still goes out and every check still runs.
"""

import re

import schemathesis

GTIN = re.compile(r"^([0-9]{8}|[0-9]{12,14})$")
GTIN_FIELDS = {"gtin", "gtins"}


def with_check_digit(value):
    """`value` with its last digit set to the GS1 mod-10 check digit, if it is GTIN-shaped."""
    if not isinstance(value, str) or not GTIN.match(value):
        return value
    body = value[:-1]
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def fix(node, key=None):
    if isinstance(node, dict):
        return {k: fix(v, k) for k, v in node.items()}
    if isinstance(node, list):
        return [fix(v, key) for v in node]
    return with_check_digit(node) if key in GTIN_FIELDS else node


@schemathesis.hook
def map_case(ctx, case):
    if case.path_parameters:
        case.path_parameters = fix(case.path_parameters)
    if case.query:
        case.query = fix(case.query)
    if isinstance(case.body, (dict, list)):
        case.body = fix(case.body)
    return case
