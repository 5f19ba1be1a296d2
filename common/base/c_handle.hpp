// unique_ptr with a C deleter, for library handles (ub_ctx, SPF_server_t, EVP_PKEY, ...).
#pragma once

#include <memory>

namespace mw {

template <auto Fn>
struct CDeleter {
    template <typename T>
    void operator()(T* p) const { if (p) Fn(p); }
};

template <typename T, auto Fn>
using CHandle = std::unique_ptr<T, CDeleter<Fn>>;

}  // namespace mw
