#!/usr/bin/env python3
"""Ranks SpamAssassin's eval functions by the weight they carry on the corpus.

usage: eval_weights.py RULES_DIR SA_REF.tsv [--top N] [--markdown OUT.md]

RULES_DIR: the stock rules (/usr/share/spamassassin); SA_REF.tsv: bench/spam/sa_reference.sh's
output (`folder/file<TAB>score<TAB>RULE1,RULE2,...`). The .cf files are read just enough to know
which rules are eval rules (`header|body|rawbody|full|uri|mimeheader NAME eval:FN(...)`), the
metas and what they name, and each rule's score in set 0 (no network, no Bayes: the first of
four values, or the single value; later files override earlier ones, in file-name order, as
SpamAssassin reads them; without a score line 1.0, `T_` rules 0.01, `__` rules 0). Conditionals
(`if`, `ifplugin`) are not evaluated: every definition counts.

For each eval function:
  direct  sum over messages of |score| of the hit rules that call it, ham and spam apart, and
          the number of messages with such a hit;
  via meta  `__` sub-rules are not reported by SpamAssassin, so their weight is approximated:
          for every hit meta with a score, its |score| goes to each eval function it reaches
          through `__` rules (an upper bound: the sub-rule may not have been true).
Also prints SpamAssassin's own detection and false-positive rates (score >= 5).
"""
import argparse
import collections
import glob
import os
import re
import sys

EVAL_RULE = re.compile(r"^\s*(header|body|rawbody|full|uri|mimeheader)\s+(\S+)\s+eval:\s*([A-Za-z_]\w*)\s*\(")
META_RULE = re.compile(r"^\s*meta\s+(\S+)\s+(.*)$")
SCORE_LINE = re.compile(r"^\s*score\s+(\S+)\s+(.*)$")
ANY_RULE = re.compile(r"^\s*(header|body|rawbody|full|uri|mimeheader|meta|uri_detail)\s+(\S+)\s")
IDENT = re.compile(r"\b[A-Za-z_][A-Za-z0-9_]*\b")
THRESHOLD = 5.0


class Rules:
    def __init__(self):
        self.eval_fn = {}                      # rule -> eval function name
        self.meta_refs = {}                    # meta rule -> names it mentions
        self.scores = {}                       # rule -> set-0 score
        self.defined = set()

    def read(self, rules_dir):
        for path in sorted(glob.glob(os.path.join(rules_dir, "*.cf"))):
            with open(path, encoding="utf-8", errors="replace") as f:
                for line in f:
                    self.read_line(line.split("#", 1)[0] if not line.lstrip().startswith("#") else "")
        return self

    def read_line(self, line):
        if m := EVAL_RULE.match(line):
            self.eval_fn[m.group(2)] = m.group(3)
        elif m := META_RULE.match(line):
            self.meta_refs[m.group(1)] = set(IDENT.findall(m.group(2)))
        if m := ANY_RULE.match(line):
            self.defined.add(m.group(2))
            if m.group(1) != "meta" and not EVAL_RULE.match(line):
                self.eval_fn.pop(m.group(2), None)      # redefined as a plain rule
        if m := SCORE_LINE.match(line):
            values = m.group(2).split()
            try:
                self.scores[m.group(1)] = float(values[0])
            except (ValueError, IndexError):
                pass

    def score(self, rule):
        if rule in self.scores:
            return self.scores[rule]
        if rule.startswith("__"):
            return 0.0
        return 0.01 if rule.startswith("T_") else 1.0

    def eval_reach(self, meta, seen=None):
        """Eval functions a meta reaches through `__` sub-rules (and sub-metas)."""
        seen = seen if seen is not None else set()
        found = set()
        for name in self.meta_refs.get(meta, ()):
            if name in seen or not name.startswith("__"):
                continue
            seen.add(name)
            if name in self.eval_fn:
                found.add(self.eval_fn[name])
            found |= self.eval_reach(name, seen)
        return found


def read_reference(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 2:
                continue
            rules = [r for r in (parts[2].split(",") if len(parts) > 2 else []) if r]
            rows.append((parts[0], float(parts[1]), rules))
    return rows


class Weights:
    def __init__(self):
        self.w = collections.defaultdict(float)   # (fn, kind, label) -> weight
        self.n = collections.defaultdict(int)     # (fn, kind, label) -> messages
        self.rules = collections.defaultdict(set)

    def add(self, fn, kind, label, weight, rule):
        self.w[(fn, kind, label)] += weight
        self.n[(fn, kind, label)] += 1
        self.rules[(fn, kind)].add(rule)

    def functions(self):
        return {key[0] for key in self.w} | {key[0] for key in self.n}

    def total(self, fn):
        return sum(self.w[(fn, k, l)] for k in ("direct", "meta") for l in ("ham", "spam"))


def weigh(rules, rows):
    weights = Weights()
    reach = {}
    for name, _score, hits in rows:
        label = name.split("/", 1)[0]
        for fn in {rules.eval_fn[r] for r in hits if r in rules.eval_fn}:
            hit_rules = [r for r in hits if rules.eval_fn.get(r) == fn]
            weight = sum(abs(rules.score(r)) for r in hit_rules)
            weights.add(fn, "direct", label, weight, ",".join(sorted(hit_rules)))
        via = collections.defaultdict(float)
        for rule in hits:
            if rule in rules.meta_refs and rules.score(rule):
                if rule not in reach:
                    reach[rule] = rules.eval_reach(rule)
                for fn in reach[rule]:
                    via[(fn, rule)] = abs(rules.score(rule))
        per_fn = collections.defaultdict(float)
        metas = collections.defaultdict(set)
        for (fn, rule), weight in via.items():
            per_fn[fn] += weight
            metas[fn].add(rule)
        for fn, weight in per_fn.items():
            weights.add(fn, "meta", label, weight, ",".join(sorted(metas[fn])))
    return weights


def rates(rows):
    ham = [s for n, s, _ in rows if n.startswith("ham/")]
    spam = [s for n, s, _ in rows if n.startswith("spam/")]
    detect = sum(s >= THRESHOLD for s in spam)
    false_pos = sum(s >= THRESHOLD for s in ham)
    return (f"SpamAssassin 4.0.1 on the corpus (score >= {THRESHOLD:g}): spam {detect}/{len(spam)} detected "
            f"({100 * detect / max(len(spam), 1):.1f} %), ham {false_pos}/{len(ham)} flagged "
            f"({100 * false_pos / max(len(ham), 1):.2f} % false positives)")


def short_list(names, limit=4):
    names = sorted(names)
    return ", ".join(names[:limit]) + (f" +{len(names) - limit}" if len(names) > limit else "")


def table(rules, weights, top):
    ranked = sorted(weights.functions(), key=lambda fn: -weights.total(fn))[:top]
    w, n = weights.w, weights.n
    lines = ["| # | eval function | direct weight spam / ham | direct hits spam / ham | via-meta weight spam / ham "
             "| via-meta hits spam / ham | rules hit | metas fed |",
             "|---|---|---|---|---|---|---|---|"]
    for i, fn in enumerate(ranked, 1):
        direct_rules = {r for combo in weights.rules[(fn, "direct")] for r in combo.split(",")}
        meta_rules = {r for combo in weights.rules[(fn, "meta")] for r in combo.split(",")}
        lines.append(
            f"| {i} | `{fn}` | {w[(fn, 'direct', 'spam')]:.1f} / {w[(fn, 'direct', 'ham')]:.1f} "
            f"| {n[(fn, 'direct', 'spam')]} / {n[(fn, 'direct', 'ham')]} "
            f"| {w[(fn, 'meta', 'spam')]:.1f} / {w[(fn, 'meta', 'ham')]:.1f} "
            f"| {n[(fn, 'meta', 'spam')]} / {n[(fn, 'meta', 'ham')]} "
            f"| {short_list(direct_rules)} | {short_list(meta_rules)} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rules_dir")
    parser.add_argument("reference")
    parser.add_argument("--top", type=int, default=60)
    parser.add_argument("--markdown", help="write the ranking there as Markdown")
    args = parser.parse_args()
    rules = Rules().read(args.rules_dir)
    rows = read_reference(args.reference)
    if not rows:
        sys.exit(f"eval_weights: no rows in {args.reference}")
    weights = weigh(rules, rows)
    summary = rates(rows)
    print(summary)
    print(f"{len(rules.eval_fn)} eval rules, {len(set(rules.eval_fn.values()))} eval functions, "
          f"{len(rules.meta_refs)} metas; {len(weights.functions())} functions carry weight on {len(rows)} messages")
    body = table(rules, weights, args.top)
    print(body)
    if args.markdown:
        command = "python3 bench/spam/eval_weights.py " + " ".join(sys.argv[1:])
        with open(args.markdown, "w", encoding="utf-8") as out:
            out.write(MARKDOWN_HEAD.format(command=command, summary=summary, top=args.top,
                                           messages=len(rows)) + body + "\n")


MARKDOWN_HEAD = """# SpamAssassin eval functions by weight on the corpus

Written by `{command}` from the reference run
(`bench/spam/sa_reference.sh /work/sa-ref/sa_ref.tsv`: Debian's SpamAssassin 4.0.1, spamd -L,
Bayes and auto-learning off, stock rules and plugins, {messages} messages). Regenerate it the
same way; the reference file is not in the repository.

{summary}.

How to read it: *direct weight* is the sum over messages of |score| (score set 0) of the rules
that call the function and hit; *hits* the messages with such a hit. *Via meta*: SpamAssassin
does not report `__` sub-rules, so a hit meta with a score gives its |score| to every eval
function it reaches through `__` rules: an upper bound (the sub-rule may have been false). Rules
with score 0 (informational, `T_` at 0.01) carry little weight but their hits still show. The
lead implements the top functions natively. Top {top}, by direct + via-meta weight (spam + ham):

"""

if __name__ == "__main__":
    main()
