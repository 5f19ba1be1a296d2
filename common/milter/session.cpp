#include "common/milter/session.hpp"

namespace mw::milter {

// Defaults: a milter overrides only the steps it cares about.
Reply Session::on_connect(const ConnectInfo&, const Macros&) { return Reply::cont(); }
Reply Session::on_helo(std::string_view, const Macros&) { return Reply::cont(); }
Reply Session::on_mail(const std::vector<std::string>&, const Macros&) { return Reply::cont(); }
Reply Session::on_rcpt(const std::vector<std::string>&, const Macros&) { return Reply::cont(); }
Reply Session::on_header(std::string_view, std::string_view) { return Reply::cont(); }
Reply Session::on_eoh(const Macros&) { return Reply::cont(); }
Reply Session::on_body(std::string_view) { return Reply::cont(); }
Reply Session::on_eom(MessageEdits&, const Macros&) { return Reply::cont(); }
void Session::on_abort() {}
void Session::on_close() {}

}  // namespace mw::milter
