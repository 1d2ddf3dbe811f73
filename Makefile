# The two commands of the README, and a few more for developers.
#   make demo   install what is missing, build, start the simulators and desk, open the terminal
#   make test   install what is missing, build (ASan + UBSan, warnings as errors), run all tests
.PHONY: demo test deps build build-ci packages fuzz fuzz-campaign faults-long bench clean

JOBS ?= $(shell nproc)

deps:
	@bash scripts/install-deps.sh

build: deps
	cmake --preset dev
	cmake --build --preset dev -j $(JOBS)

demo: build
	bash scripts/demo.sh

build-ci: deps
	cmake --preset ci
	cmake --build --preset ci -j $(JOBS)

test: build-ci
	ctest --preset ci -j $(JOBS)

# Debian packages (docs/install.md "Debian packages") from a release build, in build/packages/.
packages: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target uketsuke-kiosk uketsuke-desk uketsuke-sim
	cpack --config build/release/CPackConfig.cmake -B build/packages
	@ls build/packages/*.deb

fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS)
	@echo "fuzz targets are in build/fuzz/tests/fuzz (run one with its corpus folder)"

# Every fuzz target for FUZZ_SECONDS each (docs/fuzzing.md "Campaign").
FUZZ_SECONDS ?= 120
fuzz-campaign: deps
	bash scripts/fuzz-campaign.sh $(FUZZ_SECONDS)

# The long fault-harness run (docs/faults.md): FAULT_ROUNDS rounds, faults at random.
FAULT_ROUNDS ?= 400
faults-long: build
	bash tests/faults/run.sh build/dev . $(FAULT_ROUNDS) $$RANDOM

bench: build
	bash tests/bench/run.sh build/dev

clean:
	rm -rf build out
