"""Sending test mail and looking at what became of it: swaks sessions (XCLIENT plays the
remote client), a step-by-step SMTP session for faults injected mid-transaction, Maildir
delivery, the Postfix queue and mail.log."""

import re
import smtplib
import subprocess
import time
import uuid
from pathlib import Path

from stack import wait_for

DELIVERY_TIMEOUT = 15.0
LOG_TIMEOUT = 10.0


def token():
    """A unique tag put in the Subject so each case finds its own message."""
    return "e2e-" + uuid.uuid4().hex[:12]


def swaks(frm, to, client=None, helo="mail.example.org", port=25, data=None, subject=None,
          auth=None):
    """One SMTP transaction; returns (exit code, transcript). client = (addr, name) via XCLIENT."""
    cmd = ["swaks", "--server", f"127.0.0.1:{port}", "--from", frm, "--to", to,
           "--helo", helo, "--timeout", "60"]
    if client:
        cmd += ["--xclient-addr", client[0], "--xclient-name", client[1],
                "--xclient-helo", helo]
    if data is not None:
        cmd += ["--data", "-"]
    elif subject:
        cmd += ["--header", f"Subject: {subject}", "--body", f"body of {subject}\n"]
    if auth:
        cmd += ["--auth", "PLAIN", "--auth-user", auth[0], "--auth-password", auth[1]]
    res = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=90)
    return res.returncode, res.stdout


def server_replies(transcript):
    """The server's lines of a swaks transcript ('<-' and '<**' prefixes)."""
    return [l.split(" ", 1)[1] for l in transcript.splitlines()
            if l.startswith("<-") or l.startswith("<**")]


class Session:
    """An SMTP session driven one command at a time (smtplib), so a test can act between
    RCPT and DATA."""

    def __init__(self, client, helo="mail.example.org", port=25):
        self.smtp = smtplib.SMTP("127.0.0.1", port, timeout=60)
        self.smtp.ehlo("localhost")
        code, msg = self.smtp.docmd("XCLIENT", f"ADDR={client[0]} NAME={client[1]} HELO={helo}")
        if code != 220:
            raise RuntimeError(f"XCLIENT refused: {code} {msg}")
        self.smtp.ehlo(helo)

    def mail_rcpt(self, frm, to):
        code, msg = self.smtp.mail(frm)
        assert code == 250, (code, msg)
        return self.smtp.rcpt(to)

    def data(self, message):
        return self.smtp.data(message.encode())

    def close(self):
        try:
            self.smtp.quit()
        except smtplib.SMTPException:
            pass


def find_delivered(maildir, tag, timeout=DELIVERY_TIMEOUT):
    """The text of the message carrying tag in maildir (new/ or a subfolder's new/)."""
    def look():
        for path in Path(maildir).glob("**/new/*"):
            text = path.read_text(errors="replace")
            if tag in text:
                return text
        return None
    return wait_for(f"delivery of {tag} to {maildir}", look, timeout)


def not_delivered(maildir, tag, settle=1.0):
    time.sleep(settle)
    return not any(tag in p.read_text(errors="replace") for p in Path(maildir).glob("**/new/*"))


def header_values(message, name):
    """Unfolded values of one header field of a message's header section."""
    head = message.split("\n\n", 1)[0]
    unfolded = re.sub(r"\r?\n[ \t]+", " ", head)
    prefix = name.lower() + ":"
    return [l[len(prefix):].strip() for l in unfolded.splitlines() if l.lower().startswith(prefix)]


class MailLog:
    """mail.log, read from a mark so a case only sees its own lines."""

    def __init__(self, path):
        self.path = Path(path)
        self.offset = 0

    def mark(self):
        self.offset = self.path.stat().st_size if self.path.exists() else 0

    def text(self):
        if not self.path.exists():
            return ""
        with open(self.path, errors="replace") as f:
            f.seek(self.offset)
            return f.read()

    def wait(self, pattern, timeout=LOG_TIMEOUT):
        """The first line since the mark matching the regex pattern."""
        rx = re.compile(pattern)

        def look():
            for line in self.text().splitlines():
                if rx.search(line):
                    return line
            return None
        return wait_for(f"mail.log line /{pattern}/", look, timeout)
