// The main of the PC/SC integration tests: probe, then enter the sandbox (a private network +
// mount namespace, pcsc_sandbox.hpp), then run Catch. Skips with 77 (SKIP_RETURN_CODE) and one
// line when pcscd, the vpcd driver or the privileges are missing. Discovery (--list-*) runs
// without the sandbox, right after linking.

#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "tests/hal/pcsc/pcsc_sandbox.hpp"

#include <cstdio>
#include <cstring>

int main(int argc, char** argv)
{
    bool listing = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--list", 6) == 0 || std::strcmp(argv[i], "-h") == 0 ||
            std::strcmp(argv[i], "--help") == 0) {
            listing = true;
        }
    }
    if (!listing) {
        if (auto missing = uketsuke::test::pcscSandboxMissing(); !missing.empty()) {
            std::printf("skipped: %s\n", missing.c_str());
            return 77;
        }
        if (auto failed = uketsuke::test::enterPcscSandbox(); !failed.empty()) {
            std::printf("skipped: cannot enter the pcscd sandbox: %s\n", failed.c_str());
            return 77;
        }
    }
    return Catch::Session().run(argc, argv);
}
