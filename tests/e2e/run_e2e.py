"""mailwarden end-to-end tests: entry point inside the namespace (started by scripts/e2e.sh).

usage: run_e2e.py --repo DIR --build DIR --base DIR [--hold] [CASE...]
  --base   an empty temp dir for everything (configs, queue, mail.log, Maildirs); scripts/e2e.sh
           makes it and removes it after the namespace is gone, never from inside (where it
           could reach mounts)
  CASE     run only these cases (names as listed by --list); default all, in order
  --hold   after the cases, keep the stack up and open a shell in the namespace
  --demo   instead of the cases, send the README demo's sample messages and show what happened

As PID 1 of its own PID namespace the process forks: the parent only reaps orphans (Postfix's
master daemonizes and is re-parented here) and the child runs the tests. When PID 1 exits the
kernel kills everything left in the namespace, so no server outlives the run.
"""

import argparse
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cases  # noqa: E402
from mail import MailLog  # noqa: E402
from stack import Stack  # noqa: E402


def reap_as_init():
    """Run the tests in a child; reap every process re-parented to us until it ends."""
    child = os.fork()
    if child == 0:
        return
    status = 1
    while True:
        try:
            pid, wstatus = os.wait()
        except ChildProcessError:
            break
        if pid == child:
            status = os.waitstatus_to_exitcode(wstatus)
            break
    os._exit(status if status >= 0 else 1)


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--repo", required=True)
    p.add_argument("--build", required=True)
    p.add_argument("--base", required=True)
    p.add_argument("--hold", action="store_true")
    p.add_argument("--list", action="store_true")
    p.add_argument("--demo", action="store_true")
    p.add_argument("cases", nargs="*")
    return p.parse_args()


def run_cases(stack, names):
    log = MailLog(stack.mail_log)
    failed = []
    for case in cases.selected(names):
        log.mark()
        started = time.monotonic()
        try:
            case(stack, log)
            print(f"ok    {case.__name__} ({time.monotonic() - started:.1f}s)", flush=True)
        except Exception:  # noqa: BLE001 - a failed case is reported, the others still run
            failed.append(case.__name__)
            print(f"FAIL  {case.__name__}\n{traceback.format_exc()}", flush=True)
            print("---- mail.log since the case started:\n" + log.text()[-4000:], flush=True)
    return failed


def main():
    args = parse_args()
    if args.list:
        print("\n".join(c.__name__ for c in cases.ALL))
        return 0
    if os.getpid() == 1:
        reap_as_init()
    base = args.base
    stack = Stack(args.repo, args.build, base)
    failed = ["bring-up"]
    try:
        stack.setup_namespace()
        stack.write_configs()
        stack.start_all()
        print(f"stack up in {base}", flush=True)
        if args.demo:
            import demo  # noqa: E402 - only the demo needs it
            failed = [] if demo.run_demo(stack) == 0 else ["demo"]
        else:
            failed = run_cases(stack, args.cases)
        if args.hold:
            print(f"holding the stack; mail.log: {stack.mail_log}; exit the shell to stop")
            os.system("PS1='e2e# ' bash --norc -i")
    except Exception:  # noqa: BLE001
        traceback.print_exc()
        for name in ("mail.log", "syslog", "unbound.log"):
            path = stack.dirs["log"] / name
            if path.exists():
                print(f"---- {name}:\n" + path.read_text(errors="replace")[-3000:])
    finally:
        stack.stop_all()
    print("e2e: " + ("all passed" if not failed else "FAILED: " + " ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
