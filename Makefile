# Redress — two commands set everything up on a fresh Debian machine with a Rust toolchain:
#   make run    installs what is missing, builds, opens the app on the demo case
#   make test   installs what is missing, runs every test (library, CLI, UI, real-window E2E)
# Every install step is idempotent and quiet when everything is already there.

SHELL := /bin/bash
CARGO ?= cargo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Debian packages: libheif (HEIC photos; the library, so the tests, the command line and the app
# link it); Tesseract with its English data (reading scanned notices, searchable scans: run as a
# process, so the library builds and tests without it); PDF checkers for the tests; WebKitGTK and friends for the app; Xvfb, WebKitWebDriver
# and python3-xlib (to press the window's close button, type into its dialogs and drop files on it) for the real-window tests.
APT_LIB := libheif-dev pkg-config libssl-dev
APT_OCR := tesseract-ocr tesseract-ocr-eng
APT_TEST := $(APT_LIB) $(APT_OCR) qpdf poppler-utils python3-pip
APT_APP := $(APT_LIB) $(APT_OCR) libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev \
	libayatana-appindicator3-dev librsvg2-dev
APT_E2E := xvfb webkit2gtk-driver xauth python3-xlib
APP := target/release/redress-app

.PHONY: run test test-lib test-tools tauri-driver e2e-deps deps audit audit-online cargo-deny apt-lib apt-test apt-app apt-e2e ui ui-deps app app-debug cli e2e screenshots bindings bench bundle demo fmt lint clean

run: apt-app app
	REDRESS_DEMO=1 ./$(APP)

# The library's tests and the debug app the real-window tests drive are built in one feature
# resolution (TESTED): built apart, the app would compile the library and some ninety shared
# crates (serde, syn, image, lopdf…) again with the features Tauri asks of them. Cargo counts a
# package in the resolution only when one of its targets is built, so the app's unit-test target
# (it holds none) is built with the tests; it embeds the UI, which is built first.
TESTED := -p redress -p redress-app --features redress/typescript

test: deps apt-test apt-app apt-e2e
	@$(MAKE) --no-print-directory -j2 test-lib test-tools
	@$(MAKE) --no-print-directory audit
	cd ui && npm test --silent && npm run --silent check
	@$(MAKE) --no-print-directory e2e

# The library's checks and tests (the UI built first: the app's test target embeds it).
test-lib: ui
	$(CARGO) fmt --all --check
	$(CARGO) clippy --quiet -p redress --all-targets --features typescript -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --quiet -p redress --no-deps
	REDRESS_REQUIRE_OCR=1 $(CARGO) test $(TESTED)

# The tools the later steps need, built on a fresh machine while test-lib compiles: their builds
# leave a core idle for long stretches (linking, crates nothing else waits for). One at a time
# (a make of their own, outside the job slots), so that test-lib never waits for a slot.
test-tools:
	@MAKEFLAGS= $(MAKE) --no-print-directory CARGO="$(CARGO)" cargo-deny tauri-driver e2e-deps

# What Redress depends on (deny.toml): licences, banned crates (no HTTP client), sources (crates.io
# only). The advisory check needs the RustSec database from GitHub, which this project's
# machines cannot reach: `make audit-online` runs it, with `npm audit`, where the network allows
# (SECURITY.md, "Audits").
audit: cargo-deny
	$(CARGO) deny --log-level error check licenses bans sources

audit-online: cargo-deny
	$(CARGO) deny --log-level error check advisories
	cd ui && npm audit --omit=dev

# A debug build of the tool: it runs for a second, and builds in about half the time.
cargo-deny:
	@command -v cargo-deny >/dev/null || { echo "installing: cargo-deny"; $(CARGO) install cargo-deny --locked --debug --quiet; }

# The command line alone (no GUI packages needed).
cli: deps apt-lib
	$(CARGO) build --release -p redress --bin redress

demo: cli
	./target/release/redress demo redress-demo

deps:
	@command -v $(CARGO) >/dev/null || { echo "cargo not found: install Rust (rustup) first" >&2; exit 1; }
	@command -v npm >/dev/null || { echo "installing: nodejs npm"; $(SUDO) apt-get update -qq >/dev/null; DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nodejs npm >/dev/null; }
	@$(CARGO) fetch --quiet

# apt-install the packages of a list that are missing.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi
endef

apt-lib:
	$(call apt_install,$(APT_LIB))

apt-test:
	$(call apt_install,$(APT_TEST))
	@python3 -c "import icalendar" 2>/dev/null || python3 -m pip install -q --disable-pip-version-check icalendar >/dev/null 2>&1 \
	  || python3 -m pip install -q --break-system-packages icalendar >/dev/null

apt-app:
	$(call apt_install,$(APT_APP))

apt-e2e:
	$(call apt_install,$(APT_E2E))

tauri-driver:
	@command -v tauri-driver >/dev/null || { echo "installing: tauri-driver"; $(CARGO) install tauri-driver --locked --quiet; }

ui-deps: deps
	@cd ui && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --silent --no-audit --no-fund; }

ui: ui-deps
	cd ui && npm run --silent build

# The desktop app, release build (the UI is embedded at compile time, so it is built first).
app: deps ui
	$(CARGO) build --release -p redress-app

# The same app as a debug build, for the real-window tests: built in the tests' feature
# resolution (TESTED; the examples bring in the development dependencies, as the tests do), it
# shares every dependency the library's tests have just compiled.
app-debug: deps ui
	$(CARGO) build $(TESTED) --bins --examples

# Real-window tests: the app (debug build; REDRESS_APP=target/release/redress-app for the
# release one) driven through tauri-driver and WebKitWebDriver under Xvfb.
e2e: apt-e2e tauri-driver e2e-deps app-debug
	cd e2e && ./run.sh

e2e-deps:
	@cd e2e && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --silent --no-audit --no-fund; }

# Refreshes the screenshots shown in the README from the last E2E run.
screenshots: e2e
	cp e2e/screenshots/*.png docs/screenshots/

# Regenerates ui/src/lib/bindings.gen.ts from the Rust types and ui/src/lib/fixture.gen.json
# (the UI's development fixture) from the library's demo.
bindings: ui
	REDRESS_BLESS=1 $(CARGO) test $(TESTED) --lib -- typescript_bindings_are_current the_ui_fixture_is_the_librarys_own_output

# Measures the build against qpdf + img2pdf merging the same files and against cat, on the
# standard case and one ten times larger (see benches/build.rs); run it on an idle machine.
# REDRESS_BENCH=standard measures the standard case alone, REDRESS_BENCH_RUNS=5 takes 5 rounds.
bench: deps apt-lib
	$(call apt_install,qpdf img2pdf time openssl)
	$(CARGO) bench -p redress --bench build

# A .deb of the app (Tauri's bundler; the AppImage bundler downloads its tools from the
# network at bundle time, which this project's machines cannot reach).
bundle: apt-app ui
	ui/node_modules/.bin/tauri build --bundles deb
	@ls target/release/bundle/deb/*.deb

fmt:
	$(CARGO) fmt --all

lint:
	$(CARGO) clippy -p redress --all-targets -- -D warnings

clean:
	$(CARGO) clean
