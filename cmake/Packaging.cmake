# Install rules for everything around the binary, and the CPack .deb.
#
#   cmake --build build/release && cd build/release && cpack -G DEB
#
# works from any build tree (dev, asan, release); tests/packaging/test_deb.sh builds, unpacks and
# runs the package. The binary's own install rule is in app/CMakeLists.txt.
include(GNUInstallDirs)

set(_ts_res ${PROJECT_SOURCE_DIR}/resources)
set(_ts_pkg ${PROJECT_SOURCE_DIR}/packaging)

install(FILES ${_ts_res}/tablesync.desktop DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
install(FILES ${_ts_res}/icons/tablesync.svg DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
install(FILES ${_ts_res}/tablesync.metainfo.xml DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
# lib/, not ${CMAKE_INSTALL_LIBDIR}: systemd looks in /usr/lib/systemd/system, never in a multiarch dir.
install(FILES ${_ts_pkg}/systemd/tablesync.service DESTINATION lib/systemd/system)
install(FILES ${_ts_pkg}/systemd/tablesync.sysusers DESTINATION lib/sysusers.d RENAME tablesync.conf)
# The demo's tables.json and schema double as the examples: the packaging test syncs them with the
# unpacked binary, so the shipped examples are known to work.
install(FILES
        ${_ts_pkg}/examples/tablesync.env
        ${_ts_pkg}/demo/tables.json
        ${_ts_pkg}/demo/demo-schema.sql
    DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)

# qt_standard_project_setup() gives installed targets an RPATH of $ORIGIN:$ORIGIN/../lib, meant for
# bundles that carry their own Qt. The binary links its own libraries statically and takes Qt from
# the system, so the installed copy gets none: /usr/bin/tablesync must never pick up a stray library
# from /usr/bin or /usr/lib ahead of the system's search path (lintian flags such an RPATH too).
if(TARGET tablesync)
    set_target_properties(tablesync PROPERTIES INSTALL_RPATH "")
endif()

set(TABLESYNC_PACKAGE_MAINTAINER "tablesync maintainers <root@localhost>"
    CACHE STRING "Maintainer field of the .deb (name <email>)")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME tablesync)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${TABLESYNC_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "keeps MySQL/MariaDB tables in step with a source database")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
# Debug symbols stay in the build tree; the package gets the stripped binary.
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION database)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The synopsis line comes from CPACK_PACKAGE_DESCRIPTION_SUMMARY; this is the extended description.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "tablesync copies tables from a source MySQL/MariaDB database to a target and keeps
them in step: incremental tables move only changed rows, full-refresh tables are
swapped in atomically, new source columns are added to the target. It is a Qt
desktop application, and the same binary runs headless as a systemd service
(tablesync.service) with an HTTP health endpoint. It reads the .env and
tables.json of the dlt pipeline it replaces, unchanged.")
# dpkg-shlibdeps derives the library dependencies (Qt modules, libc, ...) from the binary, so a Qt
# module added later is declared without touching this file. The QMYSQL driver is a plugin loaded
# at run time, invisible to shlibdeps: it is named here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-mysql")
# The postinst uses systemd-sysusers, or else useradd from passwd, which is of priority required and
# so on every Debian system (debian:12-slim included): no dependency is declared for it.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${_ts_pkg}/deb/postinst ${_ts_pkg}/deb/prerm ${_ts_pkg}/deb/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
