"""Counts test assertion lines whose Chinese string literals are (part of) a zh-CN resource text: copy compared by hand.
Prints the total and the count per tier. Used by tools/structure-counts.sh."""
import collections
import glob
import re
import subprocess
import xml.etree.ElementTree as ET

fragments = set()
for resx in glob.glob("DezhiHub.Web/Resources/*zh-CN.resx"):
    for data in ET.parse(resx).getroot().findall("data"):
        value = data.find("value")
        if value is not None and value.text and re.search("[\u4e00-\u9fff]", value.text):
            fragments.update(f.strip() for f in re.split(r"\{[^}]*\}", value.text) if len(f.strip()) >= 4)

files = subprocess.check_output(["git", "ls-files", "DezhiHub.Tests/*.cs"]).decode().split()
tiers = collections.Counter()
for path in files:
    with open(path, encoding="utf-8") as source:
        for line in source:
            if not re.search(r"Assert|Expect|Contains\(", line):
                continue
            literals = re.findall(r'"([^"\\]*[\u4e00-\u9fff][^"\\]*)"', line)
            if any(f in l or (len(l) >= 4 and l in f) for l in literals for f in fragments):
                tiers[path.split("/")[1]] += 1
print(sum(tiers.values()), dict(sorted(tiers.items())))
