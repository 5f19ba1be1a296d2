#include "milters/dkim/dkim_signer.hpp"

#include <fmt/format.h>

#include "common/base/ascii.hpp"
#include "milters/dkim/base64.hpp"
#include "milters/dkim/header_hash.hpp"

namespace mw::dkim {
namespace {

constexpr std::size_t kFoldWidth = 78;  // RFC 5322 §2.1.1 SHOULD
constexpr std::string_view kFold = "\r\n\t";
constexpr std::string_view kFieldName = "DKIM-Signature";

// Appends tag strings separated by "; ", folding before a tag that would pass kFoldWidth.
class FoldedValue {
public:
    FoldedValue() : column_(kFieldName.size() + 1) {}
    void add(std::string_view tag) {
        if (!text_.empty()) {
            text_ += ';';
            ++column_;
        }
        if (column_ + 1 + tag.size() > kFoldWidth && !text_.empty()) {
            text_ += kFold;
            column_ = 8;
        } else {
            text_ += ' ';
            ++column_;
        }
        text_ += tag;
        column_ += tag.size();
    }
    // One tag given as tokens (h=), folded between tokens only.
    void add_list(const std::vector<std::string>& tokens) {
        add(tokens.front());
        for (std::size_t i = 1; i < tokens.size(); ++i) {
            if (column_ + tokens[i].size() > kFoldWidth) {
                text_ += kFold;
                column_ = 8;
            }
            text_ += tokens[i];
            column_ += tokens[i].size();
        }
    }
    // b= last: its value is split across lines (FWS inside base64 is allowed, §3.5).
    void add_b(std::string_view b64) {
        add("b=");
        for (std::size_t pos = 0; pos < b64.size();) {
            if (column_ >= kFoldWidth) {
                text_ += kFold;
                column_ = 8;
            }
            const std::size_t n = std::min(b64.size() - pos, kFoldWidth - column_);
            text_.append(b64.substr(pos, n));
            column_ += n;
            pos += n;
        }
    }
    const std::string& text() const { return text_; }

private:
    std::string text_;
    std::size_t column_;
};

// h= tokens: "h=From:", "To:", ..., "Date"; FoldedValue::add_list() folds between them.
std::vector<std::string> header_tag_tokens(const std::vector<std::string>& names) {
    std::vector<std::string> tokens;
    for (std::size_t i = 0; i < names.size(); ++i)
        tokens.push_back((i == 0 ? "h=" : "") + names[i] + (i + 1 < names.size() ? ":" : ""));
    return tokens;
}

std::string unsigned_value(const SigningKey& k, const SignerOptions& o, const std::vector<std::string>& names,
                           std::string_view bh, std::uint64_t now, FoldedValue& v) {
    v.add("v=1");
    v.add(fmt::format("a={}", algorithm_name(k.key.algorithm())));
    v.add(fmt::format("c={}", canonicalization_text(o.canon)));
    v.add(fmt::format("d={}", k.domain));
    v.add(fmt::format("s={}", k.selector));
    v.add(fmt::format("t={}", now));
    if (o.expire_after) v.add(fmt::format("x={}", now + *o.expire_after));
    v.add_list(header_tag_tokens(names));
    v.add(fmt::format("bh={}", bh));
    FoldedValue with_empty_b = v;
    with_empty_b.add("b=");
    return with_empty_b.text();
}

}  // namespace

const std::vector<std::string>& default_signed_headers() {
    static const std::vector<std::string> kList = {
        "From", "Reply-To", "Subject", "Date", "To", "Cc", "Resent-Date", "Resent-From",
        "Resent-To", "Resent-Cc", "In-Reply-To", "References", "List-Id", "List-Help",
        "List-Unsubscribe", "List-Subscribe", "List-Post", "List-Owner", "List-Archive",
        "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding"};
    return kList;
}

std::vector<std::string> signed_header_names(const std::vector<MessageHeader>& headers,
                                             const SignerOptions& options) {
    std::vector<std::string> names;
    for (const auto& want : options.headers) {
        std::size_t count = 0;
        for (const auto& h : headers) count += iequals_ascii(h.name, want) ? 1 : 0;
        bool over = false;
        for (const auto& o : options.oversign) over = over || iequals_ascii(o, want);
        names.insert(names.end(), count + (over ? 1 : 0), want);
    }
    for (const auto& o : options.oversign) {  // oversigned names missing from `headers` list
        bool listed = false;
        for (const auto& want : options.headers) listed = listed || iequals_ascii(o, want);
        if (listed) continue;
        std::size_t count = 0;
        for (const auto& h : headers) count += iequals_ascii(h.name, o) ? 1 : 0;
        names.insert(names.end(), count + 1, o);
    }
    return names;
}

MessageSigner::MessageSigner(std::vector<SigningKey> keys, SignerOptions options)
    : keys_(std::move(keys)), options_(std::move(options)), body_(options_.canon.body) {}

Result<std::vector<MessageHeader>> MessageSigner::finish(const std::vector<MessageHeader>& headers,
                                                         std::uint64_t now) {
    const Digest digest = body_.finish();
    const std::string bh = base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
    const auto names = signed_header_names(headers, options_);
    std::vector<MessageHeader> out;
    for (const auto& key : keys_) {
        FoldedValue value;
        const std::string unsigned_text = unsigned_value(key, options_, names, bh, now, value);
        HeaderHashInput in{&headers, &names, std::nullopt, kFieldName, unsigned_text, options_.canon.header};
        auto data = header_hash_data(in);
        if (!data) return fail(data.error());
        auto sig = key.key.sign(*data);
        if (!sig) return fail(sig.error());
        value.add_b(base64_encode(*sig));
        out.push_back(MessageHeader{std::string(kFieldName), value.text()});
    }
    return out;
}

}  // namespace mw::dkim
