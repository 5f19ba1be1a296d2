// null_milter: a do-nothing libmilter milter, the floor of bench/dkim. It registers the same
// callbacks as a typical content milter (connect, HELO, MAIL, RCPT, each header, end of headers,
// body chunks, end of message, abort, close) and the header-editing actions, so libmilter
// negotiates the same steps and the MTA sends it everything a DKIM milter gets; every callback
// answers "continue" and end of message accepts with no edits. What it costs is what libmilter,
// the kernel and the protocol cost on their own.
//   usage: null_milter local:PATH
// libmilter handles SIGTERM/SIGHUP/SIGINT (smfi_main returns). A benchmark, not product code:
// the only file outside common/milter that includes <libmilter/mfapi.h> (tests/lint allows it).
#include <libmilter/mfapi.h>

#include <cstdio>

namespace {

sfsistat on_connect(SMFICTX*, char*, _SOCK_ADDR*) { return SMFIS_CONTINUE; }
sfsistat on_helo(SMFICTX*, char*) { return SMFIS_CONTINUE; }
sfsistat on_envfrom(SMFICTX*, char**) { return SMFIS_CONTINUE; }
sfsistat on_envrcpt(SMFICTX*, char**) { return SMFIS_CONTINUE; }
sfsistat on_header(SMFICTX*, char*, char*) { return SMFIS_CONTINUE; }
sfsistat on_eoh(SMFICTX*) { return SMFIS_CONTINUE; }
sfsistat on_body(SMFICTX*, unsigned char*, size_t) { return SMFIS_CONTINUE; }
sfsistat on_eom(SMFICTX*) { return SMFIS_CONTINUE; }
sfsistat on_abort(SMFICTX*) { return SMFIS_CONTINUE; }
sfsistat on_close(SMFICTX*) { return SMFIS_CONTINUE; }

char kName[] = "null_milter";

smfiDesc description() {
    smfiDesc d{};
    d.xxfi_name = kName;
    d.xxfi_version = SMFI_VERSION;
    d.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS;
    d.xxfi_connect = on_connect;
    d.xxfi_helo = on_helo;
    d.xxfi_envfrom = on_envfrom;
    d.xxfi_envrcpt = on_envrcpt;
    d.xxfi_header = on_header;
    d.xxfi_eoh = on_eoh;
    d.xxfi_body = on_body;
    d.xxfi_eom = on_eom;
    d.xxfi_abort = on_abort;
    d.xxfi_close = on_close;
    return d;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fputs("usage: null_milter local:PATH\n", stderr);
        return 2;
    }
    smfiDesc d = description();
    if (smfi_register(d) != MI_SUCCESS || smfi_setconn(argv[1]) != MI_SUCCESS ||
        smfi_opensocket(1) != MI_SUCCESS) {
        std::fprintf(stderr, "null_milter: cannot listen on %s\n", argv[1]);
        return 1;
    }
    return smfi_main() == MI_SUCCESS ? 0 : 1;
}
