// Replays every file of the given corpus directories (or files) through LLVMFuzzerTestOneInput,
// so that the g++ build runs each fuzz target's corpus as a regression test (Knot's
// tests-fuzz/main.c idea). Prints "N passed, 0 failed"; a crash fails the test.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

int main(int argc, char** argv) {
    namespace fs = std::filesystem;
    std::vector<fs::path> files;
    for (int i = 1; i < argc; ++i) {
        const fs::path p(argv[i]);
        if (fs::is_directory(p)) {
            for (const auto& e : fs::directory_iterator(p))
                if (e.is_regular_file()) files.push_back(e.path());
        } else {
            files.push_back(p);
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "no corpus files\n");
        return 1;
    }
    for (const auto& f : files) {
        std::string data;
        if (FILE* in = std::fopen(f.c_str(), "rb")) {
            char buf[65536];
            for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, in)) > 0;) data.append(buf, n);
            std::fclose(in);
        }
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    }
    std::printf("%zu passed, 0 failed\n", files.size());
    return 0;
}
