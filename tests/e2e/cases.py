"""The e2e cases, run in this order (faults last: they stop and restart servers).

Clients (played with XCLIENT) and domains, as served by unbound/rbldnsd (stack.py):
  192.0.2.10  SPF pass for example.org      192.0.2.20  SPF fail for example.org
  192.0.2.30  SPF pass for example.net (which signs with selector s1)
  192.0.2.66  listed in bl.mailwarden-e2e.net (rbldnsd)
  alice@example.com  the Dovecot user (SASL password alice-secret), Maildir under BASE/mail
"""

import os
import re
import signal
import time
from pathlib import Path

import dkim

from mail import Session, find_delivered, header_values, not_delivered, server_replies, swaks, token
from stack import alive, backdate, wait_for

ALICE = "alice@example.com"
ALICE_AUTH = ("alice@example.com", "alice-secret")
PASS_ORG = ("192.0.2.10", "mail.example.org")
FAIL_ORG = ("192.0.2.20", "forger.example.net")
PASS_NET = ("192.0.2.30", "mail.example.net")
LISTED = ("192.0.2.66", "listed.example.net")

ALL = []


def case(fn):
    ALL.append(fn)
    return fn


def selected(names):
    if not names:
        return list(ALL)
    by_name = {c.__name__: c for c in ALL}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise SystemExit(f"unknown case(s): {' '.join(unknown)}")
    return [by_name[n] for n in names]


def expect(cond, what, detail=""):
    if not cond:
        raise AssertionError(f"{what}\n{detail}")


def rejected_with(transcript, pattern):
    return any(re.search(pattern, line) for line in server_replies(transcript))


# ---- inbound ---------------------------------------------------------------------------------
@case
def spf_pass_delivered(stack, log):
    tag = token()
    rc, out = swaks("bob@example.org", ALICE, client=PASS_ORG, subject=tag)
    expect(rc == 0, "SPF pass: swaks failed", out)
    msg = find_delivered(stack.maildir(ALICE), tag)
    spf = header_values(msg, "Received-SPF")
    expect(spf and spf[0].lower().startswith("pass"), "no Received-SPF: pass header", msg)
    expect("client-ip=192.0.2.10" in spf[0], "Received-SPF lacks the client address", spf[0])
    log.wait(r"mailwarden/policyd\[\d+\]: \w+: spf=pass .*client=\[192\.0\.2\.10\]")
    log.wait(r"postfix/lmtp\[\d+\]: \w+: to=<alice@example.com>.*status=sent")


@case
def spf_fail_rejected(stack, log):
    tag = token()
    rc, out = swaks("bob@example.org", ALICE, client=FAIL_ORG, subject=tag)
    expect(rc != 0, "SPF fail was accepted", out)
    expect(rejected_with(out, r"^550 5\.7\.23 .*Message rejected due to: SPF fail.*open-spf\.org"),
           "SPF fail not rejected at RCPT with our text", out)
    expect(not_delivered(stack.maildir(ALICE), tag), "SPF fail delivered")
    log.wait(r"mailwarden/policyd\[\d+\]: NOQUEUE: spf=fail identity=mailfrom "
             r"client=\[192\.0\.2\.20\].* action=reject")
    log.wait(r"postfix/smtpd\[\d+\]: NOQUEUE: reject: RCPT from forger\.example\.net\[192\.0\.2\.20\]: 550 5\.7\.23")


@case
def dnsbl_listed_rejected(stack, log):
    tag = token()
    rc, out = swaks("someone@nospf.example.org", ALICE, client=LISTED, helo="listed.example.net",
                    subject=tag)
    expect(rc != 0, "DNSBL-listed client accepted", out)
    # Postfix's default_rbl_reply, with rbldnsd's TXT ($ = the address) as the reason
    expect(rejected_with(out, r"^554 5\.7\.1 Service unavailable; Client host \[192\.0\.2\.66\] "
                              r"blocked using bl\.mailwarden-e2e\.net; Listed by the e2e list, see "
                              r"https://bl\.mailwarden-e2e\.net/lookup\?ip=192\.0\.2\.66"),
           "no default_rbl_reply text", out)
    log.wait(r"mailwarden/dnsbl\[\d+\]: NOQUEUE: dnsbl=\S+ client=listed\.example\.net\[192\.0\.2\.66\]"
             r".*action=reject")
    log.wait(r"postfix/smtpd\[\d+\]: NOQUEUE: milter-reject: RCPT from listed\.example\.net\[192\.0\.2\.66\]: 554 5\.7\.1")


@case
def sender_blocklisted(stack, log):
    tag = token()
    rc, out = swaks("spammer@example.org", ALICE, client=PASS_ORG, subject=tag)
    expect(rc != 0, "blocklisted sender accepted", out)
    expect(rejected_with(out, r"^5\d\d 5\.\d+\.\d+ .*<spammer@example\.org>: Sender address rejected: "
                              r"e2e blocked sender"), "not rejected with the table's text", out)
    expect(not_delivered(stack.maildir(ALICE), tag), "blocklisted sender delivered")
    log.wait(r"mailwarden/dnsbl\[\d+\]: .*from=spammer@example\.org.*action=reject")
    log.wait(r"postfix/smtpd\[\d+\]: NOQUEUE: milter-reject: RCPT from mail\.example\.org\[192\.0\.2\.10\]")


GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"


@case
def gtube_filed_into_junk(stack, log):
    """GTUBE: X-Spam-Flag: YES and the subject tag from mailwarden-spam, then Dovecot's Sieve files
    it into Junk; an ordinary message from the same client lands in INBOX with X-Spam-Status: No."""
    tag = token()
    data = (f"From: bob@example.org\r\nTo: {ALICE}\r\nSubject: {tag}\r\n"
            f"Message-ID: <{tag}@example.org>\r\n\r\nThis is the GTUBE:\r\n{GTUBE}\r\n")
    rc, out = swaks("bob@example.org", ALICE, client=PASS_ORG, data=data)
    expect(rc == 0, "GTUBE message refused (reject_score is off)", out)
    junk = stack.maildir(ALICE) / ".Junk"
    msg = find_delivered(junk, tag)
    expect(header_values(msg, "X-Spam-Flag") == ["YES"], "no X-Spam-Flag: YES", msg)
    status = header_values(msg, "X-Spam-Status")
    expect(status and status[0].startswith("Yes, score=") and "GTUBE" in status[0], "no X-Spam-Status: Yes", msg)
    expect(header_values(msg, "Subject")[0].startswith("[SPAM] "), "no subject tag", msg)
    log.wait(r"mailwarden/spam\[\d+\]: \w+: spam=yes score=\S+ required=5\.0 tests=\S*GTUBE\S* action=continue")

    ham = token()
    rc, out = swaks("bob@example.org", ALICE, client=PASS_ORG, subject=ham)
    expect(rc == 0, "ham refused", out)
    inbox = find_delivered(stack.maildir(ALICE), ham)
    expect(not_delivered(junk, ham, settle=0), "ham filed into Junk")
    status = header_values(inbox, "X-Spam-Status")
    expect(status and status[0].startswith("No, score="), "no X-Spam-Status: No on ham", inbox)
    expect(not header_values(inbox, "X-Spam-Flag"), "X-Spam-Flag on ham", inbox)


def zone_dnsfunc(stack):
    """dkimpy's DNS lookups answered from the records unbound serves (stack.keys)."""
    records = {f"{k['selector']}._domainkey.{d}.": "".join(k["txt"]) for d, k in stack.keys.items()}
    return lambda name, timeout=5: records.get(name.decode() if isinstance(name, bytes) else name, "").encode()


def crlf(text):
    return text.replace("\r\n", "\n").replace("\n", "\r\n").encode()


@case
def submission_dkim_signed(stack, log):
    tag = token()
    rc, out = swaks(ALICE, ALICE, port=587, auth=ALICE_AUTH, helo="laptop.example.com",
                    subject=tag)
    expect(rc == 0, "authenticated submission failed", out)
    msg = find_delivered(stack.maildir(ALICE), tag)
    sigs = header_values(msg, "DKIM-Signature")
    expect(sigs and "d=example.com" in sigs[0] and "s=e2e" in sigs[0], "not signed by example.com/e2e", msg)
    expect(dkim.verify(crlf(msg), dnsfunc=zone_dnsfunc(stack)), "dkimpy rejects our signature", msg)
    # and tampering breaks it (the check can fail)
    expect(not dkim.verify(crlf(msg.replace(f"body of {tag}", "body changed")),
                           dnsfunc=zone_dnsfunc(stack)), "dkimpy accepts a tampered body")
    log.wait(r"mailwarden/dkim\[\d+\]: \w+: dkim=sign\S* .*d=example\.com")


@case
def inbound_signed_dkim_pass(stack, log):
    tag = token()
    key = stack.keys["example.net"]
    raw = (f"From: carol@example.net\r\nTo: {ALICE}\r\nSubject: {tag}\r\n"
           f"Message-ID: <{tag}@example.net>\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n\r\n"
           f"signed body of {tag}\r\n").encode()
    sig = dkim.sign(raw, key["selector"].encode(), b"example.net", key["private"].read_bytes(),
                    include_headers=[b"from", b"to", b"subject", b"message-id", b"date"])
    rc, out = swaks("carol@example.net", ALICE, client=PASS_NET, helo="mail.example.net",
                    data=(sig + raw).decode())
    expect(rc == 0, "signed inbound mail refused", out)
    msg = find_delivered(stack.maildir(ALICE), tag)
    ar = header_values(msg, "Authentication-Results")
    expect(ar and ar[0].startswith("mx.example.com;") and "dkim=pass" in ar[0]
           and "header.d=example.net" in ar[0], "no dkim=pass for example.net", msg)
    log.wait(r"mailwarden/dkim\[\d+\]: \w+: dkim=pass.*example\.net")


# ---- faults ----------------------------------------------------------------------------------
def kill_mid_session(stack, name, tag):
    """Opens a session, passes RCPT, SIGKILLs daemon name, then sends DATA; returns DATA's reply."""
    session = Session(PASS_ORG)
    try:
        code, msg = session.mail_rcpt("bob@example.org", ALICE)
        expect(code == 250, f"RCPT refused before the kill: {code} {msg}")
        proc = stack.procs.pop(name)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        expect(not alive(proc.pid), f"{name} still running after SIGKILL")
        return session.data(f"From: bob@example.org\r\nTo: {ALICE}\r\nSubject: {tag}\r\n\r\n{tag}\r\n")
    finally:
        session.close()


@case
def milter_killed_accept(stack, log):
    """milter_default_action = accept (README): the message goes through unfiltered."""
    tag = token()
    code, msg = kill_mid_session(stack, "dkim", tag)
    expect(code == 250, f"DATA not accepted with the milter dead: {code} {msg}")
    find_delivered(stack.maildir(ALICE), tag)
    log.wait(r"postfix/(smtpd|cleanup)\[\d+\]: warning: .*milter unix:mailwarden/dkim\.sock")
    stack.start_daemon("dkim")


@case
def milter_killed_tempfail(stack, log):
    """milter_default_action = tempfail: 4xx at DATA, nothing queued or delivered; the retry
    once the milter is back is delivered, so the message is never lost."""
    stack.postconf("milter_default_action = tempfail")
    try:
        tag = token()
        code, msg = kill_mid_session(stack, "dnsbl", tag)
        expect(400 <= code < 500, f"not a temporary failure with the milter dead: {code} {msg}")
        expect(not_delivered(stack.maildir(ALICE), tag), "delivered although DATA got 4xx")
        expect(not stack.queue_ids(), "a message sits in the queue after a 4xx", str(stack.queue_ids()))
        log.wait(r"postfix/(smtpd|cleanup)\[\d+\]: warning: .*milter unix:mailwarden/dnsbl\.sock")
        stack.start_daemon("dnsbl")
        rc, out = swaks("bob@example.org", ALICE, client=PASS_ORG, subject=tag)
        expect(rc == 0, "retry after the milter came back failed", out)
        find_delivered(stack.maildir(ALICE), tag)
    finally:
        stack.postconf("milter_default_action = accept")


@case
def reload_bad_config_keeps_old(stack, log):
    """SIGUSR1 with a broken policyd.conf: error logged, the old settings stay. The bad file
    also turns SPF rejection off, so a rejection afterwards shows the old file still rules."""
    conf = stack.conf / "policyd.conf"
    good = conf.read_text()
    proc = stack.procs["policyd"]
    try:
        conf.write_text(good + "mail_from_reject = false\nlookup_time = banana\n")
        proc.send_signal(signal.SIGUSR1)
        log.wait(r"mailwarden/policyd\[\d+\]: .*policyd\.conf:\d+.*lookup_time")
        expect(alive(proc.pid), "policyd died on a bad reload")
        rc, out = swaks("bob@example.org", ALICE, client=FAIL_ORG, subject=token())
        expect(rejected_with(out, r"^550 5\.7\.23 "), "old config not kept: SPF fail accepted", out)
    finally:
        conf.write_text(good)
        backdate(conf)
        proc.send_signal(signal.SIGUSR1)
    # after a good reload the decision lines still carry the tag and PID (log parsers use it)
    time.sleep(0.5)
    log.mark()
    swaks("bob@example.org", ALICE, client=FAIL_ORG, subject=token())
    log.wait(rf"mailwarden/policyd\[{proc.pid}\]: NOQUEUE: spf=fail .*client=\[192\.0\.2\.20\]")


@case
def dns_down_temperror_defer(stack, log):
    """unbound stopped: policyd's lookups fail, temperror_defer = yes answers 451 4.7.24."""
    stack.stop_unbound()
    try:
        tag = token()
        rc, out = swaks("bob@down.example.org", ALICE, client=PASS_ORG, subject=tag)
        expect(rc != 0, "accepted with DNS down", out)
        expect(rejected_with(out, r"^451 4\.7\.24 "), "no 451 4.7.24 temperror defer", out)
        log.wait(r"mailwarden/policyd\[\d+\]: NOQUEUE: spf=temperror .*action=defer")
    finally:
        stack.start_unbound()


