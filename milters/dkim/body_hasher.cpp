#include "milters/dkim/body_hasher.hpp"

namespace mw::dkim {

void BodyHasher::hash(std::string_view canonical) {
    std::string_view part = canonical;
    if (limit_) {
        const std::uint64_t room = *limit_ > length_ ? *limit_ - length_ : 0;
        if (part.size() > room) part = part.substr(0, room);
    }
    sha_.update(part);
    length_ += canonical.size();
}

void BodyHasher::feed(std::string_view chunk) {
    scratch_.clear();
    canon_.feed(chunk, scratch_);
    hash(scratch_);
}

Digest BodyHasher::finish() {
    scratch_.clear();
    canon_.finish(scratch_);
    hash(scratch_);
    return sha_.finish();
}

}  // namespace mw::dkim
