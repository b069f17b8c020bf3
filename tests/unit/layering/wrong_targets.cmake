# A deliberately wrong layering, in the format of <build>/layering/targets.cmake, for tst_layering_rejects:
# cmake/check_layering.cmake must find every kind of violation here, and only those.
set(ODIS_LAYERS "odis_base=0;odis_storage=1;odis_sync_core=2;odis_sync_backend=3;odis_sync_neo=3;odis_agent_core=4")
set(ODIS_TARGETS odis_base odis_storage odis_sync_core odis_sync_backend odis_sync_neo odis_agent_core)
set(here "${CMAKE_CURRENT_LIST_DIR}")
set(ODIS_DIR_odis_base "${here}")
set(ODIS_DIR_odis_storage "${here}")
set(ODIS_DIR_odis_sync_core "${here}")
set(ODIS_DIR_odis_sync_backend "${here}")
set(ODIS_DIR_odis_sync_neo "${here}")
set(ODIS_DIR_odis_agent_core "${here}")
set(ODIS_LINKS_odis_base "Qt6::Core")
# direction: storage below sync/core
set(ODIS_LINKS_odis_storage "odis_base;odis_sync_core;odis_warnings")
# core-deps: pure logic with the network
set(ODIS_LINKS_odis_sync_core "odis_base;Qt6::Core;Qt6::Network")
# webengine: the backend side with QtWebEngine
set(ODIS_LINKS_odis_sync_backend "odis_sync_core;Qt6::Network;Qt6::WebEngineCore")
set(ODIS_LINKS_odis_sync_neo "odis_sync_core;Qt6::WebEngineCore")
# webengine-closure: the resident agent's library reaching the Neo session
set(ODIS_LINKS_odis_agent_core "odis_sync_neo")
# include: storage includes the backend's header; include-webengine: sync/core includes QtWebEngine
set(ODIS_SOURCES_odis_storage "storage_source.cpp")
set(ODIS_SOURCES_odis_sync_core "core_source.cpp")
set(ODIS_SOURCES_odis_sync_backend "backend_header.h")
