"""Checks answers a live server gave against docs/openapi.yaml.

Usage: openapi_responses.py SPEC ANSWERS.json
ANSWERS.json is a list of {"method", "path" (the spec's template), "status", "body" (the JSON text)}.
Each body is validated against the `application/json` schema the spec gives for that status
(OpenAPI 3.0 schemas, `nullable` included). Prints every mismatch; exits 1 if there is one.
"""
import json
import sys

import yaml
from openapi_schema_validator import OAS30Validator

spec = yaml.safe_load(open(sys.argv[1]))
answers = json.load(open(sys.argv[2]))


def resolve(node):
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part]
        node = target
    return node


failures = []
for answer in answers:
    where = f'{answer["method"]} {answer["path"]} -> {answer["status"]}'
    operation = spec["paths"][answer["path"]][answer["method"].lower()]
    response = operation["responses"].get(str(answer["status"]))
    if response is None:
        failures.append(f"{where}: status not in the spec")
        continue
    schema = resolve(response).get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        continue
    # The schema's $refs point into the spec: give it the spec's components as its document root.
    root = {"components": spec["components"], "allOf": [schema]}
    validator = OAS30Validator(root)
    body = json.loads(answer["body"])
    for error in sorted(validator.iter_errors(body), key=lambda e: list(e.path)):
        path = "/".join(str(p) for p in error.path)
        failures.append(f"{where}: at /{path}: {error.message[:300]}")

for failure in failures:
    print(failure)
print(f"{len(answers)} answers checked, {len(failures)} mismatches")
sys.exit(1 if failures else 0)
