# tst_test_hooks_scan: the product's sources (storage, sync, agent, ui) read the environment only by a
# variable named in the call, never one of ours (ODIS_...), except agent/test_hooks.cpp, the one reader of
# the test hooks, which a package build compiles out (agent/test_hooks.h). A new seam that reads its
# variable directly would survive into packages: this fails on it.
#   cmake -DSOURCE_DIR=<repo> -P cmake/check_test_hooks.cmake
cmake_minimum_required(VERSION 3.25)
set(READERS "qEnvironmentVariable[A-Za-z]*|qgetenv|getenv|secure_getenv|systemEnvironment\\(\\)\\.value")
set(HOOKS_FILE "agent/test_hooks.cpp")

set(found "")
set(reads 0)
file(GLOB_RECURSE sources RELATIVE "${SOURCE_DIR}"
    "${SOURCE_DIR}/storage/*.h" "${SOURCE_DIR}/storage/*.cpp" "${SOURCE_DIR}/sync/*.h" "${SOURCE_DIR}/sync/*.cpp"
    "${SOURCE_DIR}/agent/*.h" "${SOURCE_DIR}/agent/*.cpp" "${SOURCE_DIR}/agent/*.mm"
    "${SOURCE_DIR}/ui/*.h" "${SOURCE_DIR}/ui/*.cpp")
foreach(source IN LISTS sources)
    file(STRINGS "${SOURCE_DIR}/${source}" lines REGEX "(${READERS})[ \t]*\\(")
    foreach(line IN LISTS lines)
        string(REGEX MATCHALL "(${READERS})[ \t]*\\([^)]*\\)?" calls "${line}")
        foreach(call IN LISTS calls)
            math(EXPR reads "${reads} + 1")
            if(source STREQUAL HOOKS_FILE)
                continue()
            endif()
            # The variable must be a literal naming someone else's variable (XDG_, DBUS_, QT_, DISPLAY...),
            # or a constant of the same file defined as one.
            if(call MATCHES "\\([ \t]*([A-Za-z_][A-Za-z0-9_:]*)[ \t]*\\)")
                string(REGEX REPLACE ".*::" "" constant "${CMAKE_MATCH_1}")
                file(STRINGS "${SOURCE_DIR}/${source}" definition REGEX "[ \t]${constant}[ \t]*(=|\\{)[ \t]*\"")
                if(definition MATCHES "${constant}[ \t]*(=|\\{)[ \t]*\"([A-Z][A-Z0-9_]*)\"")
                    set(call "(\"${CMAKE_MATCH_2}\")")
                endif()
            endif()
            if(NOT call MATCHES "\\([ \t]*\"([A-Z][A-Z0-9_]*)\"" OR CMAKE_MATCH_1 MATCHES "^ODIS_")
                message("test hooks: ${source}: ${call}")
                list(APPEND found "${source}")
            endif()
        endforeach()
    endforeach()
endforeach()

if(reads EQUAL 0)
    message(FATAL_ERROR "test hooks: no environment read found at all; is SOURCE_DIR right? (${SOURCE_DIR})")
endif()
if(found)
    message(FATAL_ERROR "test hooks: read them through odis::agent::testHook() (agent/test_hooks.h) only")
endif()
message("test hooks: ${reads} environment reads, the ODIS_ ones all through ${HOOKS_FILE}")
