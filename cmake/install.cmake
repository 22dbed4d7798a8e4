# Where `cmake --install` puts sls (GNU install dirs), and the files made for
# it: the man pages and the systemd unit with their paths filled in. Included
# by CMakeLists.txt once the programs are defined. With the prefix /usr (the
# Debian package) the configuration goes to /etc/sls and the libraries to the
# multiarch folder, as GNUInstallDirs decides.
include(GNUInstallDirs)

# The PAM module's folder: lib/<multiarch>/security under the prefix on Debian.
set(SLS_PAM_MODULE_DIR "${CMAKE_INSTALL_LIBDIR}/security" CACHE STRING
    "Where pam_sls.so is installed (relative to the prefix, or absolute)")
set(SLS_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING
    "Where slsd.service is installed (relative to the prefix, or absolute)")
set(SLS_SYSUSERS_DIR "lib/sysusers.d" CACHE STRING
    "Where the sysusers.d(5) file of the user sls is installed (relative to the prefix, or absolute)")

if(IS_ABSOLUTE "${SLS_SYSUSERS_DIR}")
  set(SLS_FULL_SYSUSERS_DIR "${SLS_SYSUSERS_DIR}")
else()
  set(SLS_FULL_SYSUSERS_DIR "${CMAKE_INSTALL_PREFIX}/${SLS_SYSUSERS_DIR}")
endif()
set(SLS_FULL_SBINDIR "${CMAKE_INSTALL_FULL_SBINDIR}")
set(SLS_CONF_FILE "${CMAKE_INSTALL_FULL_SYSCONFDIR}/sls/sls.conf")
set(SLS_EXAMPLE_DIR "${CMAKE_INSTALL_FULL_DOCDIR}/examples")
if(IS_ABSOLUTE "${SLS_SYSTEMD_UNIT_DIR}")
  set(SLS_UNIT_DIR "${SLS_SYSTEMD_UNIT_DIR}")
else()
  set(SLS_UNIT_DIR "${CMAKE_INSTALL_PREFIX}/${SLS_SYSTEMD_UNIT_DIR}")
endif()

if(IS_ABSOLUTE "${SLS_PAM_MODULE_DIR}")
  set(SLS_FULL_PAM_MODULE_DIR "${SLS_PAM_MODULE_DIR}")
else()
  set(SLS_FULL_PAM_MODULE_DIR "${CMAKE_INSTALL_PREFIX}/${SLS_PAM_MODULE_DIR}")
endif()

# The pages are filled in at configure time (build/man, read by the ctest
# install.man) and installed gzipped (-n: no name or time inside, so the
# package is reproducible), as Debian policy asks.
set(SLS_MAN_PAGES slstoken.1 sls.conf.5 slsd.8 slsctl.8)
if(TARGET pam_sls)
  list(APPEND SLS_MAN_PAGES pam_sls.8)
endif()
find_program(GZIP gzip REQUIRED)
set(SLS_MAN_GZ "")
foreach(page ${SLS_MAN_PAGES})
  configure_file(${CMAKE_SOURCE_DIR}/man/${page}.in ${CMAKE_BINARY_DIR}/man/${page} @ONLY)
  string(REGEX MATCH "[0-9]$" section ${page})
  add_custom_command(
    OUTPUT ${CMAKE_BINARY_DIR}/man-gz/${page}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man-gz
    COMMAND ${GZIP} -9 -n -c ${CMAKE_BINARY_DIR}/man/${page} > ${CMAKE_BINARY_DIR}/man-gz/${page}.gz
    DEPENDS ${CMAKE_BINARY_DIR}/man/${page}
    COMMENT "gzip ${page}")
  list(APPEND SLS_MAN_GZ ${CMAKE_BINARY_DIR}/man-gz/${page}.gz)
  install(FILES ${CMAKE_BINARY_DIR}/man-gz/${page}.gz
          DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()
add_custom_target(sls_man_pages ALL DEPENDS ${SLS_MAN_GZ})
configure_file(${CMAKE_SOURCE_DIR}/dist/slsd.service.in ${CMAKE_BINARY_DIR}/dist/slsd.service
               @ONLY)

# slsd runs as a service, slsctl is run by the service desk's agents (not
# only root), slstoken by anyone.
install(TARGETS slsd DESTINATION ${CMAKE_INSTALL_SBINDIR})
install(TARGETS slsctl slstoken DESTINATION ${CMAKE_INSTALL_BINDIR})
# The PAM module, once it exists (SPEC §10.6); nothing to install before.
if(TARGET pam_sls)
  install(TARGETS pam_sls LIBRARY DESTINATION ${SLS_PAM_MODULE_DIR})
endif()
install(FILES ${CMAKE_SOURCE_DIR}/dist/sls.conf DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/sls
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
install(FILES ${CMAKE_SOURCE_DIR}/dist/sls.conf DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples)
install(FILES ${CMAKE_BINARY_DIR}/dist/slsd.service DESTINATION ${SLS_SYSTEMD_UNIT_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/dist/sls.sysusers DESTINATION ${SLS_SYSUSERS_DIR}
        RENAME sls.conf)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/docs/configuration.md
              ${CMAKE_SOURCE_DIR}/docs/operations.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The machine-readable copyright file (DEP-5) a Debian package carries.
install(FILES ${CMAKE_SOURCE_DIR}/dist/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
# The changelog in the Debian format, gzipped: what lintian wants of a package
# that is its own upstream (a native package).
add_custom_command(
  OUTPUT ${CMAKE_BINARY_DIR}/dist/changelog.gz
  COMMAND ${GZIP} -9 -n -c ${CMAKE_SOURCE_DIR}/dist/changelog > ${CMAKE_BINARY_DIR}/dist/changelog.gz
  DEPENDS ${CMAKE_SOURCE_DIR}/dist/changelog
  COMMENT "gzip changelog")
add_custom_target(sls_changelog ALL DEPENDS ${CMAKE_BINARY_DIR}/dist/changelog.gz)
install(FILES ${CMAKE_BINARY_DIR}/dist/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
