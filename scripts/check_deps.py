#!/usr/bin/env python3
"""Checks that every command the tests and scripts run comes from a Debian
package that a fresh machine has after scripts/deps.sh (issue 12).

    python3 scripts/check_deps.py [--deps FILE] [--root DIR] [--list]

The commands are read from tests/*.sh, scripts/*.sh, .ci/run and the shell
command strings of tests/*.c (system(), popen(), snprintf(cmd, ...)): every
word in command position that is not a shell builtin, keyword or function.
For each, the package that owns it (`dpkg -S`) must be

  * named in the PKGS list of scripts/deps.sh (or --deps FILE), or
  * pulled in by one of those (`apt-cache depends --recurse`, without
    recommends and suggests, as deps.sh installs with --no-install-recommends),
  * or of priority required or important (on every Debian machine).

A command that fails prints one line naming the command, where it is run and
its package, and the script exits 1. Exit 0 when all pass; 77 when this is not
a Debian system (no dpkg-query/apt-cache). --list prints every command with
its package. --root DIR checks the tree at DIR instead of this one.
"""

import glob
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

# Commands whose use is guarded so that a fresh machine never needs them.
EXEMPT = {
    "sudo": "scripts/deps.sh runs it only as a non-root user, to run apt-get; "
    "it cannot install itself",
}

# Words that take a command after them (and their own options).
WRAPPERS = {"exec", "nice", "nohup", "env", "xargs", "sudo", "time", "timeout", "stdbuf", "flock", "command", "!"}

KEYWORDS_CMD = {"then", "do", "else", "elif", "if", "while", "until", "{", "}", "fi", "done", "esac", "[[", "]]"}


def shell_builtins():
    try:
        out = subprocess.run(
            ["bash", "-c", "compgen -b; compgen -k"], capture_output=True, text=True, check=True
        ).stdout
        return set(out.split())
    except (OSError, subprocess.CalledProcessError):
        return set()


class Scanner:
    """A small reader of bash that finds the words in command position. It
    knows quoting, $( ), backticks, ${ }, $(( )), here-documents, comments,
    case patterns, for lists, redirections and function definitions; it
    does not expand anything (a command named by a variable is not seen)."""

    def __init__(self, text, fname, base_line=1):
        self.s = text
        self.n = len(text)
        self.fname = fname
        self.base = base_line
        self.found = []  # (word, line)
        self.functions = set(re.findall(r"(?m)^\s*(?:function\s+)?([A-Za-z_][\w-]*)\s*\(\)", text))
        self.heredocs = []

    def line_of(self, i):
        return self.base + self.s.count("\n", 0, i)

    def skip_heredocs(self, i):
        # i is just past a newline: skip the bodies of pending here-documents
        while self.heredocs:
            delim, strip = self.heredocs.pop(0)
            while i < self.n:
                j = self.s.find("\n", i)
                if j < 0:
                    j = self.n
                line = self.s[i:j]
                i = j + 1
                if (line.lstrip("\t") if strip else line) == delim:
                    break
        return i

    def skip_balanced(self, i, open_, close):
        depth = 1
        while i < self.n and depth:
            c = self.s[i]
            if c == "\\":
                i += 2
                continue
            if c == "'" and open_ != "'":
                j = self.s.find("'", i + 1)
                i = self.n if j < 0 else j + 1
                continue
            if self.s.startswith(open_, i):
                depth += 1
                i += len(open_)
                continue
            if self.s.startswith(close, i):
                depth -= 1
                i += len(close)
                continue
            i += 1
        return i

    def read_word(self, i):
        """Reads one word from i; returns (literal, dynamic, quoted, i)."""
        lit = []
        dynamic = False
        quoted = False
        while i < self.n:
            c = self.s[i]
            if c in " \t\n;&|()<>":
                break
            if c == "\\":
                if i + 1 < self.n and self.s[i + 1] == "\n":
                    i += 2
                    break
                lit.append(self.s[i + 1 : i + 2])
                i += 2
                continue
            if c == "'":
                j = self.s.find("'", i + 1)
                j = self.n if j < 0 else j
                lit.append(self.s[i + 1 : j])
                quoted = True
                i = j + 1
                continue
            if c == '"':
                quoted = True
                i += 1
                while i < self.n and self.s[i] != '"':
                    if self.s[i] == "\\":
                        lit.append(self.s[i + 1 : i + 2])
                        i += 2
                        continue
                    if self.s[i] == "$" or self.s[i] == "`":
                        dynamic = True
                        i = self.expansion(i)
                        continue
                    lit.append(self.s[i])
                    i += 1
                i += 1
                continue
            if c == "$" or c == "`":
                dynamic = True
                i = self.expansion(i)
                continue
            lit.append(c)
            i += 1
        return "".join(lit), dynamic, quoted, i

    def expansion(self, i):
        """At a '$' or '`': scans a command substitution for commands, skips
        other expansions; returns the index after it."""
        s = self.s
        if s[i] == "`":
            j = s.find("`", i + 1)
            j = self.n if j < 0 else j
            self.scan(i + 1, j)
            return j + 1
        if s.startswith("$((", i):
            return self.skip_balanced(i + 3, "((", "))")
        if s.startswith("$(", i):
            return self.scan(i + 2, self.n, closer=")")
        if s.startswith("${", i):
            return self.skip_balanced(i + 2, "{", "}")
        if s.startswith("$'", i):
            j = i + 2
            while j < self.n and s[j] != "'":
                j += 2 if s[j] == "\\" else 1
            return j + 1
        j = i + 1
        if j < self.n and (s[j].isalnum() or s[j] == "_"):
            while j < self.n and (s[j].isalnum() or s[j] == "_"):
                j += 1
            return j
        return j + 1 if j < self.n else j

    def scan(self, i, end, closer=None):
        """Scans commands from i; stops at end, or at an unmatched closer
        (')' of a $( ) or subshell). Returns the index after the stop."""
        s = self.s
        cmdpos = True
        mode = []  # stack: 'case' (reading patterns), 'caseword', 'for'
        depth = 0  # ( ) subshells opened inside this scan
        expect_redirect = False
        lookup = False  # after `command -v`
        after_wrapper = None
        skip_arg = False
        maybe = False
        while i < end:
            c = s[i]
            if c in " \t":
                i += 1
                continue
            if c == "\\" and s.startswith("\\\n", i):
                i += 2
                continue
            if c == "#":
                j = s.find("\n", i)
                i = end if j < 0 else j
                continue
            if c == "\n":
                i = self.skip_heredocs(i + 1)
                if not (mode and mode[-1] in ("case",)):
                    cmdpos = True
                if mode and mode[-1] == "for":
                    mode.pop()
                lookup = False
                after_wrapper = None
                continue
            if s.startswith(";;", i) or s.startswith(";&", i):
                i += 2
                if mode and mode[-1] == "caseitem":
                    mode[-1] = "case"
                continue
            if c in ";&|":
                i += 2 if s.startswith(c * 2, i) else 1
                if mode and mode[-1] == "for":
                    mode.pop()
                cmdpos, lookup, after_wrapper = True, False, None
                continue
            if c == "(":
                if s.startswith("((", i):
                    i = self.skip_balanced(i + 2, "((", "))")
                    continue
                depth += 1
                i += 1
                cmdpos = True
                continue
            if c == ")":
                if mode and mode[-1] == "case":
                    mode[-1] = "caseitem"
                    cmdpos = True
                    i += 1
                    continue
                if depth:
                    depth -= 1
                    i += 1
                    continue
                if closer == ")":
                    return i + 1
                i += 1
                continue
            if c in "<>":
                m = re.match(r"<<<|<<-?|[<>]&|>>|<>|>\||[<>]", s[i:])
                op = m.group(0)
                i += len(op)
                if op in ("<<", "<<-"):
                    while i < end and s[i] in " \t":
                        i += 1
                    word, _, _, i = self.read_word(i)
                    self.heredocs.append((word, op == "<<-"))
                else:
                    expect_redirect = True
                continue
            # a word
            start = i
            m = re.match(r"[0-9]+(?=[<>])", s[i:])
            if m:  # the descriptor of a redirection: 2>file
                i += len(m.group(0))
                continue
            word, dynamic, quoted, i = self.read_word(i)
            if i == start:
                i += 1
                continue
            if expect_redirect:
                expect_redirect = False
                continue
            if mode and mode[-1] == "case":
                if word == "esac":
                    mode.pop()
                    cmdpos = False
                continue  # a pattern
            if mode and mode[-1] in ("for", "caseword"):
                if mode[-1] == "caseword" and word == "in":
                    mode[-1] = "case"
                continue
            if maybe:
                maybe = False
                if not dynamic and re.match(r"^[\w.+-]+$", word) and shutil.which(word):
                    self.found.append((word, self.line_of(start)))
            if not cmdpos:
                if lookup:
                    lookup = False
                continue
            if re.match(r"^[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?\+?=", s[start:i]):
                if s.startswith("(", i):  # an array: its words are not commands, but
                    # vg=(valgrind --tool=memcheck) may be run as "${vg[@]}" (when installed)
                    m = re.match(r"\(\s*([\w.+-]+)[\s)]", s[i:])
                    if m and shutil.which(m.group(1)):
                        self.found.append((m.group(1), self.line_of(i)))
                    i = self.skip_balanced(i + 1, "(", ")")
                continue  # an assignment: still in command position
            if word == "[[" and not quoted:
                j = s.find("]]", i)
                i = end if j < 0 else j + 2
                cmdpos = False
                continue
            if word == "case":
                mode.append("caseword")
                continue
            if word == "esac" and mode and mode[-1] == "caseitem":
                mode.pop()
                continue
            if word in ("for", "select"):
                mode.append("for")
                continue
            if word in KEYWORDS_CMD or word == "!":
                continue
            if word == "function":
                cmdpos = False
                continue
            if skip_arg:
                skip_arg = False
                continue
            if after_wrapper == "env" and word in ("-u", "--unset", "-C", "--chdir"):
                skip_arg = True
                continue
            if after_wrapper and word.startswith("-"):
                if after_wrapper == "command" and word in ("-v", "-V"):
                    cmdpos = False
                    lookup = True
                continue
            if after_wrapper in ("timeout",) and re.match(r"^[0-9.]+[smhd]?$", word):
                continue
            if after_wrapper == "flock" and not word.startswith("-"):
                after_wrapper = "flock-file"
                continue
            if after_wrapper == "env" and "=" in word:
                continue
            if word in WRAPPERS:
                if not dynamic:
                    self.found.append((word, self.line_of(start)))
                after_wrapper = word
                continue
            after_wrapper = None
            cmdpos = False
            if not dynamic and word:
                self.found.append((word, self.line_of(start)))
            elif dynamic and re.match(r"^\$\{?[A-Za-z_]\w*\}?$", s[start:i]):
                # `$SUDO apt-get ...`: the next word may be a command (checked
                # when it is installed: `"$RM" render` names no program)
                maybe = True
            continue
        return i
        return i


def commands_of_shell(text, fname, base_line=1):
    sc = Scanner(text, fname, base_line)
    sc.scan(0, len(text))
    return [(w, ln) for w, ln in sc.found if w not in sc.functions]


C_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def commands_of_c(text, fname):
    """Shell command strings in a C test: the literal arguments of system()
    and popen(), and of snprintf into a buffer named cmd."""
    out = []
    for m in re.finditer(r'\b(system|popen)\s*\((?=\s*")|\bsnprintf\s*\(\s*cmd\b', text):
        stmt = re.match(r'(?:"(?:[^"\\\n]|\\.)*"|[^;"])*', text[m.end() :]).group(0)
        if m.group(1):  # system("..."), popen("...", "r"): the first argument only
            stmt = re.match(r'\s*((?:"(?:[^"\\\n]|\\.)*"\s*)+)', stmt).group(1)
        lits = C_STRING.findall(stmt)
        if not lits:
            continue
        sh = "".join(bytes(x, "utf-8").decode("unicode_escape") for x in lits)
        sh = re.sub(r"%[-0-9.]*[sdiuzlf]+", "$ARG", sh)
        for w, _ in commands_of_shell(sh, fname):
            out.append((w, text.count("\n", 0, m.start()) + 1))
    return out


def deps_packages(path):
    text = open(path, encoding="utf-8").read()
    m = re.search(r"(?ms)^\s*PKGS=\((.*?)^\s*\)", text)
    if not m:
        sys.exit("check_deps: no PKGS=( ... ) list in %s" % path)
    body = re.sub(r"#[^\n]*", "", m.group(1))
    return body.split()


def closure(pkgs):
    r = subprocess.run(
        ["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts",
         "--no-breaks", "--no-replaces", "--no-enhances"] + pkgs,
        capture_output=True, text=True,
    )
    names = set()
    for line in r.stdout.splitlines():
        if line and not line[0].isspace():
            names.add(line.strip().strip("<>").split(":")[0])
    missing = [p for p in pkgs if p not in names]
    if r.returncode != 0 or missing:
        sys.exit("check_deps: apt-cache knows no package %s (run apt-get update): %s"
                 % (" ".join(missing) or "?", r.stderr.strip().splitlines()[-1:] or ""))
    return names


def owners(paths):
    """dpkg -S for every path at once: {path: [packages]}."""
    r = subprocess.run(["dpkg-query", "-S"] + sorted(paths), capture_output=True, text=True)
    own = {}
    for line in r.stdout.splitlines():
        m = re.match(r"^(.+?): (/.*)$", line)
        if not m or m.group(2) not in paths:
            continue
        if m.group(1).startswith("diversion by"):
            continue
        own[m.group(2)] = [p.strip().split(":")[0] for p in m.group(1).split(",")]
    return own


def candidates(cmd):
    """Where a fresh machine would find cmd: the PATH hit and the system
    folders, each also resolved through symlinks (alternatives) and the
    /bin = /usr/bin merge."""
    found = []
    if "/" in cmd:
        found.append(cmd)
    else:
        hit = shutil.which(cmd)
        if hit:
            found.append(hit)
        for d in ("/usr/bin", "/bin", "/usr/sbin", "/sbin"):
            p = os.path.join(d, cmd)
            if os.path.exists(p):
                found.append(p)
    out = []
    for p in found:
        for q in (p, os.path.realpath(p)):
            for r in (q, re.sub(r"^/usr/(s?bin)/", r"/\1/", q), re.sub(r"^/(s?bin)/", r"/usr/\1/", q)):
                if r not in out:
                    out.append(r)
    return out


def priority(pkg):
    r = subprocess.run(["dpkg-query", "-W", "-f=${Priority}", pkg], capture_output=True, text=True)
    return r.stdout.strip()


def main():
    args = sys.argv[1:]
    root = ROOT
    deps = None
    listing = False
    while args:
        a = args.pop(0)
        if a == "--deps" and args:
            deps = args.pop(0)
        elif a == "--root" and args:
            root = os.path.abspath(args.pop(0))
        elif a == "--list":
            listing = True
        else:
            sys.exit(__doc__)
    deps = deps or os.path.join(root, "scripts", "deps.sh")
    if not shutil.which("dpkg-query") or not shutil.which("apt-cache"):
        print("check_deps: skipped: not a Debian system (no dpkg-query or apt-cache)")
        return 77

    files = sorted(glob.glob(os.path.join(root, "tests", "*.sh")) + glob.glob(os.path.join(root, "scripts", "*.sh")))
    if os.path.exists(os.path.join(root, ".ci", "run")):
        files.append(os.path.join(root, ".ci", "run"))
    builtins = shell_builtins()
    uses = {}  # command -> first "file:line"
    for f in files + sorted(glob.glob(os.path.join(root, "tests", "*.c"))):
        text = open(f, encoding="utf-8", errors="replace").read()
        rel = os.path.relpath(f, root)
        found = commands_of_c(text, rel) if f.endswith(".c") else commands_of_shell(text, rel)
        for w, ln in found:
            if w in builtins or w in KEYWORDS_CMD or w.startswith("-") or w.startswith("./"):
                continue
            if "/" in w and not w.startswith("/"):
                continue  # a path in the tree (build/routemap, scripts/x.sh)
            uses.setdefault(w, "%s:%d" % (rel, ln))

    wanted = deps_packages(deps)
    have = closure(wanted)
    cand = {c: candidates(c) for c in uses}
    own = owners({p for ps in cand.values() for p in ps})
    bad = 0
    pkgs = set()
    for cmd in sorted(uses):
        where = uses[cmd]
        if cmd in EXEMPT:
            if listing:
                print("%-16s %-32s exempt: %s" % (cmd, where, EXEMPT[cmd]))
            continue
        ps = []
        for p in cand[cmd]:
            for o in own.get(p, []):
                if o not in ps:
                    ps.append(o)
        if not ps:
            at = cand[cmd][0] if cand[cmd] else None
            print("check_deps: FAIL %s (run by %s) %s" % (
                cmd, where,
                "is %s, which no Debian package owns" % at if at else
                "is not installed here, so its Debian package is unknown: install it from a package "
                "that scripts/deps.sh names"))
            bad += 1
            continue
        why = None
        for p in ps:
            if p in wanted:
                why = "named by deps.sh"
            elif p in have:
                why = "pulled in by deps.sh's packages"
            elif priority(p) in ("required", "important"):
                why = "priority %s" % priority(p)
            if why:
                pkgs.add(p)
                break
        if listing:
            print("%-16s %-32s %-24s %s" % (cmd, where, ",".join(ps), why or "MISSING"))
        if not why:
            print("check_deps: FAIL %s (run by %s) comes from Debian package %s, which %s does not "
                  "install: it is neither named there, nor a dependency of a package named there, nor "
                  "of priority required/important; add it to PKGS" % (
                      cmd, where, " or ".join(ps), os.path.relpath(deps, root) if deps.startswith(root) else deps))
            bad += 1
    if bad:
        print("check_deps: %d command(s) would be missing on a fresh machine" % bad)
        return 1
    print("check_deps: ok: %d commands run by the tests and scripts, from %d packages, all installed by "
          "scripts/deps.sh or of priority required/important" % (len(uses) - len([c for c in uses if c in EXEMPT]), len(pkgs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
