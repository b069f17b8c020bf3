# The layering, as data for tst_layering (cmake/check_layering.cmake): storage <- sync (core, neo,
# backend) <- agent <- ui. For every target of the program this writes, at generate time, what it links
# directly (LINK_LIBRARIES: PUBLIC and PRIVATE alike), its sources and its folder, into
# <build>/layering/targets.cmake. The check reads that file and fails on a link or include against the
# direction; it runs with the unit tests.
#
# Rank of each target: a target may link (and include from) targets of a lower rank only.
set(ODIS_LAYERS
    odis_base=0 odis_resources=0 odis_test_hooks=0
    odis_storage=1
    odis_sync_core=2
    odis_sync_backend=3 odis_sync_neo=3
    odis_agent_core=4
    odis_agent=5 odis-agent=5
    odis-agent-sync=6
    odis_ui=7)

set(_content "set(ODIS_LAYERS \"${ODIS_LAYERS}\")\n")
foreach(_entry IN LISTS ODIS_LAYERS)
    string(REPLACE "=" ";" _pair "${_entry}")
    list(GET _pair 0 _target)
    if(NOT TARGET ${_target})
        continue()
    endif()
    get_target_property(_type ${_target} TYPE)
    get_target_property(_dir ${_target} SOURCE_DIR)
    string(APPEND _content "list(APPEND ODIS_TARGETS ${_target})\n")
    string(APPEND _content "set(ODIS_DIR_${_target} \"${_dir}\")\n")
    if(_type STREQUAL "INTERFACE_LIBRARY")
        string(APPEND _content
            "set(ODIS_LINKS_${_target} \"$<TARGET_PROPERTY:${_target},INTERFACE_LINK_LIBRARIES>\")\n"
            "set(ODIS_SOURCES_${_target} \"$<TARGET_PROPERTY:${_target},HEADER_SET>\")\n")
    else()
        string(APPEND _content
            "set(ODIS_LINKS_${_target} \"$<TARGET_PROPERTY:${_target},LINK_LIBRARIES>\")\n")
        if(NOT _target STREQUAL "odis_resources")
            string(APPEND _content "set(ODIS_SOURCES_${_target} \"$<TARGET_PROPERTY:${_target},SOURCES>\")\n")
        endif()
    endif()
endforeach()
file(GENERATE OUTPUT ${PROJECT_BINARY_DIR}/layering/targets.cmake CONTENT "${_content}")
