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

set(SLS_MAN_PAGES slstoken.1 sls.conf.5 slsd.8 slsctl.8)
foreach(page ${SLS_MAN_PAGES})
  configure_file(${CMAKE_SOURCE_DIR}/man/${page}.in ${CMAKE_BINARY_DIR}/man/${page} @ONLY)
  string(REGEX MATCH "[0-9]$" section ${page})
  install(FILES ${CMAKE_BINARY_DIR}/man/${page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()
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
