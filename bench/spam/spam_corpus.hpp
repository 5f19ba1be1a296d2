// SpamCorpus: the labelled messages spam_load sends: every `*.eml` file under CORPUS/ham and
// CORPUS/spam, read whole and split the way an MTA hands a message to a milter
// (milter::MailMessage: an mbox "From " first line dropped, folds kept). Files larger than
// limits::kMaxMilterMessage, or that do not split into headers and body, are counted as skipped,
// not sent. Sorted by name, so every run sends the same order. Loading does I/O; the loaded
// corpus is immutable and may be shared by threads.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/base/result.hpp"
#include "common/milter/mail_message.hpp"

namespace mw::bench {

struct CorpusMessage {
    std::string name;       // "ham/FILE" or "spam/FILE"
    bool spam = false;
    std::string sender;     // the Return-Path address when the file has one, else empty
    milter::MailMessage message;
};

struct SpamCorpus {
    std::vector<CorpusMessage> messages;
    std::size_t skipped = 0;

    static Result<SpamCorpus> load(const std::string& dir);
};

}  // namespace mw::bench
