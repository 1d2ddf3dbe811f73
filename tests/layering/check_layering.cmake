# cmake -DCLOSURES=closures.txt -DSOURCE_DIR=<repo> -P check_layering.cmake
# Fails with one line per broken rule (docs/architecture.md "Folders and what they may depend on").

set(problems "")

file(STRINGS ${CLOSURES} lines)
foreach(line ${lines})
    string(REGEX MATCH "^([^=]+)=(.*)$" _ "${line}")
    set(target ${CMAKE_MATCH_1})
    string(REPLACE "," ";" deps "${CMAKE_MATCH_2}")
    set(closure_${target} ${deps})
endforeach()

# The targets of this project (not imported ones such as OpenSSL::SSL).
function(ours deps out)
    set(result "")
    foreach(d ${deps})
        if(NOT d MATCHES "::" AND NOT d MATCHES "^uketsuke_")
            list(APPEND result ${d})
        endif()
    endforeach()
    set(${out} "${result}" PARENT_SCOPE)
endfunction()

# 1. The flow links only the model and the foundations.
ours("${closure_kiosk_flow}" flowOurs)
foreach(d ${flowOurs})
    if(NOT d MATCHES "^(kiosk_model|base)$")
        string(APPEND problems "kiosk_flow links ${d}: the flow may link only kiosk_model and base\n")
    endif()
endforeach()
foreach(d ${closure_kiosk_flow})
    if(d MATCHES "^(CURL::|SQLite::|OpenSSL::|PkgConfig::(SDL2|IMGUI|PCSC|FREETYPE))")
        string(APPEND problems "kiosk_flow links ${d}: the flow does no I/O\n")
    endif()
endforeach()

# 1b. The staff flow likewise: the foundations only, no I/O.
ours("${closure_kiosk_staff}" staffOurs)
foreach(d ${staffOurs})
    if(NOT d MATCHES "^base$")
        string(APPEND problems "kiosk_staff links ${d}: the staff flow may link only base\n")
    endif()
endforeach()
foreach(d ${closure_kiosk_staff})
    if(d MATCHES "^(CURL::|SQLite::|OpenSSL::|PkgConfig::(SDL2|IMGUI|PCSC|FREETYPE|SODIUM))")
        string(APPEND problems "kiosk_staff links ${d}: the staff flow does no I/O\n")
    endif()
endforeach()

# 2. kiosk/ and hal/ never link SDL or ImGui.
foreach(t kiosk_flow kiosk_staff kiosk_model kiosk hal hal_sim hal_pcsc hal_evdev hal_text)
    foreach(d ${closure_${t}})
        if(d MATCHES "^(PkgConfig::SDL2|PkgConfig::IMGUI|imgui_backends|ui)$")
            string(APPEND problems "${t} links ${d}: kiosk/ and hal/ never see SDL or ImGui\n")
        endif()
    endforeach()
endforeach()

# 3. The desk and the model do not link the HAL.
foreach(t desk kiosk_model)
    foreach(d ${closure_${t}})
        if(d MATCHES "^hal(_.*)?$")
            string(APPEND problems "${t} links ${d}: it must not depend on the HAL\n")
        endif()
    endforeach()
endforeach()

# 3b. The 資格確認端末 file interface is shared by the terminal and the desk: the model and the
# foundations only.
ours("${closure_oqs}" oqsOurs)
foreach(d ${oqsOurs})
    if(NOT d MATCHES "^(kiosk_model|base)$")
        string(APPEND problems "oqs links ${d}: it may link only kiosk_model and base\n")
    endif()
endforeach()
file(GLOB oqsFiles RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/oqs/*.?pp)
foreach(f ${oqsFiles})
    file(STRINGS ${SOURCE_DIR}/${f} includes REGEX "#include *\"")
    foreach(inc ${includes})
        if(NOT inc MATCHES "#include *\"(base|kiosk/model|oqs)/")
            string(APPEND problems "${f}: ${inc}: oqs/ includes only base/, kiosk/model/, oqs/\n")
        endif()
    endforeach()
endforeach()

# 4. The same rules for the includes of the sources (a header needs no link to be included).
file(GLOB_RECURSE core RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/kiosk/*.?pp ${SOURCE_DIR}/hal/*.?pp
    ${SOURCE_DIR}/base/*.?pp)
foreach(f ${core})
    file(STRINGS ${SOURCE_DIR}/${f} hits REGEX "#include *[<\"](SDL|imgui)")
    if(hits)
        string(APPEND problems "${f} includes SDL or ImGui\n")
    endif()
endforeach()
file(GLOB flowFiles RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/kiosk/flow/*.?pp)
foreach(f ${flowFiles})
    file(STRINGS ${SOURCE_DIR}/${f} includes REGEX "#include *\"")
    foreach(inc ${includes})
        if(NOT inc MATCHES "#include *\"(base|kiosk/model|kiosk/flow)/")
            string(APPEND problems "${f}: ${inc}: the flow includes only base/, kiosk/model/, kiosk/flow/\n")
        endif()
    endforeach()
endforeach()
file(GLOB_RECURSE deskFiles RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/desk/*.?pp
    ${SOURCE_DIR}/kiosk/model/*.?pp ${SOURCE_DIR}/base/*.?pp)
foreach(f ${deskFiles})
    file(STRINGS ${SOURCE_DIR}/${f} hits REGEX "#include *\"hal/")
    if(hits)
        string(APPEND problems "${f} includes the HAL\n")
    endif()
endforeach()

# 5. Not layering but the same kind of guard: ctest's discovery of Catch2 tests cuts a test name
# at ';' (a CMake list separator), and the cut name then matches nothing, so the test would
# "pass" without running. No test name may hold one.
file(GLOB_RECURSE testFiles RELATIVE ${SOURCE_DIR} ${SOURCE_DIR}/tests/*.cpp)
foreach(f ${testFiles})
    file(STRINGS ${SOURCE_DIR}/${f} hits ENCODING UTF-8 REGEX "(TEST_CASE|SCENARIO)\\(\"[^\"]*[;]")
    # A name continued on the next line: an indented string with ';' that closes the TEST_CASE.
    file(STRINGS ${SOURCE_DIR}/${f} tails ENCODING UTF-8 REGEX "^ +\"[^\"]*[;][^\"]*\"\\)$")
    list(APPEND hits ${tails})
    if(hits)
        string(APPEND problems "${f}: a TEST_CASE or SCENARIO name holds ';', which ctest cuts (the test never runs)\n")
    endif()
endforeach()

if(problems)
    message(FATAL_ERROR "layering broken:\n${problems}")
endif()
list(LENGTH core n)
message(STATUS "layering holds (${n} core files checked)")
