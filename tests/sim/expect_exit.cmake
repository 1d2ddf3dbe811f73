# cmake -DPROGRAM=... -DARGS=a;b -DEXPECT=2 [-DSTDERR_LINES=1] [-DSTDOUT_MATCH=regex]
#       -P expect_exit.cmake
# Runs PROGRAM with ARGS and fails unless it exits with EXPECT; optionally checks that stderr
# has exactly STDERR_LINES lines (the "one clear line" of the command-line contract) and that
# stdout matches STDOUT_MATCH.
execute_process(COMMAND ${PROGRAM} ${ARGS} RESULT_VARIABLE status OUTPUT_VARIABLE out
    ERROR_VARIABLE err)
if(NOT status EQUAL EXPECT)
    message(FATAL_ERROR "${PROGRAM} ${ARGS}: exit ${status}, expected ${EXPECT}\n${err}")
endif()
if(DEFINED STDERR_LINES)
    string(REGEX MATCHALL "\n" newlines "${err}")
    list(LENGTH newlines lines)
    if(NOT lines EQUAL STDERR_LINES)
        message(FATAL_ERROR "expected ${STDERR_LINES} line(s) on stderr, got ${lines}:\n${err}")
    endif()
endif()
if(DEFINED STDOUT_MATCH AND NOT out MATCHES "${STDOUT_MATCH}")
    message(FATAL_ERROR "stdout does not match '${STDOUT_MATCH}':\n${out}")
endif()
message(STATUS "exit ${status}")
