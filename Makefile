# pontifex — top-level entry points. Everything is built by meson; this file
# installs what a fresh Debian machine lacks and names the common tasks.

BUILD      ?= build
BUILD_SAN  ?= build-san
BUILD_FUZZ ?= build-fuzz
MESON_OPTS ?=

DEB_PKGS = libwebsockets-dev libsecp256k1-dev libjansson-dev libcmocka-dev \
	   libssl-dev libsqlite3-dev libyaml-dev meson ninja-build pkg-config

.PHONY: all deps npm wire-deps eth-deps devnet-deps build test demo bench fuzz clean

all: build

# Installs only the packages that are missing; silent when all are present.
deps:
	@missing=""; \
	for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Node packages used only by tests, each folder pinned by its own
# package-lock.json and installed with npm ci when its node_modules is
# missing (Debian's nodejs and npm first, when npm is missing):
#   tests/wire    cosmjs-types and @noble, the third-party wire checks
#   tests/eth     anvil, the local Ethereum node of the follower test
#   tests/devnet  @cosmjs, the third-party client of the devnet test
npm:
	@command -v npm >/dev/null 2>&1 || { \
		SUDO=""; [ "$$(id -u)" -ne 0 ] && SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm; }

wire-deps eth-deps devnet-deps: %-deps: npm
	@[ -d tests/$*/node_modules ] || npm ci --prefix tests/$* --no-audit --no-fund --loglevel=error

$(BUILD)/build.ninja:
	meson setup $(BUILD) $(MESON_OPTS)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# Runs every test; the last line is meson's count as "N passed, N failed".
test: build wire-deps eth-deps devnet-deps
	@scripts/run-tests $(BUILD)

demo: build
	@scripts/demo $(BUILD)/relayer/pontifex

bench: deps
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) $(MESON_OPTS)
	ninja -C $(BUILD) bench/bench_ics23 bench/bench_tm bench/bench_store bench/bench_eth bench/bench_devnet bench/bench_journal \
		bench/bench_relay relayer/pontifex chains/devnet/pontifex-devnet
	$(BUILD)/bench/bench_ics23 ../shared/vectors/cosmos/ics23/vectors
	$(BUILD)/bench/bench_tm
	$(BUILD)/bench/bench_store
	$(BUILD)/bench/bench_devnet
	$(BUILD)/bench/bench_eth ../shared/peers/inputs/getproof-with-storage.json
	$(BUILD)/bench/bench_journal
	$(BUILD)/bench/bench_relay

fuzz: deps
	@[ -f $(BUILD_FUZZ)/build.ninja ] || CC=clang meson setup $(BUILD_FUZZ) -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false
	ninja -C $(BUILD_FUZZ)
	@echo "fuzz targets are in $(BUILD_FUZZ)/tests/fuzz/ (run e.g. $(BUILD_FUZZ)/tests/fuzz/fuzz_ics23_decode tests/fuzz/corpus/ics23_decode)"

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_FUZZ)
