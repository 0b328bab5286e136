# Beseda: the two commands.
#   make run    builds everything and starts the whole product on the embedded adapters
#   make test   installs what the tests need (first time) and runs every test
# Builds are cached outside the clone, in $(CARGO_TARGET_DIR).

PORT ?= 8080
DATA ?= ./data
# The Telegram Bot API emulator that `make run` starts beside the runner.
TELEGRAM_PORT ?= 8081
export CARGO_TARGET_DIR ?= $(HOME)/.cache/beseda-target
VENV := $(CURDIR)/.venv
export PATH := $(VENV)/bin:$(PATH)
CARGO_TEST ?= cargo test --workspace --locked
# Every Lambda function crate under functions/.
FUNCTIONS := $(notdir $(wildcard functions/*))

.PHONY: run build widget emulators test test-deps rust-test widget-test browser-test api-fuzz template-test lambda-build lambda-release bench load clean

run: widget emulators
	cargo build --release --locked -p beseda-local
	bash infra/scripts/run.sh $(CARGO_TARGET_DIR)/release/beseda "$(DATA)" $(PORT) $(TELEGRAM_PORT)

build: widget
	cargo build --workspace --locked

widget: widget/node_modules/.package-lock.json
	cd widget && npm run build

widget/node_modules/.package-lock.json: widget/package-lock.json
	cd widget && npm ci --no-audit --no-fund

# The platforms' emulators (npm telegram-test-api), for `make run` and the end-to-end tests.
emulators: infra/emulators/node_modules/.package-lock.json

infra/emulators/node_modules/.package-lock.json: infra/emulators/package-lock.json
	cd infra/emulators && npm ci --no-audit --no-fund

test: test-deps
	cargo fmt --all -- --check
	$(MAKE) widget-test
	$(MAKE) rust-test
	$(MAKE) template-test
	$(MAKE) browser-test
	$(MAKE) api-fuzz
	$(MAKE) lambda-build
	@echo "make test: every suite passed"

# What the tests need on a fresh machine: a venv with moto_server, cfn-lint and cargo-lambda,
# the npm packages, and Debian's chromium.
test-deps: $(VENV)/.installed widget/node_modules/.package-lock.json emulators
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

$(VENV)/.installed: infra/requirements-test.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r infra/requirements-test.txt
	touch $@

rust-test: emulators
	cargo build --workspace --bins --locked
	$(CARGO_TEST)

widget-test: widget/node_modules/.package-lock.json
	cd widget && npm run typecheck && npm run test:unit && npm run build

template-test:
	cfn-lint template.yaml
	SAM_CLI_TELEMETRY=0 sam validate --lint --region us-east-1
	$(VENV)/bin/python infra/scripts/check-template-env.py
	$(VENV)/bin/python infra/scripts/check-function-clients.py

browser-test: widget
	cargo build --locked -p beseda-local
	bash infra/scripts/browser-tests.sh $(CARGO_TARGET_DIR)/debug/beseda

# The OpenAPI document validated, then a bounded schemathesis pass (--checks all, 90 s) against
# the local runner: no 5xx, no response outside its schema, no undocumented status code.
api-fuzz:
	cargo build --locked -p beseda-local
	bash infra/scripts/api-fuzz.sh $(CARGO_TARGET_DIR)/debug/beseda

# Proof that every Lambda builds, in make test: the fast `lambda-check` profile, and the host's
# own linker (`--compiler cargo`): no zig, whose wrapper's path in the venv would change the
# fingerprint in every fresh clone. Deploys build with LTO: `make lambda-release` or `sam build`.
# One cargo call for all (the AWS clients' features are unified, which does not matter for a
# proof and keeps make test short); deploys build one function per call, as `sam build` does,
# so each binary links only the AWS clients its role may call.
lambda-build:
	cargo lambda build --compiler cargo --profile lambda-check --locked $(addprefix -p ,$(FUNCTIONS))

lambda-release:
	set -e; for f in $(FUNCTIONS); do cargo lambda build --release --arm64 --locked -p $$f; done

bench:
	cargo bench -p beseda-embedded --bench table

# The chat under load: a release runner on a fresh data folder (limits raised: one machine
# plays every visitor), then beseda-load at full speed and at 1 000 messages per second.
load:
	cargo build --release --locked -p beseda-local -p beseda-load
	bash infra/scripts/load.sh $(CARGO_TARGET_DIR)/release

clean:
	rm -rf widget/dist widget/node_modules infra/emulators/node_modules $(VENV)
