#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Self-test of build-aux/check-i18n.py, printed as TAP.

Each case copies the fixture tree tests/data/i18n/good (which must pass) into a
temporary folder, spoils it in one way and checks that the checker fails with
exactly the expected problems. In bad.ui and bad.c the lines the checker must
report carry an `expect-problem` comment.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "i18n")
CHECKER = os.path.join(os.path.dirname(os.path.dirname(HERE)), "build-aux", "check-i18n.py")
PROBLEM = re.compile(r"^(?P<path>[^:\s]+):(?P<line>\d+): \[(?P<check>\w+)\] ", re.M)
MARKER = re.compile(r"<!-- expect-problem -->|/\* expect-problem \*/")


def run_checker(tree, xgettext):
    result = subprocess.run(
        [sys.executable, CHECKER, "--srcdir", tree, "--xgettext", xgettext],
        capture_output=True, text=True)
    problems = {(m["path"], int(m["line"]), m["check"])
                for m in PROBLEM.finditer(result.stdout)}
    return result.returncode, problems, result.stdout + result.stderr


def marked_lines(path):
    with open(path, encoding="utf-8") as f:
        return {n for n, line in enumerate(f, 1) if MARKER.search(line)}


def copy_good(tmp):
    tree = os.path.join(tmp, "tree")
    shutil.copytree(os.path.join(FIXTURES, "good"), tree)
    return tree


def append(path, text):
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


def case_good(tree):
    return 0, set()


def case_bad_ui(tree):
    shutil.copy(os.path.join(FIXTURES, "bad.ui"), os.path.join(tree, "src", "bad.ui"))
    lines = marked_lines(os.path.join(FIXTURES, "bad.ui"))
    assert len(lines) >= 10, "the bad.ui fixture lost its markers"
    return 1, {("src/bad.ui", n, "ui") for n in lines}


def case_bad_c(tree):
    shutil.copy(os.path.join(FIXTURES, "bad.c"), os.path.join(tree, "src", "bad.c"))
    lines = marked_lines(os.path.join(FIXTURES, "bad.c"))
    assert len(lines) >= 10, "the bad.c fixture lost its markers"
    return 1, {("src/bad.c", n, "c") for n in lines}


def case_unlisted_c(tree):
    with open(os.path.join(tree, "src", "unlisted.c"), "w", encoding="utf-8") as f:
        f.write('static const char *name = N_("Boards");\n')
    return 1, {("src/unlisted.c", 1, "potfiles")}


def case_unlisted_ui(tree):
    with open(os.path.join(tree, "src", "unlisted.ui"), "w", encoding="utf-8") as f:
        f.write('<interface><object class="GtkLabel">'
                '<property name="label" translatable="yes">Boards</property>'
                '</object></interface>\n')
    return 1, {("src/unlisted.ui", 1, "potfiles")}


def case_potfiles_names_missing_file(tree):
    append(os.path.join(tree, "po", "POTFILES.in"), "src/gone.c\n")
    # xgettext cannot read the file either, which the checker also reports.
    return 1, {("po/POTFILES.in", 4, "potfiles"), ("po/POTFILES.in", 1, "translated")}


def case_untranslated(tree):
    po = os.path.join(tree, "po", "zh_CN.po")
    with open(po, encoding="utf-8") as f:
        text = f.read()
    # An empty msgstr, a fuzzy entry, a missing plural form, a missing entry.
    text = text.replace('msgstr "打开草稿"', 'msgstr ""')
    text = text.replace('#: src/good.c:23\n', '#: src/good.c:23\n#, fuzzy\n')
    text = text.replace('msgstr[0] "%u 篇草稿"', 'msgstr[0] ""')
    text = text.replace('msgctxt "button"\nmsgid "Publish the note"\nmsgstr "发布这篇笔记"\n', '')
    with open(po, "w", encoding="utf-8") as f:
        f.write(text)
    return 1, {("src/good.c", 14, "translated"), ("src/good.c", 23, "translated"),
               ("src/good.c", 21, "translated"), ("src/good.ui", 11, "translated")}


def case_language_not_in_linguas(tree):
    shutil.copy(os.path.join(tree, "po", "zh_CN.po"), os.path.join(tree, "po", "zh_TW.po"))
    return 1, {("po/zh_TW.po", 1, "linguas")}


def case_language_without_po(tree):
    append(os.path.join(tree, "po", "LINGUAS"), "fr\n")
    return 1, {("po/LINGUAS", 1, "linguas")}


CASES = [
    case_good,
    case_bad_ui,
    case_bad_c,
    case_unlisted_c,
    case_unlisted_ui,
    case_potfiles_names_missing_file,
    case_untranslated,
    case_language_not_in_linguas,
    case_language_without_po,
]


def main():
    xgettext = sys.argv[1] if len(sys.argv) > 1 else "xgettext"
    print(f"1..{len(CASES)}")
    failures = 0
    for number, case in enumerate(CASES, 1):
        name = case.__name__[len("case_"):]
        with tempfile.TemporaryDirectory(prefix="cin-i18n-test-") as tmp:
            try:
                tree = copy_good(tmp)
                want_rc, want = case(tree)
                rc, got, output = run_checker(tree, xgettext)
            except (AssertionError, OSError, subprocess.SubprocessError) as e:
                want_rc, want, rc, got, output = 0, set(), -1, set(), f"case failed: {e}"
        ok = rc == want_rc and got == want
        failures += not ok
        print(f"{'ok' if ok else 'not ok'} {number} {name}")
        if not ok:
            print(f"# exit status {rc}, expected {want_rc}")
            for item in sorted(want - got):
                print(f"# not reported: {item[0]}:{item[1]} [{item[2]}]")
            for item in sorted(got - want):
                print(f"# unexpected:   {item[0]}:{item[1]} [{item[2]}]")
            for line in output.splitlines():
                print(f"#   {line}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
