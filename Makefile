# SolutionKit: the two commands of the quick start are `make demo` and `make test`.
SWIFT ?= swift
RELEASE_TEST_FLAGS = -c release -Xswiftc -enable-testing --scratch-path .build-release-tests

.PHONY: setup build demo test test-debug test-release test-browser test-integrations dist bench samples clean

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build -c release --product launcher

# Sets up, builds, and runs the main job on the shipped sample.
demo: build
	.build/release/launcher run price-prediction

# Sets up and passes every test: small data in debug, the real datasets in a release-mode run, and the run
# reports in a headless browser (with the release-mode launcher).
test: setup test-debug test-release test-browser

test-debug:
	$(SWIFT) test

test-release:
	$(SWIFT) test $(RELEASE_TEST_FLAGS)

test-browser:
	bash scripts/browser-test.sh

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
	rm -rf .build .build-release-tests
