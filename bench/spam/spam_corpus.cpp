#include "bench/spam/spam_corpus.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>

#include "common/base/limits.hpp"

namespace mw::bench {

namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || size > limits::kMaxMilterMessage) return std::nullopt;
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return std::nullopt;
    return text;
}

// The envelope sender smtpd would have seen: the address in the first Return-Path field.
std::string return_path(const milter::MailMessage& m) {
    for (const auto& h : m.headers()) {
        if (h.name.size() != 11 || !std::equal(h.name.begin(), h.name.end(), "Return-Path",
                                               [](char a, char b) { return (a | 0x20) == (b | 0x20); }))
            continue;
        const auto open = h.raw_value.find('<');
        const auto close = h.raw_value.find('>', open == std::string::npos ? 0 : open);
        if (open == std::string::npos || close == std::string::npos) return {};
        std::string address = h.raw_value.substr(open + 1, close - open - 1);
        const bool plain = std::none_of(address.begin(), address.end(),
                                        [](unsigned char c) { return c <= ' ' || c >= 0x7f || c == '<'; });
        return plain ? address : std::string();
    }
    return {};
}

Result<bool> load_folder(const fs::path& dir, bool spam, SpamCorpus& corpus) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().extension() != ".eml") continue;
        const auto text = read_file(entry.path());
        auto message = text ? milter::MailMessage::parse(*text) : Result<milter::MailMessage>(fail(ErrorCode::Io, "unreadable"));
        if (!message) {
            ++corpus.skipped;
            continue;
        }
        std::string name = (spam ? "spam/" : "ham/") + entry.path().filename().string();
        std::string sender = return_path(*message);
        corpus.messages.push_back({std::move(name), spam, std::move(sender), std::move(*message)});
    }
    if (ec) return fail(ErrorCode::Io, "cannot list " + dir.string() + ": " + ec.message());
    return true;
}

}  // namespace

Result<SpamCorpus> SpamCorpus::load(const std::string& dir) {
    SpamCorpus corpus;
    for (const bool spam : {false, true}) {
        auto ok = load_folder(fs::path(dir) / (spam ? "spam" : "ham"), spam, corpus);
        if (!ok) return fail(ok.error());
    }
    std::sort(corpus.messages.begin(), corpus.messages.end(),
              [](const CorpusMessage& a, const CorpusMessage& b) { return a.name < b.name; });
    if (corpus.messages.empty()) return fail(ErrorCode::Invalid, "no *.eml messages under " + dir);
    return corpus;
}

}  // namespace mw::bench
