"""Hooks for scripts/schemathesis.sh.

A client sends a fresh Idempotency-Key with every new request and repeats one only to retry the
same request. Generated keys repeat ("0", "00", ...) across different requests, which the API
rightly answers with an earlier response or with 422 (same key, another body). In every request
generated as valid, the key is made unique here, so each request is the new request it claims to
be. Requests generated as invalid are sent as generated: their point may be the key itself or a
header left out, and a reused key only makes the API refuse them (422) for one more reason.
"""

import itertools
import re

import schemathesis

_VALID_KEY = re.compile(r"[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?\Z")
_serial = itertools.count(1)


@schemathesis.hook
def before_call(context, case, kwargs):
    headers = case.headers
    if not headers or (case.meta is not None and case.meta.generation.mode.is_negative):
        return
    for name in list(headers):
        value = headers[name]
        if name.lower() == "idempotency-key" and isinstance(value, str) and len(value) <= 255 and _VALID_KEY.match(value):
            suffix = f".{next(_serial)}"
            headers[name] = value[: 255 - len(suffix)] + suffix
