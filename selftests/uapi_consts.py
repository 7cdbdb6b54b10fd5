#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Read the wire numbers of offloadmod from its uapi header.

The tests take constants from uapi/linux/offloadmod.h itself, so they check
the module against the contract rather than against its own idea of it.
Usage as a tool: uapi_consts.py HEADER NAME -> prints the value.
"""
import re
import sys


def parse(path):
    """Return {name: int} for #define numbers and enum members."""
    text = open(path, encoding="utf-8").read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    consts = {}
    for name, val in re.findall(r"#define\s+(\w+)\s+(\d+)\s*$", text, re.M):
        consts[name] = int(val)
    for body in re.findall(r"enum\s*\w*\s*\{(.*?)\}", text, re.S):
        nxt = 0
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            m = re.match(r"(\w+)\s*(?:=\s*(.+))?$", item, re.S)
            if not m:
                continue
            name, expr = m.group(1), m.group(2)
            if expr is not None:
                expr = re.sub(r"\b([A-Z_][A-Z0-9_]*)\b",
                              lambda x: str(consts[x.group(1)]), expr)
                nxt = int(eval(expr, {"__builtins__": {}}))
            consts[name] = nxt
            nxt += 1
    return consts


if __name__ == "__main__":
    print(parse(sys.argv[1])[sys.argv[2]])
