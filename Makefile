# langcard. Two commands do all the set-up on a fresh machine:
#   make run    the demo on http://127.0.0.1:8080, no tenant needed
#   make test   every test, browser and Redis ones included
SHELL := /bin/bash
GO    ?= go

.PHONY: run test check build widget generate check-generated deps axe screenshots vet lint bench fuzz mutate

run:
	@echo "Building the widget (WebAssembly) and langcard. The first time, Go fetches and compiles"
	@echo "the modules first: 1-2 minutes. The sign-in links follow when it listens."
	@$(MAKE) --no-print-directory widget
	$(GO) run ./bff

build: widget
	$(GO) build -trimpath -o bin/langcard ./bff

# The WebAssembly widget, wasm_exec.js and their brotli / gzip variants,
# into static/dist (embedded by the BFF; not committed).
widget:
	$(GO) run ./bff/dev/widgetbuild

# Regenerate the templ views (the generated *_templ.go files are committed).
generate:
	$(GO) tool templ generate -path templates

# Fails when a committed *_templ.go is not what its .templ generates now.
check-generated:
	@templ=$$($(GO) tool -n templ) && tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	mkdir "$$tmp/templates" && cp templates/*.templ "$$tmp/templates/" && \
	(cd "$$tmp" && "$$templ" generate -path templates >/dev/null 2>&1) || { echo "templ generate failed"; exit 1; }; \
	for f in "$$tmp"/templates/*_templ.go; do \
	  cmp -s "$$f" "templates/$$(basename "$$f")" || { echo "templates/$$(basename "$$f") is stale: run make generate and commit it"; exit 1; }; \
	done; \
	for f in templates/*_templ.go; do \
	  [ -f "$$tmp/templates/$$(basename "$$f")" ] || { echo "$$f has no .templ source"; exit 1; }; \
	done

# Finds Debian's chromium (browser tests) and redis-server (shared-session
# tests), or installs them (as root with apt-get); elsewhere it says exactly
# what to install.
deps:
	@missing=""; \
	command -v chromium >/dev/null || command -v chromium-browser >/dev/null || missing="$$missing chromium"; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's$$missing for the tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "make test needs Debian's$$missing: run 'sudo apt-get install$$missing' (or set LANGCARD_CHROMIUM to a Chromium binary)"; exit 1; \
	  fi; \
	fi

# axe-core (from npm) for the accessibility checks of the browser tests.
AXE_VERSION := 4.14.1
AXE := .cache/axe/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE):
	@command -v npm >/dev/null || { echo "the accessibility checks need npm: run 'sudo apt-get install npm'"; exit 1; }
	npm install --silent --no-audit --no-fund --prefix .cache/axe axe-core@$(AXE_VERSION)

vet:
	$(GO) vet ./...

# Guards that keep the tree clean: staticcheck, go.mod tidy, no dead code
# (deadcode -test), no tracked file over 1 MB that is not an image.
lint:
	$(GO) tool staticcheck ./...
	@$(GO) mod tidy -diff >/dev/null || { echo "go.mod is not tidy: run go mod tidy"; exit 1; }
	@dead=$$($(GO) tool deadcode -test ./...) && [ -z "$$dead" ] || { echo "dead code:"; echo "$$dead"; exit 1; }
	@big=$$(git ls-files -z | xargs -0 -r stat -c '%s %n' 2>/dev/null | awk '$$1 > 1000000 && $$2 !~ /\.(png|jpe?g|webp)$$/ {print $$2}'); \
	  [ -z "$$big" ] || { echo "tracked files over 1 MB (build outputs?): $$big"; exit 1; }

# The everyday loop: vet, lint, generated code current, and the tests that
# need neither a browser nor Redis (go test -short), with the widget as it
# is built (or not: its tests skip). No package is installed. make test is
# the whole suite, the one CI runs.
check: check-generated vet lint
	$(GO) test -short -count=1 ./...

test: deps axe check-generated vet lint widget
	$(GO) test -race -count=1 ./...
	$(MAKE) --no-print-directory fuzz

# A short run of every fuzz target (their corpora in testdata/fuzz are
# committed and also run by go test); FUZZTIME=5m for a longer one. The
# default counts executions, not seconds: Go 1.26's fuzz coordinator can
# fail a time-bounded run with a spurious "context deadline exceeded" at
# its deadline on a busy machine (go.dev/issue/75804, fixed in Go 1.27).
FUZZTIME ?= 20000x
FUZZ := bff/wire:FuzzDecode bff/wire:FuzzDecodeAsBefore web/langprof:FuzzUnmarshal web/langprof:FuzzUnmarshalAsBefore web/langprof:FuzzValid web/langprof:FuzzCheckTag bff/graph:FuzzSegments bff/auth:FuzzSafeReturnTo
fuzz:
	@log=$$(mktemp); trap 'rm -f "$$log"' EXIT; for t in $(FUZZ); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  $(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) ./$$pkg >"$$log" 2>&1 || { cat "$$log"; echo "fuzz: $$name failed (the failing input is in $$pkg/testdata/fuzz/$$name: commit it with the fix)"; exit 1; }; \
	  echo "fuzz: $$name ok ($(FUZZTIME))"; \
	done

# Retakes the README's screenshots from the browser tests.
screenshots: deps axe widget
	LANGCARD_SCREENSHOTS=$(CURDIR)/docs $(GO) test -count=1 -run 'TestBrowser' ./bff/e2e/

# Times the editor page against a plain-JavaScript card in headless
# Chromium, cold and warm, and prints the ratios and transfer sizes.
bench: deps widget
	$(GO) run ./bff/dev/bench

# Breaks each security rule in the smallest way, on a copy of the tree, and
# runs the tests that should notice; prints what survives (docs/security.md
# keeps the latest result). Not part of make test: it takes minutes.
mutate: deps axe widget
	$(GO) run ./bff/dev/mutate
