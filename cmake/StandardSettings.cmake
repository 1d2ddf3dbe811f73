# Warnings, sanitizers and hardening as INTERFACE targets linked PRIVATE (ccache's
# standard_settings). Third-party sources (the ImGui backends) do not link them.
add_library(uketsuke_warnings INTERFACE)
target_compile_options(uketsuke_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
    -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough -Wformat=2)
if(UKETSUKE_WERROR)
    target_compile_options(uketsuke_warnings INTERFACE -Werror)
endif()

add_library(uketsuke_sanitizers INTERFACE)
if(UKETSUKE_SANITIZE)
    target_compile_options(uketsuke_sanitizers INTERFACE
        -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_link_options(uketsuke_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

# libFuzzer builds (the clang `fuzz` preset): every library gets coverage and the sanitizers;
# only the fuzz targets link libFuzzer's main (tests/fuzz/CMakeLists.txt).
# Undefined behaviour stops the run as in the other builds: a report that only printed went
# unnoticed by a campaign (the chrono overflows fuzz_gateway_reply found, docs/fuzzing.md).
if(UKETSUKE_FUZZ)
    target_compile_options(uketsuke_sanitizers INTERFACE
        -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
        -fno-omit-frame-pointer)
    target_link_options(uketsuke_sanitizers INTERFACE -fsanitize=address,undefined)
endif()

add_library(uketsuke_hardening INTERFACE)
target_compile_options(uketsuke_hardening INTERFACE -fstack-protector-strong
    $<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)

add_library(uketsuke_settings INTERFACE)
target_link_libraries(uketsuke_settings INTERFACE uketsuke_warnings uketsuke_sanitizers
    uketsuke_hardening)
# Sanitizer flags must also reach third-party objects linked into our binaries.
add_library(uketsuke_sanitizers_only INTERFACE)
target_link_libraries(uketsuke_sanitizers_only INTERFACE uketsuke_sanitizers)
