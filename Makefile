# Thin wrapper over CMake. `make run` starts a demo server, `make test` runs every test.
BUILD ?= build
ASAN_BUILD ?= build-asan
RELEASE_BUILD ?= build-release
JOBS ?= $(shell nproc)

.PHONY: all deps build run test test-fast bench format clean

all: build

deps:
	@sh scripts/deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@sh scripts/demo.sh $(BUILD)

test:
	@sh scripts/deps.sh --test
	@sh scripts/test.sh

test-fast: build
	@cd $(BUILD) && ctest --output-on-failure

bench: build
	@sh scripts/bench.sh $(BUILD)

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(RELEASE_BUILD)
