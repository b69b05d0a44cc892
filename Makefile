# Parley: `make run` builds and serves on 127.0.0.1:8080; `make test` runs every test.
SWIFT ?= swift
BIN := .build/release/parley
DATA := data
ADMIN_KEY_FILE := $(DATA)/admin.key

.PHONY: deps build build-debug run test fuzz schemathesis browser-tests bench bench-analytics soak clean

# System libraries the build links against (Debian/Ubuntu); installed only when missing.
deps:
	@missing=""; for p in libsqlite3-dev zlib1g-dev; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c release --product parley

build-debug: deps
	$(SWIFT) build --product parley

# Creates data/, makes an admin key once (kept in data/admin.key), prints it and serves.
run: build
	@mkdir -p $(DATA)
	@[ -s $(ADMIN_KEY_FILE) ] || (umask 077; printf 'pk_%s' "$$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')" > $(ADMIN_KEY_FILE))
	@echo "Parley admin API key: $$(cat $(ADMIN_KEY_FILE))"
	@echo "  try: curl -H \"Authorization: Bearer $$(cat $(ADMIN_KEY_FILE))\" http://127.0.0.1:8080/v1/users"
	@PARLEY_BOOTSTRAP_ADMIN_KEY="$$(cat $(ADMIN_KEY_FILE))" exec $(BIN) serve

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest

# Seeded fuzzing of the HTTP request parser and the CSV reader, FUZZ_SECONDS each (Docs/fuzzing.md).
FUZZ_SECONDS ?= 60
fuzz: deps
	$(SWIFT) build --product parley-fuzz
	.build/debug/parley-fuzz http $(FUZZ_SECONDS)
	.build/debug/parley-fuzz csv $(FUZZ_SECONDS)

# Docs/openapi.yaml against a fresh debug server: schemathesis (pinned, in .venv-ci/) with every check.
schemathesis: deps
	scripts/schemathesis.sh

# The debtor pages in headless Chromium (selenium + pytest, pinned, in .venv-browser/); needs
# Debian's chromium, chromium-driver and fonts-wqy-zenhei. Screenshots land in Docs/screenshots/.
browser-tests: deps
	scripts/browser-tests.sh

# wrk against /health and a JSON route; with ANCHORS=DIR also the side-by-side harness in DIR.
bench: build
	@command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	scripts/bench.sh

# The long run (by hand): SIGKILL mid-import, then SOAK_MINUTES of mixed traffic with RSS, open
# files and the WAL sampled every 10 s into soak-samples.tsv (Docs/performance.md).
SOAK_MINUTES ?= 30
soak: build
	python3 scripts/soak.py $(BIN) --minutes $(SOAK_MINUTES)

# The analytics overview on generated databases of 100,000 and 1,000,000 cases (kept in data/bench/).
bench-analytics: build
	scripts/bench_analytics.sh

clean:
	rm -rf .build
