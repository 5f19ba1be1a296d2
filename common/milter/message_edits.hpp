// MessageEdits: the changes a Session asks for at end of message (add, insert, change or delete
// headers; change the envelope sender; add or remove recipients), in the order given. Pure value
// type, filled by Session::on_eom and applied by the driver with smfi_addheader, smfi_insheader,
// smfi_chgheader, smfi_chgfrom, smfi_addrcpt, smfi_delrcpt. Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mw::milter {

struct HeaderEdit {
    enum class Op { Add, Insert, Change };
    Op op = Op::Add;
    std::string name;
    std::string value;   // Change with an empty value deletes the header
    int index = 0;       // Insert: position among all headers (0 = first); Change: 1-based
                         // occurrence of `name`
};

struct EnvelopeFrom {
    std::string address;   // "<user@example.org>"
    std::string args;      // ESMTP parameters, may be empty
};

struct MessageEdits {
    std::vector<HeaderEdit> headers;
    std::optional<EnvelopeFrom> new_from;
    std::vector<std::string> add_rcpts;
    std::vector<std::string> del_rcpts;

    /// Appends a header at the end of the header block.
    void add_header(std::string name, std::string value) {
        headers.push_back({HeaderEdit::Op::Add, std::move(name), std::move(value), 0});
    }
    /// Inserts a header before position `index` (0 = at the top).
    void insert_header(int index, std::string name, std::string value) {
        headers.push_back({HeaderEdit::Op::Insert, std::move(name), std::move(value), index});
    }
    /// Replaces the `index`-th (1-based) header called `name`; an empty value deletes it.
    void change_header(std::string name, int index, std::string value) {
        headers.push_back({HeaderEdit::Op::Change, std::move(name), std::move(value), index});
    }
    void delete_header(std::string name, int index) { change_header(std::move(name), index, {}); }

    bool empty() const {
        return headers.empty() && !new_from && add_rcpts.empty() && del_rcpts.empty();
    }
};

}  // namespace mw::milter
