#!/usr/bin/python3
"""DKIM interop with dkimpy (Debian python3-dkim), no network: keys come from a DNS file.

  dkim_interop_test.py TOOL CASE WORKDIR

TOOL is the dkim_interop binary (our signer/verifier). CASE is one of
  ours-to-dkimpy-rsa, ours-to-dkimpy-ed25519, ours-to-dkimpy-dual: we sign, dkimpy verifies;
  dkimpy-to-ours-rsa, dkimpy-to-ours-ed25519: dkimpy signs, we verify;
  dkimpy-testdata: we verify the signed messages dkimpy ships for its own tests.
(OpenDKIM is not here: Debian's opendkim-testmsg signs only rsa-sha1 and verifies only from
live DNS; OpenDKIM interop needs opendkim as a milter, in the daemon tier.)
Every message in messages/ is tried in all four canonicalizations, and each signed message is
also tampered with to check that the verifier says fail. Prints "N passed, N failed".
"""
import base64
import os
import subprocess
import sys

import dkim

HERE = os.path.dirname(os.path.abspath(__file__))
CANONS = ["simple/simple", "simple/relaxed", "relaxed/simple", "relaxed/relaxed"]
DOMAIN = "example.com"


def run(cmd, data=None):
    return subprocess.run(cmd, input=data, capture_output=True, check=False)


def der_of(pem_path, *args):
    return run(["openssl", "pkey", "-in", pem_path, "-outform", "DER"] + list(args)).stdout


def make_key(workdir, kind, selector):
    """Returns (pem path, dkimpy private key bytes, TXT record)."""
    pem = os.path.join(workdir, f"{selector}.pem")
    if kind == "rsa":
        run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pem])
        pub = base64.b64encode(der_of(pem, "-pubout")).decode()
        return pem, open(pem, "rb").read(), f"v=DKIM1; k=rsa; p={pub}"
    run(["openssl", "genpkey", "-algorithm", "ED25519", "-out", pem])
    seed = der_of(pem)[-32:]                # PKCS#8: the seed is the last 32 bytes
    pub = der_of(pem, "-pubout")[-32:]      # SubjectPublicKeyInfo: the raw key last
    return pem, base64.b64encode(seed), f"v=DKIM1; k=ed25519; p={base64.b64encode(pub).decode()}"


class Dns:
    def __init__(self, path):
        self.path = path
        self.records = {}

    def add(self, selector, domain, txt):
        self.records[f"{selector}._domainkey.{domain}"] = txt
        with open(self.path, "w") as f:
            for name, value in self.records.items():
                f.write(f"{name} {value}\n")

    def __call__(self, name, timeout=5):
        return self.records.get(name.decode().rstrip("."), "").encode() or None


def messages():
    for name in sorted(os.listdir(os.path.join(HERE, "messages"))):
        with open(os.path.join(HERE, "messages", name), "rb") as f:
            yield name, f.read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def tamper(msg):
    head, sep, body = msg.partition(b"\r\n\r\n")
    return head + sep + body + b"tampered\r\n"


def dkimpy_verify_all(msg, dns):
    d = dkim.DKIM(msg)
    count = sum(1 for line in msg.split(b"\r\n\r\n")[0].split(b"\r\n") if line.lower().startswith(b"dkim-signature:"))
    try:
        return count > 0 and all(d.verify(idx=i, dnsfunc=dns) for i in range(count))
    except dkim.DKIMException:  # dkimpy raises on some failures (body hash mismatch)
        return False


class Tally:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}")


def ours_to_dkimpy(tool, workdir, kinds, tally):
    dns = Dns(os.path.join(workdir, "dns.txt"))
    keys = []
    for i, kind in enumerate(kinds):
        pem, _, txt = make_key(workdir, kind, f"sel{i}")
        dns.add(f"sel{i}", DOMAIN, txt)
        keys += [f"sel{i}", pem]
    for name, msg in messages():
        for canon in CANONS:
            out = run([tool, "sign", canon, DOMAIN] + keys, msg)
            what = f"{name} {canon} {'+'.join(kinds)}"
            tally.check(out.returncode == 0 and dkimpy_verify_all(out.stdout, dns), f"dkimpy verifies ours: {what}")
            tally.check(not dkimpy_verify_all(tamper(out.stdout), dns), f"dkimpy rejects tampered: {what}")


def dkimpy_to_ours(tool, workdir, kind, tally):
    dns = Dns(os.path.join(workdir, "dns.txt"))
    _, private, txt = make_key(workdir, kind, "py")
    dns.add("py", DOMAIN, txt)
    alg = b"rsa-sha256" if kind == "rsa" else b"ed25519-sha256"
    for name, msg in messages():
        for canon in CANONS:
            h, b = canon.encode().split(b"/")
            signed = dkim.sign(msg, b"py", DOMAIN.encode(), private, canonicalize=(h, b),
                               signature_algorithm=alg) + msg
            what = f"{name} {canon} {kind}"
            ours = run([tool, "verify", dns.path, "1"], signed)
            tally.check(ours.returncode == 0, f"we verify dkimpy: {what}: {ours.stdout.decode().strip()}")
            bad = run([tool, "verify", dns.path, "1"], tamper(signed))
            tally.check(bad.returncode == 1 and bad.stdout.startswith(b"fail"), f"we reject tampered: {what}")


def dkimpy_testdata(tool, workdir, tally):
    data = os.path.join(os.path.dirname(dkim.__file__), "tests", "data")
    dns = Dns(os.path.join(workdir, "dns.txt"))
    with open(os.path.join(data, "eximtest.dns")) as f:
        dns.add("sed", "test.ex", f.read().strip())
    dns.add("brisbane", "football.example.com", "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")
    with open(os.path.join(data, "ed25519test2.msg"), "rb") as f:
        out = run([tool, "verify", dns.path, "1"], f.read())
    tally.check(out.returncode == 0, f"Exim's ed25519 message: {out.stdout.decode().strip()}")
    # RFC 8463's message signed simple/simple: the Ed25519 field (the RSA key is not published).
    with open(os.path.join(data, "rfc6376.signed.msg"), "rb") as f:
        out = run([tool, "verify", dns.path, "2"], f.read())
    tally.check(out.stdout.startswith(b"pass d=football.example.com s=brisbane"),
                f"dkimpy's rfc6376.signed.msg: {out.stdout.decode().strip()}")


def main():
    tool, case, workdir = sys.argv[1:4]
    os.makedirs(workdir, exist_ok=True)
    tally = Tally()
    if case.startswith("ours-to-dkimpy-"):
        kind = case.rsplit("-", 1)[1]
        ours_to_dkimpy(tool, workdir, ["rsa", "ed25519"] if kind == "dual" else [kind], tally)
    elif case.startswith("dkimpy-to-ours-"):
        dkimpy_to_ours(tool, workdir, case.rsplit("-", 1)[1], tally)
    elif case == "dkimpy-testdata":
        dkimpy_testdata(tool, workdir, tally)
    else:
        sys.exit(f"unknown case {case}")
    print(f"{tally.passed} passed, {tally.failed} failed")
    sys.exit(1 if tally.failed or not tally.passed else 0)


if __name__ == "__main__":
    main()
