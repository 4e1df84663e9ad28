#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Check that every string Cinnabar shows to a person can be translated, and is.

Run from anywhere:

    python3 build-aux/check-i18n.py                   # all checks, exit 1 on a problem
    python3 build-aux/check-i18n.py --update-potfiles # add missing files to po/POTFILES.in

The checks:

  ui          a user-visible value in a .ui file (label, title, tooltip, menu
              label, string-list item, dialog response, accessible label…)
              without translatable="yes";
  c           a string literal handed straight to a GTK, libadwaita or GLib
              call that shows it (gtk_label_set_text, adw_toast_new,
              g_set_error…) without _(), N_(), C_() or ngettext();
  potfiles    a source file with marked strings missing from po/POTFILES.in,
              or a POTFILES.in entry naming a file that does not exist;
  linguas     a po/*.po file not listed in po/LINGUAS, or the other way round;
  translated  a msgid that xgettext extracts from POTFILES.in without a
              finished (non-empty, non-fuzzy) translation in every language
              of po/LINGUAS.

Each problem is printed as `path:line: [check] message`.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import xml.parsers.expat

# ---------------------------------------------------------------------------
# What counts as a string a person reads

PRINTF_SPEC = re.compile(
    r"%(?:\d+\$)?[-+ #0']*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
    r"(?:hh|h|ll|l|L|q|j|z|t)?[diouxXeEfFgGaAcspn%]")
MARKUP = re.compile(r"<[^>]*>|&#?\w+;")
BRACE_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# "document-open-symbolic", "dialog-warning": icon names, not words.
ICON_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$")


def is_user_text(value):
    """Whether @value holds words that need a translation."""
    value = value.strip()
    if not value:
        return False
    if ICON_NAME.match(value):
        return False
    rest = PRINTF_SPEC.sub("", value)
    rest = BRACE_PLACEHOLDER.sub("", rest)
    rest = MARKUP.sub("", rest)
    return any(ch.isalpha() for ch in rest)


def shorten(text, width=60):
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class Report:
    def __init__(self):
        self.problems = []

    def add(self, path, line, check, message):
        self.problems.append((path, line, check, message))

    def print(self, out):
        for path, line, check, message in self.problems:
            out.write(f"{path}:{line}: [{check}] {message}\n")


# ---------------------------------------------------------------------------
# (a) GtkBuilder .ui files

UI_PROPERTIES = {
    "label", "title", "subtitle", "tooltip-text", "tooltip-markup",
    "placeholder-text", "text", "description", "heading", "body",
    "secondary-text", "button-label", "dropdown-tooltip", "comments",
    "release-notes", "copyright", "translator-credits", "developer-name",
    "secondary-icon-tooltip-text", "primary-icon-tooltip-text",
    "show-more-label", "empty-text",
}
# Properties that only hold user text under <accessibility>.
UI_ACCESSIBLE_PROPERTIES = {
    "label", "description", "placeholder", "role-description", "value-text",
}
UI_MENU_ATTRIBUTES = {"label"}
TRUE_VALUES = {"yes", "true", "1", "y", "t"}


class _UiElement:
    __slots__ = ("name", "attrs", "line", "text", "has_children")

    def __init__(self, name, attrs, line):
        self.name = name
        self.attrs = attrs
        self.line = line
        self.text = []
        self.has_children = False


def check_ui_file(path, display, report):
    stack = []
    parser = xml.parsers.expat.ParserCreate()

    def start(name, attrs):
        if stack:
            stack[-1].has_children = True
        stack.append(_UiElement(name, attrs, parser.CurrentLineNumber))

    def chars(data):
        if stack:
            stack[-1].text.append(data)

    def end(name):
        element = stack.pop()
        parent = stack[-1].name if stack else None
        if element.has_children:
            return
        value = "".join(element.text)
        what = None
        key = element.attrs.get("name", "").replace("_", "-")
        if element.name == "property":
            if parent == "accessibility":
                if key in UI_ACCESSIBLE_PROPERTIES:
                    what = f'accessible <property name="{key}">'
            elif key in UI_PROPERTIES and "bind-source" not in element.attrs:
                what = f'<property name="{key}">'
        elif element.name == "attribute" and key in UI_MENU_ATTRIBUTES:
            if parent in ("item", "section", "submenu"):
                what = f'menu <attribute name="{key}">'
        elif element.name == "item" and parent == "items":
            what = "<items> <item>"
        elif element.name == "response" and parent == "responses":
            what = f'<response id="{element.attrs.get("id", "")}">'
        if what is None or not is_user_text(value):
            return
        if element.attrs.get("translatable", "").lower() not in TRUE_VALUES:
            report.add(display, element.line, "ui",
                       f'{what} "{shorten(value)}" lacks translatable="yes"')

    parser.StartElementHandler = start
    parser.CharacterDataHandler = chars
    parser.EndElementHandler = end
    try:
        with open(path, "rb") as f:
            parser.ParseFile(f)
    except xml.parsers.expat.ExpatError as e:
        report.add(display, e.lineno, "ui", f"not well-formed XML: {e}")


# ---------------------------------------------------------------------------
# (b) C sources

# Call name -> indexes of the arguments a person reads.
C_CALLS = {
    "gtk_label_new": [0],
    "gtk_label_new_with_mnemonic": [0],
    "gtk_label_set_text": [1],
    "gtk_label_set_label": [1],
    "gtk_label_set_markup": [1],
    "gtk_label_set_text_with_mnemonic": [1],
    "gtk_label_set_markup_with_mnemonic": [1],
    "gtk_button_new_with_label": [0],
    "gtk_button_new_with_mnemonic": [0],
    "gtk_button_set_label": [1],
    "gtk_check_button_new_with_label": [0],
    "gtk_check_button_new_with_mnemonic": [0],
    "gtk_check_button_set_label": [1],
    "gtk_toggle_button_new_with_label": [0],
    "gtk_toggle_button_new_with_mnemonic": [0],
    "gtk_link_button_new_with_label": [1],
    "gtk_menu_button_set_label": [1],
    "gtk_widget_set_tooltip_text": [1],
    "gtk_widget_set_tooltip_markup": [1],
    "gtk_window_set_title": [1],
    "gtk_entry_set_placeholder_text": [1],
    "gtk_text_set_placeholder_text": [1],
    "gtk_search_entry_set_placeholder_text": [1],
    "gtk_password_entry_set_placeholder_text": [1],
    "gtk_progress_bar_set_text": [1],
    "gtk_frame_new": [0],
    "gtk_frame_set_label": [1],
    "gtk_expander_new": [0],
    "gtk_expander_set_label": [1],
    "gtk_stack_add_titled": [3],
    "gtk_stack_page_set_title": [1],
    "gtk_file_chooser_native_new": [0, 3, 4],
    "gtk_file_filter_set_name": [1],
    "gtk_string_list_append": [],  # content more often than chrome
    "adw_window_title_new": [0, 1],
    "adw_window_title_set_title": [1],
    "adw_window_title_set_subtitle": [1],
    "adw_toast_new": [0],
    "adw_toast_new_format": [0],
    "adw_toast_set_title": [1],
    "adw_toast_set_button_label": [1],
    "adw_status_page_set_title": [1],
    "adw_status_page_set_description": [1],
    "adw_preferences_row_set_title": [1],
    "adw_preferences_group_set_title": [1],
    "adw_preferences_group_set_description": [1],
    "adw_preferences_page_set_title": [1],
    "adw_action_row_set_subtitle": [1],
    "adw_expander_row_set_subtitle": [1],
    "adw_view_stack_add_titled": [3],
    "adw_view_stack_page_set_title": [1],
    "adw_tab_page_set_title": [1],
    "adw_tab_page_set_tooltip": [1],
    "adw_split_button_set_label": [1],
    "adw_button_content_set_label": [1],
    "adw_message_dialog_new": [1, 2],
    "adw_message_dialog_set_heading": [1],
    "adw_message_dialog_set_body": [1],
    "adw_message_dialog_format_heading": [1],
    "adw_message_dialog_format_body": [1],
    "adw_message_dialog_format_body_markup": [1],
    "adw_message_dialog_add_response": [2],
    "adw_message_dialog_set_response_label": [2],
    "adw_about_window_set_comments": [1],
    "adw_about_window_set_translator_credits": [1],
    "g_menu_item_new": [0],
    "g_menu_item_new_submenu": [0],
    "g_menu_item_new_section": [0],
    "g_menu_item_set_label": [1],
    "g_menu_append": [1],
    "g_menu_prepend": [1],
    "g_menu_insert": [2],
    "g_menu_append_submenu": [1],
    "g_menu_append_section": [1],
    "g_notification_new": [0],
    "g_notification_set_title": [1],
    "g_notification_set_body": [1],
    "g_notification_add_button": [1],
    "g_set_error": [3],
    "g_set_error_literal": [3],
    "g_task_return_new_error": [3],
    "g_error_new": [2],
    "g_error_new_literal": [2],
    "g_prefix_error": [1],
    "g_prefix_error_literal": [1],
    "g_propagate_prefixed_error": [2],
}
# gtk_accessible_update_property (self, PROPERTY, value, PROPERTY, value, …, -1)
C_ACCESSIBLE_CALLS = {"gtk_accessible_update_property"}
C_ACCESSIBLE_TEXT = {
    "GTK_ACCESSIBLE_PROPERTY_LABEL",
    "GTK_ACCESSIBLE_PROPERTY_DESCRIPTION",
    "GTK_ACCESSIBLE_PROPERTY_PLACEHOLDER",
    "GTK_ACCESSIBLE_PROPERTY_ROLE_DESCRIPTION",
    "GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT",
}
GETTEXT_CALLS = {
    "_", "N_", "C_", "NC_", "Q_", "gettext", "dgettext", "dcgettext",
    "ngettext", "dngettext", "g_dgettext", "g_dcgettext", "g_dngettext",
    "g_dpgettext", "g_dpgettext2", "pgettext",
}
# Literals inside these calls still end up in front of a person.
PASS_THROUGH_CALLS = {
    "g_strdup", "g_strdup_printf", "g_strconcat", "g_markup_printf_escaped",
    "g_markup_escape_text",
}

C_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\f\v]+)
  | (?P<nl>\n)
  | (?P<comment>/\*.*?\*/|//(?:\\\n|[^\n])*)
  | (?P<pp>\#(?:\\\n|[^\n])*)
  | (?P<string>(?:u8|u|U|L)?"(?:\\.|[^"\\\n])*")
  | (?P<char>(?:u8|u|U|L)?'(?:\\.|[^'\\\n])*')
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>\.?[0-9](?:[eEpP][-+]|[A-Za-z0-9_.])*)
  | (?P<punct>.)
""", re.VERBOSE | re.DOTALL)
C_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'"}


def c_tokens(source):
    """(kind, text, line) for the tokens that matter: no whitespace, comments
    or preprocessor lines."""
    line = 1
    at_line_start = True
    pos = 0
    while pos < len(source):
        m = C_TOKEN.match(source, pos)
        kind = m.lastgroup
        text = m.group()
        if kind == "pp" and not at_line_start:
            kind, text = "punct", "#"
        pos += len(text)
        if kind not in ("ws", "nl", "comment", "pp"):
            yield kind, text, line
        if kind == "nl":
            at_line_start = True
        elif kind not in ("ws", "comment"):
            at_line_start = False
        line += text.count("\n")


def c_literal_value(token_text):
    body = token_text[token_text.index('"') + 1:-1]
    return re.sub(r"\\(.)", lambda m: C_ESCAPES.get(m.group(1), m.group(1)), body)


def c_split_args(tokens, open_index):
    """Split the argument list opening at tokens[open_index] == '('.

    Returns (arguments, index after the closing parenthesis)."""
    depth = 0
    args = [[]]
    i = open_index
    while i < len(tokens):
        kind, text, _ = tokens[i]
        if kind == "punct" and text in "([{":
            depth += 1
            if depth > 1:
                args[-1].append(tokens[i])
        elif kind == "punct" and text in ")]}":
            depth -= 1
            if depth == 0:
                return args, i + 1
            args[-1].append(tokens[i])
        elif kind == "punct" and text == "," and depth == 1:
            args.append([])
        else:
            args[-1].append(tokens[i])
        i += 1
    return args, i


def c_bare_literals(arg):
    """String literals of @arg that reach the call untranslated: those outside
    any call, or inside a formatting call such as g_strdup_printf(). Adjacent
    literals ("a" "b") count as one."""
    found = []
    stack = []  # one entry per open parenthesis: does it pass strings through?
    pending_call = None
    previous_was_literal = False
    for kind, text, line in arg:
        is_literal = False
        if kind == "ident":
            pending_call = text
            previous_was_literal = False
            continue
        if kind == "punct" and text == "(":
            stack.append(True if pending_call is None else pending_call in PASS_THROUGH_CALLS)
        elif kind == "punct" and text == ")":
            if stack:
                stack.pop()
        elif kind == "string" and all(stack):
            if previous_was_literal:
                found[-1] = (found[-1][0] + c_literal_value(text), found[-1][1])
            else:
                found.append((c_literal_value(text), line))
            is_literal = True
        pending_call = None
        previous_was_literal = is_literal
    return found


def check_c_file(path, display, report):
    with open(path, encoding="utf-8", errors="replace") as f:
        tokens = list(c_tokens(f.read()))
    for i, (kind, text, _) in enumerate(tokens):
        if kind != "ident" or i + 1 >= len(tokens) or tokens[i + 1][1] != "(":
            continue
        if i > 0 and tokens[i - 1][1] in (">", "."):
            continue
        if text in C_CALLS and C_CALLS[text]:
            args, _ = c_split_args(tokens, i + 1)
            checked = [(n, args[n]) for n in C_CALLS[text] if n < len(args)]
        elif text in C_ACCESSIBLE_CALLS:
            args, _ = c_split_args(tokens, i + 1)
            checked = []
            for n in range(1, len(args) - 1):
                names = [t[1] for t in args[n] if t[0] == "ident"]
                if any(name in C_ACCESSIBLE_TEXT for name in names):
                    checked.append((n + 1, args[n + 1]))
        else:
            continue
        for n, arg in checked:
            for value, line in c_bare_literals(arg):
                if is_user_text(value):
                    report.add(display, line, "c",
                               f'{text}() argument {n + 1} "{shorten(value)}" '
                               f"is not wrapped in _(), N_(), C_() or ngettext()")


# ---------------------------------------------------------------------------
# (c) POTFILES.in

MARKED_UI = re.compile(r"""translatable\s*=\s*["'](?:yes|true|1|y|t)["']""", re.I)


def has_marked_strings(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    if path.endswith(".ui"):
        return MARKED_UI.search(text) is not None
    tokens = list(c_tokens(text))
    for i, (kind, name, _) in enumerate(tokens[:-1]):
        if kind == "ident" and name in GETTEXT_CALLS and tokens[i + 1][1] == "(":
            if i == 0 or tokens[i - 1][1] not in (">", "."):
                return True
    return False


def read_potfiles(srcdir):
    """[(entry, line)] of po/POTFILES.in."""
    entries = []
    with open(os.path.join(srcdir, "po", "POTFILES.in"), encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if line and not line.startswith("#"):
                entries.append((line, number))
    return entries


def check_potfiles(srcdir, sources, report):
    entries = read_potfiles(srcdir)
    listed = {entry for entry, _ in entries}
    for entry, number in entries:
        if not os.path.isfile(os.path.join(srcdir, entry)):
            report.add("po/POTFILES.in", number, "potfiles",
                       f"{entry} does not exist")
    missing = [rel for rel in sources
               if rel not in listed and has_marked_strings(os.path.join(srcdir, rel))]
    for rel in missing:
        report.add(rel, 1, "potfiles",
                   "has translatable strings but is not listed in po/POTFILES.in "
                   "(run build-aux/check-i18n.py --update-potfiles)")
    return missing


def update_potfiles(srcdir, sources):
    path = os.path.join(srcdir, "po", "POTFILES.in")
    with open(path, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f]
    listed = {line.strip() for line in lines}
    added = [rel for rel in sources
             if rel not in listed and has_marked_strings(os.path.join(srcdir, rel))]
    if not added:
        return []
    comments = [line for line in lines if line.strip().startswith("#")]
    entries = sorted({line.strip() for line in lines
                      if line.strip() and not line.strip().startswith("#")} | set(added),
                     key=lambda e: (not e.startswith("data/"), e))
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(c + "\n" for c in comments))
        f.write("".join(e + "\n" for e in entries))
    return added


# ---------------------------------------------------------------------------
# (d) translations

class PoEntry:
    def __init__(self):
        self.msgctxt = None
        self.msgid = None
        self.msgid_plural = None
        self.msgstr = {}  # index -> text; a singular msgstr is index 0
        self.flags = set()
        self.references = []
        self.line = 0
        self.obsolete = False


def _po_unquote(text):
    text = text.strip()
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        raise ValueError(f"expected a quoted string, found {text!r}")
    return re.sub(r"\\(.)", lambda m: C_ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(path):
    """The entries of a .po or .pot file (the header entry included)."""
    entries = []
    entry = PoEntry()
    field = None

    def finish():
        nonlocal entry, field
        if entry.msgid is not None:
            entries.append(entry)
        entry = PoEntry()
        field = None

    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line:
                finish()
                continue
            if line.startswith("#~|"):
                continue
            if line.startswith("#~"):
                if entry.msgid is not None and not entry.obsolete:
                    finish()
                entry.obsolete = True
                line = line[2:].strip()
                if not line:
                    continue
            elif line.startswith("#"):
                if entry.msgid is not None and field is not None:
                    finish()
                if line.startswith("#,"):
                    entry.flags.update(flag.strip() for flag in line[2:].split(","))
                elif line.startswith("#:"):
                    entry.references.extend(line[2:].split())
                continue
            keyword, _, rest = line.partition(" ")
            if line.startswith('"'):
                if field is None:
                    raise ValueError(f"{path}:{number}: string outside an entry")
                value = _po_unquote(line)
                if field[0] == "msgstr":
                    entry.msgstr[field[1]] += value
                else:
                    setattr(entry, field[0], getattr(entry, field[0]) + value)
                continue
            if keyword == "msgctxt":
                if entry.msgid is not None:
                    finish()
                entry.msgctxt = _po_unquote(rest)
                field = ("msgctxt",)
                entry.line = entry.line or number
            elif keyword == "msgid":
                if entry.msgid is not None:
                    finish()
                entry.msgid = _po_unquote(rest)
                field = ("msgid",)
                entry.line = entry.line or number
            elif keyword == "msgid_plural":
                entry.msgid_plural = _po_unquote(rest)
                field = ("msgid_plural",)
            elif keyword == "msgstr":
                entry.msgstr[0] = _po_unquote(rest)
                field = ("msgstr", 0)
            elif keyword.startswith("msgstr["):
                index = int(keyword[7:-1])
                entry.msgstr[index] = _po_unquote(rest)
                field = ("msgstr", index)
            else:
                raise ValueError(f"{path}:{number}: unexpected {keyword!r}")
    finish()
    return entries


def po_nplurals(entries):
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None:
            m = re.search(r"nplurals\s*=\s*(\d+)", entry.msgstr.get(0, ""))
            if m:
                return int(m.group(1))
    return None


def xgettext_keywords():
    return [
        "--from-code=UTF-8", "--add-comments",
        "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
        "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3",
        "--keyword=g_dpgettext2:2c,3", "--keyword=ngettext:1,2",
    ]


def extract_messages(srcdir, xgettext):
    with tempfile.TemporaryDirectory(prefix="cin-i18n-") as tmp:
        pot = os.path.join(tmp, "cinnabar.pot")
        cmd = [xgettext, "--directory", srcdir,
               "--files-from", os.path.join(srcdir, "po", "POTFILES.in"),
               "--output", pot, "--package-name=cinnabar"] + xgettext_keywords()
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError("xgettext failed:\n" + result.stderr)
        if not os.path.exists(pot):  # xgettext writes nothing when no strings
            return []
        return [e for e in parse_po(pot) if e.msgid != ""]


def read_linguas(srcdir):
    path = os.path.join(srcdir, "po", "LINGUAS")
    languages = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0]
            languages.extend(line.split())
    return languages


def check_linguas(srcdir, languages, report):
    podir = os.path.join(srcdir, "po")
    present = sorted(name[:-3] for name in os.listdir(podir) if name.endswith(".po"))
    for lang in present:
        if lang not in languages:
            report.add(f"po/{lang}.po", 1, "linguas", "is not listed in po/LINGUAS")
    for lang in languages:
        if lang not in present:
            report.add("po/LINGUAS", 1, "linguas", f"lists {lang}, but po/{lang}.po is missing")


def check_translations(srcdir, xgettext, languages, report):
    messages = extract_messages(srcdir, xgettext)
    untranslated = {}
    for lang in languages:
        po_path = os.path.join(srcdir, "po", f"{lang}.po")
        if not os.path.exists(po_path):
            continue
        try:
            po_entries = parse_po(po_path)
        except (ValueError, UnicodeDecodeError) as e:
            report.add(f"po/{lang}.po", 1, "translated", f"cannot be read: {e}")
            continue
        nplurals = po_nplurals(po_entries) or 2
        translations = {(e.msgctxt, e.msgid): e for e in po_entries if not e.obsolete}
        missing = []
        for message in messages:
            where = message.references[0] if message.references else f"po/{lang}.po:1"
            label = message.msgid if message.msgctxt is None else f"{message.msgctxt}|{message.msgid}"
            entry = translations.get((message.msgctxt, message.msgid))
            if entry is None:
                reason = "has no entry"
            elif "fuzzy" in entry.flags:
                reason = "is fuzzy"
            elif message.msgid_plural is not None:
                forms = [entry.msgstr.get(n, "") for n in range(nplurals)]
                reason = None if entry.msgid_plural is not None and all(forms) else \
                    f"lacks some of its {nplurals} plural form(s)"
            else:
                reason = None if entry.msgstr.get(0) else "is untranslated"
            if reason is None:
                continue
            missing.append(label)
            path, _, line = where.rpartition(":")
            if not path or not line.isdigit():
                path, line = where, "1"
            report.add(path, int(line), "translated",
                       f'{lang}: "{shorten(label)}" {reason} in po/{lang}.po')
        untranslated[lang] = missing
    return untranslated


# ---------------------------------------------------------------------------

def find_sources(srcdir, roots, exts):
    found = []
    for root in roots:
        top = os.path.join(srcdir, root)
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.endswith(exts):
                    found.append(os.path.relpath(os.path.join(dirpath, name), srcdir))
    return sorted(found)


def main(argv=None):
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--srcdir", default=os.path.dirname(here),
                        help="the project's source root (default: %(default)s)")
    parser.add_argument("--xgettext", default="xgettext", help="the xgettext to run")
    parser.add_argument("--scan", action="append", default=None, metavar="DIR",
                        help="folders holding .c/.h/.ui files to check (default: src, data/ui)")
    parser.add_argument("--c-exclude", action="append", default=None, metavar="DIR",
                        help="folders whose C code is exempt from the call check "
                             "(default: src/server, which answers HTTP clients, not people)")
    parser.add_argument("--update-potfiles", action="store_true",
                        help="add every source file with marked strings to po/POTFILES.in and exit")
    parser.add_argument("--list-untranslated", action="store_true",
                        help="only print the msgids that lack a translation, one a line")
    args = parser.parse_args(argv)

    srcdir = os.path.abspath(args.srcdir)
    scan = args.scan or ["src", "data/ui"]
    c_exclude = [d.rstrip("/") + "/" for d in (args.c_exclude if args.c_exclude is not None
                                               else ["src/server"])]
    sources = find_sources(srcdir, scan, (".c", ".h", ".ui"))

    if args.update_potfiles:
        for rel in update_potfiles(srcdir, sources):
            print(f"added {rel} to po/POTFILES.in")
        return 0

    report = Report()
    for rel in sources:
        path = os.path.join(srcdir, rel)
        if rel.endswith(".ui"):
            check_ui_file(path, rel, report)
        elif rel.endswith(".c") and not any(rel.startswith(d) for d in c_exclude):
            check_c_file(path, rel, report)
    check_potfiles(srcdir, sources, report)
    languages = read_linguas(srcdir)
    check_linguas(srcdir, languages, report)
    try:
        untranslated = check_translations(srcdir, args.xgettext, languages, report)
    except (RuntimeError, OSError, ValueError) as e:
        report.add("po/POTFILES.in", 1, "translated", str(e).strip())
        untranslated = {}

    if args.list_untranslated:
        for lang, msgids in untranslated.items():
            for msgid in msgids:
                print(f"{lang}\t{msgid!r}")
        return 1 if any(untranslated.values()) else 0

    report.print(sys.stdout)
    if report.problems:
        counts = {}
        for problem in report.problems:
            counts[problem[2]] = counts.get(problem[2], 0) + 1
        summary = ", ".join(f"{n} {check}" for check, n in sorted(counts.items()))
        print(f"check-i18n: {len(report.problems)} problem(s): {summary}", file=sys.stderr)
        return 1
    print("check-i18n: every user-visible string is marked and translated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
