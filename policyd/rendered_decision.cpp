#include "policyd/rendered_decision.hpp"

#include "common/log/decision_line.hpp"

namespace mw::policyd {

namespace {

std::string log_fields_of(const Decision& d) {
    const auto fields = d.log_fields();
    if (fields.size() < 2) return {};
    // fields: check=result first, action last (Decision::log_fields' contract).
    log::DecisionLine line({}, fields.front().first, fields.front().second);
    for (std::size_t i = 1; i + 1 < fields.size(); ++i) line.add(fields[i].first, fields[i].second);
    return line.finish_fields(fields.back().second);
}

}  // namespace

RenderedPtr render(const Decision& d) {
    auto r = std::make_shared<RenderedDecision>();
    r->wire = d.reply().to_wire();
    r->replay_wire = d.action == ReplyAction::Prepend ? PolicyReply::dunno().to_wire() : r->wire;
    r->log_fields = log_fields_of(d);
    return r;
}

}  // namespace mw::policyd
