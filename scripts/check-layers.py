#!/usr/bin/env python3
"""What each folder of src/ may include, and what the api may not call, checked (the ctest "layers").

Each layer names the folders (or single headers) its files may include with
"..."; system headers (<...>) are the build's business (CMake links each
library only to what it may use). A file that includes anything else fails
the check, with the line. docs/design.md, "The server's folders", explains
the layers."""
import os
import re
import sys

ALLOWED = {
    'core': ['core'],
    'crypto': ['core', 'crypto'],
    'store': ['core', 'crypto', 'store'],
    'intake': ['core', 'crypto', 'intake'],
    'cli': ['core', 'crypto', 'cli'],
    # pam_sls.so talks to the public API over HTTP, like the CLIs: nothing of the server.
    'pam': ['pam'],
    # The server, from the bottom up.
    'server/app': ['core', 'crypto', 'store', 'server/app'],
    'server/http': ['core', 'crypto', 'server/http', 'server/app/config.h',
                    'server/app/clock.h', 'server/app/metrics.h', 'server/app/throttle.h'],
    'server/flows': ['core', 'crypto', 'store', 'intake', 'server/app', 'server/flows'],
    'server/jobs': ['core', 'crypto', 'store', 'server/app', 'server/flows', 'server/jobs'],
    'server/api': ['core', 'crypto', 'store', 'intake', 'server/app', 'server/http',
                   'server/flows', 'server/api'],
    # The RADIUS front end (SPEC §10.4) stands beside http: it drives the same
    # login flows, never the HTTP handlers.
    'server/radius': ['core', 'crypto', 'store', 'server/app', 'server/flows', 'server/radius'],
}
# slsd's main puts the layers together: it may include any of them.
WHOLE = {'server/app/slsd_main.c'}
# Inclusions that break the layering and are still to be undone, each with
# the reason; the check fails when one is no longer needed, so the list only
# shrinks.
KNOWN = {
    # Flows that still answer HTTP themselves (to become verdicts the api renders).
}

# What a layer may not call though it may include its header: the api reads
# the store's record types, but only flows run transactions.
FORBIDDEN_CALLS = {
    'server/api': [r'\bsls_store_(read|write)\s*\(', r'\bSLS_DB\s*\(', r'struct sls_db\s*\*'],
    'server/radius': [r'\bsls_store_(read|write)\s*\(', r'\bSLS_DB\s*\(', r'struct sls_db\s*\*'],
}


def layer_of(rel):
    parts = rel.split('/')
    if parts[0] == 'server':
        return '/'.join(parts[:2])
    return parts[0]


def resolve(rel, inc):
    """The path under src/ that #include "inc" in src/rel names."""
    if '/' not in inc:
        return os.path.join(os.path.dirname(rel), inc)
    if inc.startswith('../'):
        return os.path.normpath(os.path.join(os.path.dirname(rel), inc))
    return inc


def allowed(layer, target):
    for a in ALLOWED[layer]:
        if target == a or target.startswith(a + '/'):
            return True
    return False


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else 'src'
    bad = []
    used = set()
    for root, _, files in os.walk(src):
        for f in sorted(files):
            if not f.endswith(('.c', '.h')):
                continue
            rel = os.path.relpath(os.path.join(root, f), src)
            layer = layer_of(rel)
            if layer not in ALLOWED:
                bad.append(f'{rel}: folder {layer} has no layer rule')
                continue
            if rel in WHOLE:
                continue
            with open(os.path.join(root, f), encoding='utf-8') as fh:
                for n, line in enumerate(fh, 1):
                    for pat in FORBIDDEN_CALLS.get(layer, []):
                        if not re.search(pat, line):
                            continue
                        bad.append(f'src/{rel}:{n}: {layer} may not run store '
                                   'transactions: move them into a flow')
                    m = re.match(r'\s*#\s*include\s+"([^"]+)"', line)
                    if not m:
                        continue
                    target = resolve(rel, m.group(1))
                    if allowed(layer, target):
                        continue
                    if (rel, target) in KNOWN:
                        used.add((rel, target))
                        continue
                    bad.append(f'src/{rel}:{n}: {layer} may not include {target}')
    for k in sorted(set(KNOWN) - used):
        bad.append(f'{k[0]} no longer includes {k[1]}: remove it from KNOWN')
    for b in bad:
        print(b)
    print(f'layers: {len(bad)} problems')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
