#!/usr/bin/env python3
"""Every environment variable a function reads is set for it by template.yaml.

The variables are found in the Rust sources every function links (shared/) and in the
function's own crate (functions/<Binary>/src): `env("X")`, `required("X")`, `var("X")` and
`std::env::var("X")`, plus `QUEUE_URL_<NAME>` for each queue of shared/ports/src/queue.rs.
A variable read with a default may be left out only when it is listed in OPTIONAL below with
the reason. Run by `make template-test` (with cfn-lint's template decoder).
"""

import pathlib
import re
import sys

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
        missing = sorted(needed - env)
        if missing:
            failed = True
            print(f"{name} ({binary}) reads {', '.join(missing)}, which the template does not set for it")
        checked += 1
    if checked == 0:
        print("no function found in template.yaml")
        return 1
    print(f"template.yaml sets every variable each of its {checked} functions reads")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
