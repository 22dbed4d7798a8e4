# The Debian package: `cpack -G DEB` in a build configured with
# -DCMAKE_INSTALL_PREFIX=/usr makes sls_<version>_<arch>.deb from what
# cmake/install.cmake installs. Its dependencies come from dpkg-shlibdeps
# (the libraries the programs link) plus adduser for the postinst; the
# maintainer scripts and the conffile list are in dist/debian/.
set(CPACK_PACKAGE_NAME sls)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "sls")
set(CPACK_PACKAGE_CONTACT "sls maintainers <sls@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "two-factor authentication server")
set(CPACK_PACKAGE_DESCRIPTION
    "sls, the Secure Login System, checks a user name and password, then a\nsecurity device (challenge/response cards, code cards, SMS, a mobile\nauthenticator), locks accounts after repeated failures, and keeps a\nhash-chained audit log. The package holds the server slsd with its systemd\nunit, the service desk's client slsctl, the device emulator slstoken, the\nPAM module pam_sls.so, and their man pages.")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # sls_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/dist/debian/conffiles ${CMAKE_SOURCE_DIR}/dist/debian/postinst
    ${CMAKE_SOURCE_DIR}/dist/debian/prerm ${CMAKE_SOURCE_DIR}/dist/debian/postrm)
set(CPACK_STRIP_FILES ON)
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR}/package)
include(CPack)
