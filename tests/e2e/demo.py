"""The README's demo: sample messages through the running e2e stack, and a table of what
happened to each, with the mailwarden log lines that explain it (scripts/demo.sh).

Each sample is one swaks transaction; its outcome is read from swaks' transcript (the SMTP
reply) and from the Maildir (delivered or not). No assertion here: the e2e cases test; this
shows.
"""

import re
import time

from cases import ALICE, ALICE_AUTH, FAIL_ORG, GTUBE, LISTED, PASS_ORG
from mail import MailLog, find_delivered, header_values, server_replies, swaks, token

SAMPLES = [
    ("legitimate mail (SPF pass)", dict(frm="bob@example.org", client=PASS_ORG)),
    ("forged sender (SPF fail)", dict(frm="bob@example.org", client=FAIL_ORG, helo="forger.example.net")),
    ("client on a DNS blocklist", dict(frm="someone@nospf.example.org", client=LISTED, helo="listed.example.net")),
    ("sender in sender_access", dict(frm="spammer@example.org", client=PASS_ORG)),
    ("authenticated submission (DKIM-signed)", dict(frm=ALICE, port=587, auth=ALICE_AUTH, helo="laptop.example.com")),
    ("spam (the GTUBE test string)", dict(frm="bob@example.org", client=PASS_ORG, gtube=True)),
]


def outcome(stack, rc, transcript, tag):
    if rc != 0:
        refusals = [r for r in server_replies(transcript) if re.match(r"^[45]\d\d ", r)]
        return "refused: " + (refusals[-1] if refusals else "swaks failed")
    try:
        msg = find_delivered(stack.maildir(ALICE), tag, timeout=10)
    except Exception:  # noqa: BLE001 - shown, not tested
        return "accepted, not (yet) delivered"
    notes = [f"Received-SPF: {v.split(' ', 1)[0]}" for v in header_values(msg, "Received-SPF")[:1]]
    notes += ["DKIM-Signature: " + re.sub(r".*?(d=[^;]+).*?(s=[^;]+).*", r"\1 \2", v.replace("\n", " "))
              for v in header_values(msg, "DKIM-Signature")[:1]]
    notes += [f"Authentication-Results: {v.split(';', 1)[-1].strip()[:60]}"
              for v in header_values(msg, "Authentication-Results")[:1]]
    notes += [f"X-Spam-Status: {v[:40]}" for v in header_values(msg, "X-Spam-Status")[:1]]
    folder = "Junk" if "/.Junk/" in msg_path(stack, tag) else "INBOX"
    return f"delivered to {folder}" + (" (" + "; ".join(notes) + ")" if notes else "")


def msg_path(stack, tag):
    for path in stack.maildir(ALICE).glob("**/new/*"):
        if tag in path.read_text(errors="replace"):
            return str(path)
    return ""


def run_demo(stack):
    log = MailLog(stack.mail_log)
    rows = []
    for title, sample in SAMPLES:
        log.mark()
        tag = token()
        kwargs = dict(sample)
        frm = kwargs.pop("frm")
        if kwargs.pop("gtube", False):
            data = (f"From: {frm}\r\nTo: {ALICE}\r\nSubject: {tag}\r\n\r\n{GTUBE}\r\n")
            rc, out = swaks(frm, ALICE, data=data, **kwargs)
        else:
            rc, out = swaks(frm, ALICE, subject=tag, **kwargs)
        result = outcome(stack, rc, out, tag)
        time.sleep(0.5)   # let the daemons' lines reach mail.log
        lines = [m.group(0) for m in re.finditer(r"mailwarden/\w+\[\d+\]: .*", log.text())]
        rows.append((title, result, lines))
    print("\n== what happened to each message\n")
    for title, result, lines in rows:
        print(f"* {title}\n    {result}")
        for line in lines:
            print(f"    {line}")
        print()
    return 0
