# Cockatrice: build, test, run. `make run` and `make test` work on a fresh Debian machine:
# they install the system libraries they need first (scripts/install-deps.sh).
SWIFT      ?= swift
PREFIX     ?= /usr/local
DATA       ?= /tmp/cockatrice
HTTP_PORT  ?= 8080
PORT       ?= 7070
SEEDS      ?= 200
SEED_START ?= 1
NODE_SEEDS ?= 500
RELEASE    := .build/release
SDK_DIR    ?= .build/plugin-sdk
PLUGIN_DIR := Examples/ReverseAnalyzerPlugin

.PHONY: all deps build test run plugin-sdk example-plugin install sim sim-node bench bench-http bench-cluster clean \
	cluster-up cluster-status cluster-down cluster-clean

all: build

deps:
	@scripts/install-deps.sh

## build: release build of cockatrice and its tools
build: deps
	$(SWIFT) build -c release

## test: every test (unit, simulation, end-to-end with real processes), debug build
test: deps
	$(SWIFT) test

## run: a standalone server on the default ports, data under $(DATA)
run: build
	@mkdir -p $(DATA)
	@echo "cockatrice: REST API on http://localhost:$(HTTP_PORT), data in $(DATA)"
	@echo "  try: curl -s -X PUT http://localhost:$(HTTP_PORT)/indices/myindex --data-binary @./conf/schema.yaml -H 'Content-Type: application/yaml'"
	@echo "       curl -s -X PUT http://localhost:$(HTTP_PORT)/indices/myindex/documents/1 --data-binary @./example/doc1.json -H 'Content-Type: application/json'"
	@echo "       curl -s 'http://localhost:$(HTTP_PORT)/indices/myindex/search?query=search&sync=true'"
	$(RELEASE)/cockatrice server --port=$(PORT) --http-port=$(HTTP_PORT) \
		--index-dir=$(DATA)/index --snapshot-file=$(DATA)/snapshot.zip

## cluster-up: three nodes exactly as API.md's bring-up (peers 7070-7072, REST 8080-8082),
## data, logs and pid files under $(DATA)/nodeN
cluster-up: build
	@scripts/cluster.sh up $(RELEASE)/cockatrice $(DATA)

## cluster-status: `cockatrice status` of every node
cluster-status:
	@scripts/cluster.sh status $(RELEASE)/cockatrice $(DATA)

## cluster-down: stop the three nodes gracefully (SIGTERM, then wait)
cluster-down:
	@scripts/cluster.sh down $(RELEASE)/cockatrice $(DATA)

## cluster-clean: stop them and remove their data
cluster-clean:
	@scripts/cluster.sh clean $(RELEASE)/cockatrice $(DATA)

## plugin-sdk: what an out-of-tree plugin compiles against (module files, ABI id, build script)
plugin-sdk: build
	scripts/plugin-sdk.sh $(RELEASE) $(SDK_DIR)

## example-plugin: build Examples/ReverseAnalyzerPlugin against the SDK, as a plugin author would
example-plugin: plugin-sdk
	$(MAKE) -C $(PLUGIN_DIR) SDK=$(abspath $(SDK_DIR))
	@echo "try: $(RELEASE)/cockatrice analyze --analyzer=reverse --plugin=$(PLUGIN_DIR)/build/libReverseAnalyzerPlugin.so 'Hello World'"

## install: cockatrice to $(PREFIX)/bin, the plugin SDK to $(PREFIX)/lib/cockatrice/sdk
install: plugin-sdk
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/cockatrice
	install -m 755 $(RELEASE)/cockatrice $(DESTDIR)$(PREFIX)/bin/cockatrice
	rm -rf $(DESTDIR)$(PREFIX)/lib/cockatrice/sdk
	cp -R $(SDK_DIR) $(DESTDIR)$(PREFIX)/lib/cockatrice/sdk

## sim: the Raft simulation over SEEDS seeds from SEED_START, release build
sim: deps
	$(SWIFT) run -c release cockatrice-sim --seeds $(SEEDS) --seed-start $(SEED_START)

## sim-node: the simulation with the node's real indices as the state machine, NODE_SEEDS seeds, release build
sim-node: deps
	$(SWIFT) run -c release cockatrice-sim --node --seeds $(NODE_SEEDS) --seed-start $(SEED_START)

## bench: cockatrice-bench next to tantivy on ../shared/bench, in the same run; prints the ratios
bench: build
	scripts/bench.sh

## bench-http: the REST transport on loopback: bulk ingest, search latency over HTTP, wrk QPS
bench-http: build
	scripts/bench-http.sh

## bench-cluster: replicated ingest on three nodes versus one, CPU per document, failover time
bench-cluster: build
	scripts/bench-cluster.sh

clean:
	rm -rf .build $(PLUGIN_DIR)/build
