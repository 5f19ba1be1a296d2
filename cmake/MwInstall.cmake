# install() rules for what is not a target: the configs, the systemd units and the Postfix
# snippets (the daemons, the CLI and the man pages install themselves where they are built).
# debian/rules passes -DCMAKE_INSTALL_SYSCONFDIR=/etc (dh does) and MW_SYSTEMD_UNIT_DIR.
include(GNUInstallDirs)
set(MW_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING "Where the systemd units are installed")

install(FILES etc/policyd.conf etc/dkim.conf etc/dnsbl.conf etc/spam.conf
        DESTINATION ${CMAKE_INSTALL_SYSCONFDIR}/mailwarden)
install(FILES systemd/mailwarden-policyd.service systemd/mailwarden-dkim.service
              systemd/mailwarden-dnsbl.service systemd/mailwarden-spam.service
        DESTINATION ${MW_SYSTEMD_UNIT_DIR})
# Never applied by us (the package does not edit Postfix's files): the user copies these lines.
install(FILES etc/postfix/main.cf.snippet etc/postfix/master.cf.snippet
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
