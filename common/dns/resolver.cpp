#include "common/dns/resolver.hpp"

#include <condition_variable>
#include <mutex>

namespace mw::dns {

const char* to_string(Rcode r) {
    switch (r) {
        case Rcode::NoError: return "NOERROR";
        case Rcode::NxDomain: return "NXDOMAIN";
        case Rcode::ServFail: return "SERVFAIL";
        case Rcode::Refused: return "REFUSED";
        case Rcode::Timeout: return "TIMEOUT";
        case Rcode::Error: return "ERROR";
    }
    return "ERROR";
}

const char* to_string(RrType t) {
    switch (t) {
        case RrType::A: return "A";
        case RrType::NS: return "NS";
        case RrType::CNAME: return "CNAME";
        case RrType::SOA: return "SOA";
        case RrType::PTR: return "PTR";
        case RrType::MX: return "MX";
        case RrType::TXT: return "TXT";
        case RrType::AAAA: return "AAAA";
        case RrType::SPF: return "SPF";
    }
    return "?";
}

bool Answer::is_void() const {
    return rcode == Rcode::NxDomain || (rcode == Rcode::NoError && size() == 0);
}

namespace {

// Collects the answers of a batch; shared with the callbacks, which may outlive the caller's
// wait only in the sense that they run after it returned (late answers are then dropped).
struct Batch {
    std::mutex mu;
    std::condition_variable cv;
    std::vector<Answer> answers;
    std::vector<bool> done;
    std::size_t pending = 0;
};

}  // namespace

Answer Resolver::query(std::string_view name, RrType type, Deadline deadline) {
    return std::move(query_many({Question{std::string(name), type}}, deadline).front());
}

std::vector<Answer> Resolver::query_many(const std::vector<Question>& qs, Deadline deadline) {
    auto batch = std::make_shared<Batch>();
    batch->answers.resize(qs.size());
    batch->done.assign(qs.size(), false);
    batch->pending = qs.size();
    for (std::size_t i = 0; i < qs.size(); ++i) {
        submit(qs[i], deadline, [batch, i](Answer a) {
            std::lock_guard lock(batch->mu);
            if (batch->done[i]) return;
            batch->answers[i] = std::move(a);
            batch->done[i] = true;
            if (--batch->pending == 0) batch->cv.notify_all();
        });
    }
    std::unique_lock lock(batch->mu);
    batch->cv.wait_until(lock, deadline.at(), [&] { return batch->pending == 0; });
    // Whatever has not answered by the deadline is a timeout, even if the implementation is late.
    for (std::size_t i = 0; i < qs.size(); ++i) {
        if (batch->done[i]) continue;
        batch->done[i] = true;
        batch->answers[i].rcode = Rcode::Timeout;
        batch->answers[i].why = "no answer by the deadline";
    }
    batch->pending = 0;
    return std::move(batch->answers);
}

}  // namespace mw::dns
