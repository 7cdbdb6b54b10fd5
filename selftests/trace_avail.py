#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""How `offloadmod-ctl -j trace` reported each stage's availability.

  trace_avail.py OUT ERR PATH...

OUT is trace's stdout (the JSON array), ERR its stderr, PATHs the cgroups
(paths below the root) the array must hold, exactly. Prints one line
"json - ok" (or "json - no WHY", and nothing more), then one line per
stage and counter pair:

  KEY STATE VERDICT REASON

STATE is full (available, reason null), partial (available, with a
reason), unavailable (not available, with a reason) or malformed. VERDICT
is "ok" when the output says so consistently: the same state and reason
in every cgroup, numbers for a measured one, null values (never zeros) for
an unavailable one, and a one-line warning on stderr for each one not
fully measured (none for the others); else what is wrong.
"""
import json
import sys

STAGES = ["rx_stack", "rx_wait", "tx_stack", "tx_qdisc", "sched_wait"]
NAMES = {"rx": "rx counters", "tx": "tx counters"}


def verdict(key, avail, reason, vals, stderr):
    name = NAMES.get(key, key)
    mine = [l for l in stderr if "warning: trace: %s " % name in l]
    numbers = all(isinstance(v, int) and not isinstance(v, bool) for v in vals)
    if avail is True and reason is None:
        bad = [] if numbers else ["values not numbers"]
        return "full", bad + ["warned: " + l for l in mine]
    if not isinstance(reason, str) or not reason:
        return "malformed", ["available %r reason %r" % (avail, reason)]
    if avail is True:
        state, bad = "partial", [] if numbers else ["values not numbers"]
    elif avail is False:
        state = "unavailable"
        bad = [] if all(v is None for v in vals) else ["values not null"]
    else:
        return "malformed", ["available %r" % (avail,)]
    want = "warning: trace: %s %s: %s" % (name, state, reason)
    if not any(l.endswith(want) for l in mine):
        bad.append("no warning %r" % want)
    return state, bad


def main():
    out, err, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
    stderr = open(err).read().splitlines()
    try:
        objs = {o["path"]: o for o in json.load(open(out))}
    except (ValueError, TypeError, KeyError) as e:
        print("json - no", e)
        return
    if sorted(objs) != sorted(paths):
        print("json - no entries", sorted(objs))
        return
    print("json - ok")
    for key in STAGES + ["rx", "tx"]:
        seen = {json.dumps([objs[p][key].get("available"),
                            objs[p][key].get("reason")]) for p in paths}
        if len(seen) != 1:
            print(key, "malformed", "differs between cgroups:", seen)
            continue
        avail, reason = json.loads(seen.pop())
        vals = [v for p in paths for k, v in objs[p][key].items()
                if k not in ("available", "reason")]
        state, bad = verdict(key, avail, reason, vals, stderr)
        print(key, state, "ok" if not bad else "|".join(bad).replace(" ", "_"),
              reason or "")


if __name__ == "__main__":
    main()
