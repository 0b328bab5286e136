#!/usr/bin/env python3
"""Every function links exactly the AWS SDK clients its IAM role may call.

A function's clients beyond DynamoDB are the features of `beseda-aws` its crate's default
feature `clients` turns on (functions/<Binary>/Cargo.toml): `sqs`, `ses`, `s3`, `websocket`,
`kms`. Its role's services are read from its policies in template.yaml: SQS policy templates or
`sqs:` actions, `ses:` actions, S3 policy templates or `s3:` actions,
`execute-api:ManageConnections`, `kms:` actions. A function links the kms client exactly when
its `main.rs` starts it with access to integration secrets (`beseda_lambda::Access`). A client without the
permission is dead weight in the binary (size, cold start); a permission without the client is
one the function cannot use. Run by `make template-test` (with cfn-lint's template decoder).
"""

import pathlib
import sys
import tomllib

from cfnlint.decode import decode

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLIENTS = ("sqs", "ses", "s3", "websocket", "kms")


def actions(statement) -> list[str]:
    found = statement.get("Action", [])
    return [found] if isinstance(found, str) else list(found)


def services(policies) -> set[str]:
    """The services of CLIENTS that a function's policies allow."""
    allowed = set()
    for policy in policies:
        if not isinstance(policy, dict):
            continue
        for name, body in policy.items():
            if name.startswith("SQS"):
                allowed.add("sqs")
            elif name.startswith("S3"):
                allowed.add("s3")
            elif name == "Statement":
                for statement in body if isinstance(body, list) else [body]:
                    for action in actions(statement):
                        prefix = action.split(":")[0]
                        if prefix in ("sqs", "ses", "s3", "kms"):
                            allowed.add(prefix)
                        elif action == "execute-api:ManageConnections":
                            allowed.add("websocket")
    return allowed


def linked(binary: str) -> set[str] | None:
    """The clients a function's binary links; None when the crate does not exist."""
    manifest = ROOT / "functions" / binary / "Cargo.toml"
    if not manifest.is_file():
        return None
    features = tomllib.loads(manifest.read_text(encoding="utf-8")).get("features", {})
    if "clients" not in features.get("default", []):
        return set()
    return {f.removeprefix("beseda-aws/") for f in features.get("clients", []) if f.startswith("beseda-aws/")}


def main() -> int:
    template, errors = decode(str(ROOT / "template.yaml"))
    if errors:
        print(errors)
        return 1
    failed = False
    checked = 0
    for name, resource in template["Resources"].items():
        if resource.get("Type") != "AWS::Serverless::Function":
            continue
        binary = resource.get("Metadata", {}).get("BuildProperties", {}).get("Binary", "")
        clients = linked(binary)
        if clients is None:
            failed = True
            print(f"{name}: no crate functions/{binary}")
            continue
        allowed = services(resource["Properties"].get("Policies", []))
        for client in sorted(clients - allowed):
            failed = True
            print(f"{name} ({binary}) links the {client} client, which its policies do not allow")
        for client in sorted(allowed - clients):
            failed = True
            print(f"{name} ({binary}) may call {client} but does not link its client (its feature `clients`)")
        main = ROOT / "functions" / binary / "src" / "main.rs"
        secrets = main.is_file() and "Access::" in main.read_text(encoding="utf-8")
        if secrets != ("kms" in clients):
            failed = True
            asks, links = ("asks for", "does not link") if secrets else ("does not ask for", "links")
            print(f"{name} ({binary}) {asks} secrets (beseda_lambda::Access in main.rs) but {links} the kms client")
        checked += 1
    if checked == 0:
        print("no function found in template.yaml")
        return 1
    print(f"each of the {checked} functions of template.yaml links the AWS clients its role allows, no others")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
