#!/usr/bin/env python3
"""Add UI strings to both languages at once.

Reads lines "Key<TAB>中文<TAB>English" from standard input and appends them to
DezhiHub.Web/Resources/<Set>.zh-CN.resx and <Set>.en-US.resx (Set defaults to Strings).
Refuses a key that already exists, so neither language can be forgotten or overwritten.

    printf 'Activity.Title\t标题\tTitle\n' | python3 tools/add-strings.py [Set]
"""
import html
import os
import re
import sys

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "DezhiHub.Web", "Resources")
resource_set = sys.argv[1] if len(sys.argv) > 1 else "Strings"
files = {c: os.path.join(root, f"{resource_set}.{c}.resx") for c in ("zh-CN", "en-US")}

rows = []
for number, line in enumerate(sys.stdin, 1):
    line = line.rstrip("\n")
    if not line.strip():
        continue
    parts = line.split("\t")
    if len(parts) != 3 or not all(p.strip() for p in parts):
        sys.exit(f"line {number}: want Key<TAB>中文<TAB>English, got {line!r}")
    rows.append(parts)

existing = {c: open(f, encoding="utf-8").read() for c, f in files.items()}
keys = set(re.findall(r'<data name="([^"]+)"', existing["zh-CN"]))
new_keys = [r[0] for r in rows]
clash = sorted((keys & set(new_keys)) | {k for k in new_keys if new_keys.count(k) > 1})
if clash:
    sys.exit("already there (or given twice): " + ", ".join(clash))

for column, culture in ((1, "zh-CN"), (2, "en-US")):
    added = "".join(
        f'  <data name="{html.escape(r[0])}" xml:space="preserve"><value>{html.escape(r[column], quote=False)}</value></data>\n'
        for r in rows)
    text = existing[culture].replace("</root>", added + "</root>")
    with open(files[culture], "w", encoding="utf-8") as f:
        f.write(text)
print(f"added {len(rows)} strings to {resource_set}")
