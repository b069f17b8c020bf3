# Compiler settings shared by every target: warnings (errors in CI) and ccache when it is installed.

find_program(ODIS_CCACHE ccache)
if(ODIS_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${ODIS_CCACHE}")
endif()

add_library(odis_warnings INTERFACE)
target_compile_options(odis_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wcast-align -Woverloaded-virtual
    -Wformat=2 -Wimplicit-fallthrough -Wno-missing-field-initializers)
if(ODIS_WERROR)
    target_compile_options(odis_warnings INTERFACE -Werror)
endif()

# What ships is built hardened as Debian builds its packages (dpkg-buildflags, plus BIND_NOW): the
# libraries the program is made of and the program itself, not the tests and simulators. Fortify needs
# optimisation, so not in Debug.
add_library(odis_hardening INTERFACE)
target_compile_options(odis_hardening INTERFACE -fstack-protector-strong
    $<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
target_link_options(odis_hardening INTERFACE -Wl,-z,relro -Wl,-z,now)

# odis_module(<target> SOURCES ... [LIBS ...]) : one static library per folder, warnings on, hardened.
function(odis_module target)
    cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
    add_library(${target} STATIC ${ARG_SOURCES})
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${target} PUBLIC ${ARG_LIBS} PRIVATE odis_warnings odis_hardening)
endfunction()
