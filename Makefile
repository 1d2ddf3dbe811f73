# The two commands of the README, and a few more for developers.
#   make demo   install what is missing, build, start the simulators and desk, open the terminal
#   make test   install what is missing, build (ASan + UBSan, warnings as errors), run all tests
.PHONY: demo test deps build build-ci fuzz bench clean

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

fuzz: deps
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS)
	@echo "fuzz targets are in build/fuzz/tests/fuzz (run one with its corpus folder)"

bench: build
	bash tests/bench/run.sh build/dev

clean:
	rm -rf build out
