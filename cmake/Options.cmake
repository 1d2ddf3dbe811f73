# Build options. Each prints its value at configure time (Tracy's set_option).
function(uketsuke_option name help default)
    option(${name} "${help}" ${default})
    message(STATUS "${name} = ${${name}}  (${help})")
endfunction()

uketsuke_option(UKETSUKE_WITH_UI "Build the SDL2 + Dear ImGui terminal (ui/)" ON)
uketsuke_option(UKETSUKE_WITH_PCSC "Build the pcsc-lite card reader (hal/pcsc)" ON)
uketsuke_option(UKETSUKE_BUILD_TESTS "Build the Catch2 tests, fuzz replays and benchmarks" ON)
uketsuke_option(UKETSUKE_WERROR "Treat warnings as errors (CI)" OFF)
uketsuke_option(UKETSUKE_SANITIZE "Build with ASan + UBSan" OFF)
uketsuke_option(UKETSUKE_FUZZ "Build fuzz targets with libFuzzer (clang only)" OFF)
