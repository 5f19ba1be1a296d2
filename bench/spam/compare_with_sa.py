#!/usr/bin/env python3
"""Compares mailwarden-spam's scores with SpamAssassin's on the same corpus messages.

Both inputs are FILE<TAB>SCORE<TAB>RULE,RULE,... lines: SpamAssassin's from sa_reference.sh,
ours from `mailwarden spam check -c /dev/null ham/* spam/*` run in the corpus directory. Prints
detection and false-positive rates of each (score >= required), verdict agreement, the score
difference per message, and the rules that differ most, as Markdown (--markdown FILE writes it).
"""
import argparse
import collections
import statistics
import sys


def read(path):
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            rules = set(r for r in (parts[2].split(",") if len(parts) > 2 else []) if r and r != "none")
            out[parts[0]] = (float(parts[1]), rules)
    return out


def rates(results, names, required):
    ham = [n for n in names if n.startswith("ham/")]
    spam = [n for n in names if n.startswith("spam/")]
    det = sum(results[n][0] >= required for n in spam)
    fp = sum(results[n][0] >= required for n in ham)
    return det, len(spam), fp, len(ham)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sa")
    ap.add_argument("ours")
    ap.add_argument("--required", type=float, default=5.0)
    ap.add_argument("--markdown")
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args()
    sa, ours = read(a.sa), read(a.ours)
    names = sorted(set(sa) & set(ours))
    if not names:
        sys.exit("no messages in common")
    out = []
    p = out.append
    sd, sn, sf, sh = rates(sa, names, a.required)
    od, on, of, oh = rates(ours, names, a.required)
    p(f"Messages compared: {len(names)} ({sh} ham, {sn} spam); required score {a.required}.\n")
    p("| | spam detected | ham flagged (false positives) |")
    p("|---|---|---|")
    p(f"| SpamAssassin 4.0.1 | {sd}/{sn} ({100*sd/sn:.1f} %) | {sf}/{sh} ({100*sf/sh:.2f} %) |")
    p(f"| mailwarden-spam | {od}/{on} ({100*od/on:.1f} %) | {of}/{oh} ({100*of/oh:.2f} %) |")
    same = sum((sa[n][0] >= a.required) == (ours[n][0] >= a.required) for n in names)
    diffs = [ours[n][0] - sa[n][0] for n in names]
    absd = [abs(d) for d in diffs]
    p("")
    p(f"Verdict agreement: {same}/{len(names)} ({100*same/len(names):.1f} %).")
    p(f"Score difference (ours - SA) per message: mean {statistics.mean(diffs):+.2f}, "
      f"mean absolute {statistics.mean(absd):.2f}, median absolute {statistics.median(absd):.2f}, "
      f"within 0.5: {sum(d <= 0.5 for d in absd)}, within 1.0: {sum(d <= 1.0 for d in absd)}, "
      f"over 3.0: {sum(d > 3.0 for d in absd)}.")
    only_sa = collections.Counter()
    only_ours = collections.Counter()
    for n in names:
        for r in sa[n][1] - ours[n][1]:
            only_sa[r] += 1
        for r in ours[n][1] - sa[n][1]:
            only_ours[r] += 1
    p("")
    p(f"Rules hit by SpamAssassin and not by us (messages), top {a.top}:\n")
    p("| rule | messages |")
    p("|---|---|")
    for r, c in only_sa.most_common(a.top):
        p(f"| {r} | {c} |")
    p("")
    p(f"Rules hit by us and not by SpamAssassin (messages), top {a.top}:\n")
    p("| rule | messages |")
    p("|---|---|")
    for r, c in only_ours.most_common(a.top):
        p(f"| {r} | {c} |")
    text = "\n".join(out) + "\n"
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
