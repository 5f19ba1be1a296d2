# The scanner (compiled rules, header texts, native eval tests, auth facts) and the milter
# session; then the executable and its man page. Included by CMakeLists.txt once the parts exist.
if(TARGET mw_spam_mime AND TARGET mw_spam_regex AND TARGET mw_spam_rules)
  mw_add_library(mw_spam_core
    SOURCES
      scan/address_list.cpp scan/header_text.cpp scan/rfc822_date.cpp scan/freemail_domains.cpp scan/auth_facts.cpp scan/eval_registry.cpp
      scan/eval_auth.cpp scan/eval_header.cpp scan/eval_mime.cpp scan/eval_html.cpp
      scan/compiled_rules.cpp scan/spam_scanner.cpp
      scan/capture_regex.cpp scan/received_relays.cpp scan/received_shapes.cpp scan/relay_trust.cpp
      scan/eval_relay.cpp scan/eval_body.cpp scan/eval_misc.cpp scan/body_emails.cpp scan/eval_freemail.cpp
      spam_headers.cpp params.cpp spam_settings.cpp message_scorer.cpp scorer_pool.cpp spam_lint.cpp spam_session.cpp
    LINKS mw_spam_mime mw_spam_regex mw_spam_rules mw_authres mw_mail mw_milter mw_daemon mw_config mw_log mw_net mw_base)
  target_compile_definitions(mw_spam_core PRIVATE MW_SPAM_VERSION="${PROJECT_VERSION}")
  # scan/capture_regex.cpp: PCRE2 with capture groups for the Received-header shapes.
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(PCRE2 REQUIRED IMPORTED_TARGET libpcre2-8)
  target_link_libraries(mw_spam_core PRIVATE PkgConfig::PCRE2)

  mw_add_executable(mailwarden-spam SOURCES main.cpp LINKS mw_spam_core mw_milter_driver mw_dns)
  target_compile_definitions(mailwarden-spam PRIVATE MW_VERSION="${PROJECT_VERSION}")
  install(TARGETS mailwarden-spam DESTINATION sbin)
  mw_add_man_page(mailwarden-spam ${CMAKE_CURRENT_SOURCE_DIR}/mailwarden-spam.8.in)
endif()
