"""The e2e mail stack: namespace plumbing and the start/stop of every server.

Runs inside the namespace scripts/e2e.sh creates (unshare --net --mount --pid): it brings up
loopback, gives the namespace its own /dev (for its own /dev/log) and /etc/resolv.conf
(127.0.0.1), then starts rsyslog, rbldnsd, unbound, Dovecot, the three mailwarden daemons and a
Postfix instance with its own config and queue directories, all under one temp dir (BASE).
Nothing here touches the machine's Postfix, Dovecot or resolver: the mounts are private to
the namespace, and the namespace dies with its PID 1 (run_e2e.py).
"""

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

E2E_DIR = Path(__file__).resolve().parent
CONF_TEMPLATES = E2E_DIR / "conf"
DEV_NODES = ("null", "zero", "full", "random", "urandom", "tty")
# Postfix waits ~1 s on main.cf or tables younger than a second: backdate what we write.
BACKDATE = "-1 minute"
# mailwarden-spam compiles the stock rules (~4-5 s of CPU) before it listens.
START_TIMEOUT = 30.0


def run(cmd, check=True, **kw):
    """Runs a command, output captured; raises with the output on failure when check."""
    res = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kw)
    if check and res.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} -> {res.returncode}\n{res.stdout}")
    return res


def wait_for(what, predicate, timeout=START_TIMEOUT, step=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise RuntimeError(f"timed out waiting for {what}")


def process_state(pid):
    """One-letter state from /proc (Z = zombie, i.e. dead); None when gone. kill -0 is not
    enough: a dead child stays a zombie until someone reaps it."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2]


def alive(pid):
    return process_state(pid) not in (None, "Z", "X")


class Stack:
    def __init__(self, repo, build, base):
        self.repo = Path(repo)
        self.build = Path(build)
        self.base = Path(base)
        self.dirs = {k: self.base / k for k in ("conf", "queue", "data", "run", "log", "mail")}
        self.procs = {}
        self.daemon_user = "mailwarden" if _user_exists("mailwarden") else "nobody"
        self.binaries = {
            "policyd": self.build / "policyd/mailwarden-policyd",
            "dkim": self.build / "milters/dkim/mailwarden-dkim",
            "dnsbl": self.build / "milters/dnsbl/mailwarden-dnsbl",
            "spam": self.build / "milters/spam/mailwarden-spam",
            "mailwarden": self.build / "tools/mailwarden",
        }

    # ---- paths -------------------------------------------------------------------------------
    @property
    def conf(self):
        return self.dirs["conf"]

    @property
    def queue(self):
        return self.dirs["queue"]

    @property
    def mail_log(self):
        return self.dirs["log"] / "mail.log"

    def maildir(self, user):
        return self.dirs["mail"] / user / "Maildir"

    # ---- namespace ---------------------------------------------------------------------------
    def setup_namespace(self):
        run(["ip", "link", "set", "lo", "up"])
        self.base.chmod(0o755)  # postfix, dovecot and nobody walk into it
        for d in self.dirs.values():
            d.mkdir(mode=0o755, exist_ok=True)
        self._private_dev()
        resolv = self.dirs["run"] / "resolv.conf"
        resolv.write_text("nameserver 127.0.0.1\n")
        run(["mount", "--bind", str(resolv), "/etc/resolv.conf"])

    def _private_dev(self):
        """A tmpfs /dev holding the few device nodes the servers open, so rsyslog can create
        this namespace's own /dev/log without touching the machine's /dev."""
        host_dev = self.dirs["run"] / "hostdev"
        host_dev.mkdir()
        run(["mount", "--rbind", "/dev", str(host_dev)])
        run(["mount", "-t", "tmpfs", "-o", "mode=755", "tmpfs", "/dev"])
        for node in DEV_NODES:
            Path("/dev", node).touch()
            run(["mount", "--bind", str(host_dev / node), f"/dev/{node}"])
        Path("/dev/shm").mkdir()
        run(["mount", "-t", "tmpfs", "-o", "mode=1777", "tmpfs", "/dev/shm"])
        os.symlink("/proc/self/fd", "/dev/fd")
        for i, name in enumerate(("stdin", "stdout", "stderr")):
            os.symlink(f"/proc/self/fd/{i}", f"/dev/{name}")
        # Detach the machine's /dev from the temp dir at once (the node binds stay): a later
        # recursive delete of BASE must never reach the real /dev through this mount.
        run(["umount", "--recursive", "--lazy", str(host_dev)])
        if os.path.ismount(host_dev) or any(host_dev.iterdir()):
            raise RuntimeError(f"{host_dev} still holds the machine's /dev")

    # ---- configuration -----------------------------------------------------------------------
    def variables(self):
        d = self.dirs
        return {"BASE": self.base, "CONF": d["conf"], "QUEUE": d["queue"], "DATA": d["data"],
                "RUN": d["run"], "LOG": d["log"], "MAIL": d["mail"],
                "DAEMON_USER": self.daemon_user}

    def render(self, template, dest=None, extra=None):
        text = (CONF_TEMPLATES / template).read_text()
        for key, value in {**self.variables(), **(extra or {})}.items():
            text = text.replace(f"@{key}@", str(value))
        out = self.conf / (dest or template.removesuffix(".in"))
        out.write_text(text)
        backdate(out)
        return out

    def write_configs(self):
        self.keys = {}
        keys = self.conf / "keys"
        keys.mkdir(mode=0o700)
        self.keys["example.com"] = self._keygen("example.com", "e2e", keys)
        other = self.dirs["data"] / "example.net-keys"  # the remote signer's key, not ours
        other.mkdir()
        self.keys["example.net"] = self._keygen("example.net", "s1", other)
        self.render("unbound.conf.in", extra={"ZONES": self._zone_lines()})
        for name in ("main.cf.in", "master.cf.in", "dovecot.conf.in", "rsyslog.conf.in",
                     "policyd.conf.in", "dkim.conf.in", "dnsbl.conf.in", "spam.conf.in"):
            self.render(name)
        for name in ("junk.sieve", "sender_access", "bl.zone"):
            shutil.copy(CONF_TEMPLATES / name, self.conf / name)
            backdate(self.conf / name)
        # nobody (the mail user) cannot write the compiled global script next to it
        run(["sievec", "-c", str(self.conf / "dovecot.conf"), str(self.conf / "junk.sieve")])
        (self.conf / "dovecot.passwd").write_text("alice@example.com:{PLAIN}alice-secret\n")

    def _keygen(self, domain, selector, folder):
        run([self.binaries["mailwarden"], "dkim", "keygen", "--domain", domain,
             "--selector", selector, "--dir", str(folder)])
        txt = (folder / f"{selector}.txt").read_text()
        return {"selector": selector, "private": folder / f"{selector}.private",
                "txt": re.findall(r'"([^"]*)"', txt)}

    def _zone_lines(self):
        records = [
            # example.org: SPF pass for 192.0.2.10, fail for anyone else
            "example.org. 300 IN TXT \"v=spf1 ip4:192.0.2.10 -all\"",
            # example.net: SPF pass for 192.0.2.30; signs with s1
            "example.net. 300 IN TXT \"v=spf1 ip4:192.0.2.30 -all\"",
            "example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.40 -all\"",
            "mx.example.com. 300 IN A 127.0.0.1",
        ]
        for domain, key in self.keys.items():
            strings = " ".join(f'"{s}"' for s in key["txt"])
            records.append(f"{key['selector']}._domainkey.{domain}. 300 IN TXT {strings}")
        lines = [f'  local-zone: "{z}." static' for z in ("example.org", "example.net", "example.com")]
        lines += [f"  local-data: '{r}'" for r in records]
        return "\n".join(lines)

    # ---- servers -----------------------------------------------------------------------------
    def spawn(self, name, cmd):
        log = open(self.dirs["log"] / f"{name}.out", "ab")
        self.procs[name] = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log,
                                            stderr=subprocess.STDOUT)
        log.close()
        return self.procs[name]

    def wait_started(self, name, what, predicate):
        """Waits for predicate, failing at once (with its output) if the process died."""
        proc = self.procs[name]

        def check():
            if proc.poll() is not None:
                out = (self.dirs["log"] / f"{name}.out").read_text(errors="replace")
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{out}")
            return predicate()
        wait_for(what, check)

    def start_all(self):
        self.start_rsyslog()
        self.start_rbldnsd()
        self.start_unbound()
        self.start_dovecot()
        for name in ("policyd", "dkim", "dnsbl", "spam"):
            self.start_daemon(name)
        self.start_postfix()

    def start_rsyslog(self):
        (self.dirs["data"] / "rsyslog").mkdir(exist_ok=True)
        self.spawn("rsyslog", ["rsyslogd", "-n", "-f", str(self.conf / "rsyslog.conf"),
                               "-i", str(self.dirs["run"] / "rsyslogd.pid")])
        self.wait_started("rsyslog", "/dev/log", lambda: Path("/dev/log").exists())

    def start_rbldnsd(self):
        zone_dir = self.dirs["data"] / "rbldnsd"
        zone_dir.mkdir(mode=0o755, exist_ok=True)
        shutil.copy(self.conf / "bl.zone", zone_dir / "bl.zone")
        self.spawn("rbldnsd", ["rbldnsd", "-n", "-b", "127.0.0.1/5353", "-w", str(zone_dir),
                               "-c", "1s", "bl.mailwarden-e2e.net:ip4set:bl.zone"])
        self.wait_started("rbldnsd", "rbldnsd", lambda: _udp_answers("127.0.0.1", 5353))

    def start_unbound(self):
        self.spawn("unbound", ["unbound", "-d", "-c", str(self.conf / "unbound.conf")])
        self.wait_started("unbound", "unbound", lambda: _udp_answers("127.0.0.1", 53))

    def stop_unbound(self):
        self.stop("unbound")

    def start_dovecot(self):
        (self.dirs["data"] / "dovecot").mkdir(exist_ok=True)
        mail = self.dirs["mail"]
        shutil.chown(mail, "nobody", "nogroup")
        self.spawn("dovecot", ["dovecot", "-F", "-c", str(self.conf / "dovecot.conf")])
        self.wait_started("dovecot", "dovecot sockets", lambda: all(
            (self.dirs["run"] / s).exists() for s in ("dovecot-lmtp", "dovecot-auth")))

    def daemon_cmd(self, name):
        return [str(self.binaries[name]), "-f", "-c", str(self.conf / f"{name}.conf")]

    def start_daemon(self, name):
        (self.dirs["data"] / name).mkdir(exist_ok=True)
        shutil.chown(self.dirs["data"] / name, self.daemon_user)
        sockets = self.queue / "mailwarden"
        if not sockets.exists():
            # as the package's postinst makes /var/spool/postfix/mailwarden
            sockets.mkdir(mode=0o750)
            shutil.chown(sockets, "root", "postfix")
        private = self.queue / "private"
        if not private.exists():
            private.mkdir(mode=0o700)
            shutil.chown(private, "postfix")
        self.spawn(name, self.daemon_cmd(name))
        self.wait_started(name, f"{name} socket", lambda: self.daemon_socket(name).exists())

    def daemon_socket(self, name):
        if name == "policyd":
            return self.queue / "private/mailwarden-policyd"
        return self.queue / f"mailwarden/{name}.sock"

    def start_postfix(self):
        data = self.dirs["data"] / "postfix"
        data.mkdir(mode=0o700, exist_ok=True)
        shutil.chown(data, "postfix")
        run(["postfix", "-c", str(self.conf), "check"])
        run(["postfix", "-c", str(self.conf), "start"])
        wait_for("postfix smtpd", lambda: _tcp_open("127.0.0.1", 25)
                 and _tcp_open("127.0.0.1", 587))

    def postconf(self, *settings):
        run(["postconf", "-c", str(self.conf), "-e", *settings])
        backdate(self.conf / "main.cf")
        run(["postfix", "-c", str(self.conf), "reload"])
        time.sleep(1.2)  # master restarts its children lazily; let old smtpd processes go

    def queue_ids(self):
        out = run(["postqueue", "-c", str(self.conf), "-j"], check=False).stdout
        return re.findall(r'"queue_id": "([0-9A-Za-z]+)"', out)

    def stop(self, name, sig=signal.SIGTERM, timeout=10):
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def stop_all(self):
        run(["postfix", "-c", str(self.conf), "stop"], check=False)
        for name in list(self.procs):
            self.stop(name)


def backdate(path):
    run(["touch", "-d", BACKDATE, str(path)])


def _user_exists(name):
    return run(["getent", "passwd", name], check=False).returncode == 0


def _tcp_open(host, port):
    import socket
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _udp_answers(host, port):
    """Any DNS reply to a '. SOA' query shows the server is up."""
    import socket
    query = bytes.fromhex("123401000001000000000000") + b"\x00\x00\x06\x00\x01"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(0.3)
        try:
            s.sendto(query, (host, port))
            return len(s.recv(512)) >= 12
        except OSError:
            return False
