# SolutionKit: the two commands of the quick start are `make demo` and `make test`.
SWIFT ?= swift
RELEASE_TEST_FLAGS = -c release -Xswiftc -enable-testing --scratch-path .build-release-tests

.PHONY: setup build demo test test-debug test-release test-browser test-asan test-tsan fuzz fuzz-ci soak test-integrations dist bench samples clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release --product launcher

# Sets up, builds, and runs the main job on the shipped sample.
demo: build
	.build/release/launcher run price-prediction

# Sets up and passes every test: small data in debug, the real datasets in a release-mode run, the run reports in
# a headless browser (with the release-mode launcher), then every fuzz target for 30 s (its own sanitizer build).
test: setup test-debug test-release test-browser fuzz-ci

test-debug:
	$(SWIFT) test

test-release:
	$(SWIFT) test $(RELEASE_TEST_FLAGS)

test-browser:
	bash scripts/browser-test.sh

# The debug test suite under AddressSanitizer, and under ThreadSanitizer (separate scratch folders so the plain
# build is not invalidated). TESTS=SomeTests limits them to a filter. swiftc 6.3 on Linux refuses
# -sanitize=undefined; Swift's own checks (bounds, overflow: the package has no -Ounchecked) trap instead.
SANITIZER_FILTER = $(if $(TESTS),--filter '$(TESTS)',)
test-asan:
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 \
	  $(SWIFT) test --sanitize address --scratch-path .build-asan $(SANITIZER_FILTER)

test-tsan:
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
	  $(SWIFT) test --sanitize thread --scratch-path .build-tsan $(SANITIZER_FILTER)

# libFuzzer: every target in turn for FUZZ_SECONDS on FUZZ_WORKERS processes (scripts/fuzz.sh TARGET SECONDS
# WORKERS runs one). Fails on any crash, leak, timeout or out-of-memory, after every target has run.
FUZZ_SECONDS ?= 600
FUZZ_WORKERS ?= 2
fuzz: setup
	bash scripts/fuzz.sh all $(FUZZ_SECONDS) $(FUZZ_WORKERS)

# The brief pass `make test` ends with: each target for 30 s.
fuzz-ci: setup
	bash scripts/fuzz.sh all 30 $(FUZZ_WORKERS)

# A launcher that travels: Swift runtime linked in, remaining shared libraries beside it, tarball + sha256 in dist/.
dist: setup
	bash scripts/dist.sh

# Spark and Ray in local mode against `launcher score` (a 1.1 GB venv in integrations/.venv): not part of `make test`.
test-integrations: setup
	bash integrations/test.sh

bench: build
	bash bench/run.sh

samples:
	bash scripts/make-samples.sh

clean:
	rm -rf .build .build-release-tests .build-fuzz
