#!/usr/bin/env python3
"""Turns the AsciiDoc man pages picocli's ManPageGenerator writes into roff man pages.

    adoc2man.py ADOC_DIR MAN1_DIR

Only the subset ManPageGenerator emits: header attributes, `= name(1)`, `== Section`, paragraphs,
`term::` definition lists, `[%hardbreaks]` blocks, *bold*, _italic_, `code`, xref:f.adoc[text] and
listing blocks (----). Asciidoctor does this too but needs JRuby; this keeps the build light.
"""
import os
import re
import sys


def inline(text):
    text = text.replace("\\", "\\e")
    text = re.sub(r"xref:[^\[]*\[(.*?)\]", r"\1", text)
    text = re.sub(r"pass:\[(.*?)\]", r"\1", text)
    text = re.sub(r"\+\+(.*?)\+\+", r"\1", text)
    text = re.sub(r"(?<![\w*])\*([^*\s](?:[^*]*?[^*\s])??)\*(?![\w*])", r"\\fB\1\\fR", text)
    text = re.sub(r"(?<![\w_])_([^_\s](?:[^_]*?[^_\s])??)_(?![\w_])", r"\\fI\1\\fR", text)
    text = re.sub(r"`([^`]+)`", r"\\fB\1\\fR", text)
    text = text.replace("{blank}", "").replace("&#160;", " ").replace("&#8203;", "")
    text = text.replace("-", "\\-")
    if text.startswith(".") or text.startswith("'"):
        text = "\\&" + text
    return text


def convert(lines, source):
    out = []
    title = None
    hardbreaks = False
    listing = False
    for raw in lines:
        line = raw.rstrip("\n")
        if listing:
            if line.strip() == "----":
                listing = False
                out.append(".fi")
            else:
                out.append(line.replace("\\", "\\e") if not line.startswith(".") else "\\&" + line)
            continue
        stripped = line.strip()
        if stripped.startswith("//") or (stripped.startswith(":") and title is None):
            continue
        m = re.match(r"^= (\S+)\((\d)\)", stripped)
        if m:
            title = m.group(1)
            out.append('.TH "%s" "%s" "" "" "Lightcone Manual"' % (title.upper(), m.group(2)))
            continue
        m = re.match(r"^==+ (.*)", stripped)
        if m:
            out.append(".SH " + m.group(1).upper())
            hardbreaks = False
            continue
        if stripped == "[%hardbreaks]":
            hardbreaks = True
            continue
        if stripped in ("[listing]", "[source]") or stripped.startswith("[source,"):
            continue
        if stripped == "----":
            listing = True
            out.append(".nf")
            continue
        if stripped == "":
            hardbreaks = False
            out.append(".PP")
            continue
        m = re.match(r"^(.*\S)::$", stripped)
        if m:
            out.append(".TP")
            out.append(inline(m.group(1)))
            continue
        if stripped == "+":
            out.append(".br")
            continue
        out.append(inline(stripped))
        if hardbreaks:
            out.append(".br")
    if title is None:
        raise SystemExit("adoc2man: %s: no '= name(1)' title" % source)
    # No empty paragraphs: collapse repeated .PP and .PP before a section or a .TP.
    cleaned = []
    for l in out:
        if l == ".PP" and cleaned and cleaned[-1] in (".PP", ".TP") or (
            l in (".TP",) or l.startswith(".SH")
        ) and cleaned and cleaned[-1] == ".PP":
            if l == ".PP":
                continue
            cleaned.pop()
        cleaned.append(l)
    return title, "\n".join(cleaned).strip() + "\n"


def main():
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    names = sorted(n for n in os.listdir(src) if n.endswith(".adoc"))
    if not names:
        raise SystemExit("adoc2man: no .adoc file in " + src)
    for name in names:
        with open(os.path.join(src, name), encoding="utf-8") as f:
            title, roff = convert(f.readlines(), name)
        with open(os.path.join(dst, title + ".1"), "w", encoding="utf-8") as f:
            f.write(roff)
    print("adoc2man: %d man pages in %s" % (len(names), dst))


if __name__ == "__main__":
    main()
