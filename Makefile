# The two commands of the README, and a few more for developers.
#   make demo   install what is missing, build, start the simulators and desk, open the terminal
#   make test   install what is missing, build (ASan + UBSan, warnings as errors), run all tests
.PHONY: demo test deps build build-ci packages image image-test reference-image bundle image-rauc-test fuzz fuzz-campaign faults-long faults-kills bench clean

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

# The terminal's disk image (docs/image.md) from the packages in PACKAGES_DIR, in build/image/,
# and its boot test in QEMU (about 5 minutes; not part of `make test`).
PACKAGES_DIR ?= build/packages
image:
	@if ! ls $(PACKAGES_DIR)/uketsuke-kiosk_*.deb >/dev/null 2>&1; then $(MAKE) packages; fi
	@bash scripts/install-image-deps.sh
	bash image/debian/build.sh $(PACKAGES_DIR) build/image

# The boot test also boots the benchmark's reference (UKETSUKE_REFERENCE_IMAGE: the stock
# debian-12-genericcloud-amd64 image if you have it; otherwise the stand-in reference.sh builds).
REFERENCE_IMAGE ?= $(or $(UKETSUKE_REFERENCE_IMAGE),build/reference/reference.img)
image-test:
	@bash scripts/install-image-deps.sh
	@if [ ! -e $(REFERENCE_IMAGE) ]; then $(MAKE) reference-image; fi
	python3 image/debian/boot-test.py build/image --keep build/image/boot-test \
		--reference $(REFERENCE_IMAGE)

reference-image:
	@bash scripts/install-image-deps.sh
	bash image/debian/reference.sh build/reference

# A signed update bundle of the image's root (docs/image.md "Update"), and the A/B update test
# in QEMU: install into slot B, boot it, mark good, then a broken bundle rolled back (about
# 30 minutes; not part of `make test` or image-test).
bundle:
	@bash scripts/install-image-deps.sh
	bash image/debian/bundle.sh build/image build/image/update.raucb

image-rauc-test: bundle
	python3 image/debian/rauc-test.py build/image --keep build/image/rauc-test

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

# The kill run (docs/faults.md "The kill run"): FAULT_KILLS rounds, each with a SIGKILL at a
# random moment (the terminal four times in five, the desk once), in FAULT_LANES harnesses side
# by side, on a release build.
FAULT_KILLS ?= 1020
FAULT_LANES ?= 3
faults-kills: deps
	cmake --preset release
	cmake --build --preset release -j $(JOBS) --target uketsuke-kiosk uketsuke-desk uketsuke-sim
	bash tests/faults/kill-run.sh build/release . $(FAULT_KILLS) $(FAULT_LANES)

bench: build
	bash tests/bench/run.sh build/dev

clean:
	rm -rf build out
