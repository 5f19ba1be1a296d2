#include <catch2/catch.hpp>

#include "common/milter/snapshot_session_factory.hpp"

using namespace mw::milter;

namespace {

struct Config {
    int generation = 0;
};

class TaggingSession : public Session {
public:
    explicit TaggingSession(std::shared_ptr<const Config> c) : config_(std::move(c)) {}
    Reply on_eom(MessageEdits& edits, const Macros&) override {
        edits.add_header("X-Generation", std::to_string(config_->generation));
        return Reply::cont();
    }

private:
    std::shared_ptr<const Config> config_;
};

int generation_of(Session& s) {
    MessageEdits e;
    s.on_eom(e, Macros{});
    return std::stoi(e.headers.at(0).value);
}

}  // namespace

TEST_CASE("SnapshotSessionFactory: a swap reaches new sessions only", "[milter]") {
    SnapshotSessionFactory<Config> f(std::make_shared<const Config>(Config{1}),
                                     [](std::shared_ptr<const Config> c) {
                                         return std::make_unique<TaggingSession>(std::move(c));
                                     });
    auto before = f.create();
    f.swap(std::make_shared<const Config>(Config{2}));
    auto after = f.create();
    CHECK(generation_of(*before) == 1);
    CHECK(generation_of(*after) == 2);
    CHECK(f.current()->generation == 2);
}

TEST_CASE("Session defaults continue and MessageEdits records in order", "[milter]") {
    Session s;
    CHECK(s.on_header("A", "b").kind == Reply::Kind::Continue);
    MessageEdits e;
    CHECK(e.empty());
    e.add_header("A", "1");
    e.insert_header(0, "B", "2");
    e.delete_header("C", 1);
    REQUIRE(e.headers.size() == 3);
    CHECK(e.headers[1].op == HeaderEdit::Op::Insert);
    CHECK(e.headers[2].op == HeaderEdit::Op::Change);
    CHECK(e.headers[2].value.empty());
    CHECK(Reply::reject("no").decides());
    CHECK_FALSE(Reply::quarantine("q").decides());
}
