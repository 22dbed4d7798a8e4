"""docs/openapi.yaml describes every route slsd serves: each method and path
of src/server/api/routes.c appears in the OpenAPI file, and the file names no path
the server does not serve. Keeps the published contract honest."""

import os
import re

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def routes():
    text = open(os.path.join(ROOT, "src", "server", "api", "routes.c")).read()
    pairs = re.findall(r'\{"([A-Z]+)", "([^"]+)", \w+, [^}]+\}', text)
    assert len(pairs) > 20, pairs
    return {(method.lower(), pattern) for method, pattern in pairs}


def documented():
    """(method, path with every {param} written as {}) pairs of the OpenAPI file."""
    out = set()
    path = None
    for line in open(os.path.join(ROOT, "docs", "openapi.yaml")):
        m = re.match(r"^  (/[^:]*):\s*$", line)
        if m:
            path = re.sub(r"\{[^}]+\}", "{}", m.group(1))
            continue
        if re.match(r"^\S", line):
            path = None
        m = re.match(r"^    (get|post|put|delete|patch):\s*$", line)
        if m and path:
            out.add((m.group(1), path))
    return out


def test_every_route_is_documented():
    missing = sorted(routes() - documented())
    assert not missing, "routes missing from docs/openapi.yaml: %s" % missing


def test_every_documented_path_is_served():
    extra = sorted(documented() - routes())
    assert not extra, "docs/openapi.yaml describes paths slsd does not serve: %s" % extra


def test_every_error_code_is_in_the_error_schema():
    """Each code of src/core/error.c's table is listed in the Error schema's
    enum, so that a client generated from the file knows every error."""
    table = open(os.path.join(ROOT, "src", "core", "error.c")).read()
    codes = re.findall(r'\[SLS_ERR_\w+\]\s*=\s*\{\s*"(\w+)"', table)
    assert len(codes) > 30, codes
    text = open(os.path.join(ROOT, "docs", "openapi.yaml")).read()
    schema = text[text.index("\n    Error:\n"):]
    enum = schema[schema.index("enum:"):]
    listed = set()
    for line in enum.splitlines()[1:]:
        m = re.match(r"^\s+- (\w+)\s*$", line)
        if not m:
            break
        listed.add(m.group(1))
    missing = [c for c in codes if c not in listed]
    assert not missing, "error codes missing from the Error schema: %s" % missing
