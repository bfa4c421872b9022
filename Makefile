# Assay: the two commands a newcomer needs are `make demo` and `make test`.
SWIFT ?= swift
BIN := .build/debug/assay

.PHONY: build demo test test-unit model-start model-stop bench clean

build:
	$(SWIFT) build --product assay

# Builds assay, installs and starts the local SmolLM2 server, runs the example suite, writes demo-report/.
demo: build
	scripts/demo.sh

# The whole test suite (CI runs this). Starts the local model so the integration tests run against it.
test:
	$(SWIFT) build --build-tests
	scripts/model-server.sh start || echo "assay: the local model could not be started; its integration tests will say they were skipped"
	scripts/model-server.sh start embed || echo "assay: the local embedding server could not be started; its integration test will say it was skipped"
	ASSAY_MODEL_URL=http://127.0.0.1:8089/v1 ASSAY_EMBED_URL=http://127.0.0.1:8090/v1 $(SWIFT) test --skip-build

# Unit tests only: no model server.
test-unit:
	$(SWIFT) test

model-start:
	scripts/model-server.sh start

model-stop:
	scripts/model-server.sh stop
	scripts/model-server.sh stop embed

# Benchmarks live in their own package so the main build stays lean (see docs/benchmarks.md).
bench:
	cd Benchmarks && $(SWIFT) package --allow-writing-to-package-directory benchmark

clean:
	rm -rf .build demo-report
