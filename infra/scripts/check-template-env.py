#!/usr/bin/env python3
"""Every environment variable a function reads is set for it by template.yaml.

The variables are found in the Rust sources every function links (shared/) and in the
function's own crate (functions/<Binary>/src): `env("X")`, `required("X")`, `var("X")` and
`std::env::var("X")`, plus `QUEUE_URL_<NAME>` for each queue of shared/ports/src/queue.rs.
A variable read with a default may be left out only when it is listed in OPTIONAL below with
the reason. A variable of CLIENT_ONLY is set for exactly the functions that link its client
(the feature of `beseda-aws` in their crate's `clients`, as check-function-clients.py reads it).
Run by `make template-test` (with cfn-lint's template decoder).
"""

import pathlib
import re
import sys
import tomllib

from cfnlint.decode import decode

ROOT = pathlib.Path(__file__).resolve().parents[2]
READ = re.compile(r'(?:std::env::var|[^_A-Za-z](?:env|required|var))\("([A-Z][A-Z0-9_]+)"')
# Read with a default, on purpose absent from the template.
OPTIONAL = {
    "TRUSTED_PROXIES": "only behind a proxy of one's own; API Gateway's sourceIp is the peer",
    "MOTO_ENDPOINT": "tests only",
    "WIDGET_LIMIT_VISITOR": "set for the widget API only, which is the one that reads it",
    "WIDGET_LIMIT_IP": "set for the widget API only, which is the one that reads it",
}

# Read only by a function that links the client: the KMS key of integration secrets' data key.
CLIENT_ONLY = {"KMS_KEY_ID": "kms"}


def links(binary: str, client: str) -> bool:
    manifest = ROOT / "functions" / binary / "Cargo.toml"
    if not manifest.is_file():
        return False
    features = tomllib.loads(manifest.read_text(encoding="utf-8")).get("features", {})
    return "clients" in features.get("default", []) and f"beseda-aws/{client}" in features.get("clients", [])


def reads(folder: pathlib.Path) -> set[str]:
    names = set()
    for path in folder.rglob("*.rs"):
        if "tests" in path.relative_to(ROOT).parts or path.name == "testing.rs":
            continue
        names.update(READ.findall(path.read_text(encoding="utf-8")))
    return names


def main() -> int:
    template, errors = decode(str(ROOT / "template.yaml"))
    if errors:
        print(errors)
        return 1
    queues = re.findall(r'name: "([a-z-]+)"', (ROOT / "shared/ports/src/queue.rs").read_text(encoding="utf-8"))
    shared = {f"QUEUE_URL_{q.upper().replace('-', '_')}" for q in queues}
    for crate in ("aws", "lambda", "domain", "http", "ports"):
        shared |= reads(ROOT / "shared" / crate / "src")
    global_env = set(template["Globals"]["Function"]["Environment"]["Variables"])
    failed = False
    checked = 0
    for name, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        binary = resource.get("Metadata", {}).get("BuildProperties", {}).get("Binary", "")
        crate = ROOT / "functions" / binary / "src"
        own = reads(crate) if crate.is_dir() else set()
        env = global_env | set(resource["Properties"].get("Environment", {}).get("Variables", {}))
        needed = (shared | own) - {k for k in OPTIONAL if k not in own or k in env}
        needed -= {k for k, client in CLIENT_ONLY.items() if not links(binary, client)}
        missing = sorted(needed - env)
        if missing:
            failed = True
            print(f"{name} ({binary}) reads {', '.join(missing)}, which the template does not set for it")
        extra = sorted(k for k, client in CLIENT_ONLY.items() if k in env and not links(binary, client))
        if extra:
            failed = True
            print(f"{name} ({binary}) gets {', '.join(extra)} but does not link the client that uses it")
        checked += 1
    if checked == 0:
        print("no function found in template.yaml")
        return 1
    print(f"template.yaml sets every variable each of its {checked} functions reads")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
