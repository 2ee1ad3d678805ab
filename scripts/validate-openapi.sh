#!/usr/bin/env bash
# Validates docs/openapi.yaml (or the file given) against the OpenAPI 3 specification with
# openapi-spec-validator, installing it from PyPI first when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
spec="${1:-docs/openapi.yaml}"
if ! python3 -c 'import openapi_spec_validator' >/dev/null 2>&1; then
    scripts/install-deps.sh
fi
python3 - "$spec" <<'PY'
import sys
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename
spec, _ = read_from_filename(sys.argv[1])
try:
    validate(spec)
except Exception as error:  # the validator's message names the failing rule and the path to it
    message = getattr(error, "message", str(error))
    where = "/".join(str(p) for p in getattr(error, "path", []))
    sys.exit(f"{sys.argv[1]}: invalid OpenAPI: {message[:2000]}\n  at {where}")
print(f"{sys.argv[1]}: valid OpenAPI {spec.get('openapi')}")
PY
