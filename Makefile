# Redress — two commands set everything up on a fresh machine:
#   make run    installs what is missing, builds, writes the demo case and builds its packet
#   make test   installs what is missing, runs every test
# Each install step is idempotent and quiet when everything is already there.

SHELL := /bin/bash
CARGO ?= cargo
# Debian packages the tests use as independent checkers (never by the engine itself).
APT_TEST := qpdf poppler-utils
DEMO_DIR ?= redress-demo

.PHONY: run test deps test-deps build release demo bench fmt lint clean

run: deps release
	./target/release/redress demo $(DEMO_DIR)

test: deps test-deps
	$(CARGO) test --workspace

build: deps
	$(CARGO) build --workspace

release: deps
	$(CARGO) build --release --bin redress

demo: release
	./target/release/redress demo $(DEMO_DIR)

# Tools every target needs: a Rust toolchain (the machine's) and the crates (fetched once).
deps:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust (rustup) first" >&2; exit 1; }
	@$(CARGO) fetch --quiet

test-deps:
	@missing=""; for p in $(APT_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# Measures the build against qpdf + img2pdf merging the same files (see benches/build.rs).
bench: deps
	@for p in qpdf img2pdf time; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); $$SUDO apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; fi
	$(CARGO) bench --bench build

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

clean:
	$(CARGO) clean
