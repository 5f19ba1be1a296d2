// ReplyMap: per-list reply templates, as Postfix's rbl_reply_maps with a texthash-like file:
// one "zone template..." entry per line (the zone is a site's display zone, "$dqs_key" kept;
// the template is the rest of the line), '#' comment lines and empty lines ignored, a line
// starting with white space continuing the previous one. Every template is parsed at load
// time; errors carry FILE:LINE. Zones are matched case-insensitively; the last entry for a zone
// wins, as in postmap. Limits: kMaxDnsblReplyMapFile bytes, kMaxDnsblReplyMapLine per logical
// line, kMaxDnsblReplyMapEntries entries. Immutable after loading; thread-safe to share.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "common/base/result.hpp"
#include "milters/dnsbl/reply_template.hpp"

namespace mw::dnsbl {

class ReplyMap {
public:
    /// Reads and parses `path`.
    static Result<ReplyMap> load(const std::string& path);
    /// Parses file contents; `file` names it in errors.
    static Result<ReplyMap> parse(std::string_view text, const std::string& file);

    /// The template for `zone`, or nullptr (the caller then uses default_rbl_reply).
    const ReplyTemplate* find(std::string_view zone) const;
    std::size_t size() const { return entries_.size(); }

private:
    Result<void> add_line(std::string_view line, const std::string& file, int line_no);

    std::map<std::string, ReplyTemplate> entries_;
};

}  // namespace mw::dnsbl
