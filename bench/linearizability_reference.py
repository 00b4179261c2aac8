"""A plain Python Wing-Gong/Lowe checker for cas-register histories.

The side-by-side baseline and cross-check of //bench:linearizability: the
same search as properties/linearizability (a linked list of calls and
returns, a (bitset, state) cache, info operations optional), written
independently in the simplest Python. Reads the EDN lines History::ToEdn()
writes, prints "FILE: linearizable|not linearizable" per file and, last,
"total <ms> ms".

    python3 bench/linearizability_reference.py histories/*.edn
"""
import re
import sys
import time

EVENT = re.compile(r"\{:process (-?\d+), :type :(\w+), :f :(\w+), :value (nil|-?\d+|\[[^\]]*\])")


def parse_value(text):
    if text == "nil":
        return None
    if text.startswith("["):
        return tuple(int(x) for x in text[1:-1].split())
    return int(text)


def operations(lines):
    ops, pending = [], {}
    for position, line in enumerate(lines):
        match = EVENT.match(line)
        if not match:
            continue
        process, kind, f, value = int(match[1]), match[2], match[3], parse_value(match[4])
        if kind == "invoke":
            pending[process] = len(ops)
            ops.append({"f": f, "input": value, "output": None, "call": position, "ret": None,
                        "ok": False, "fail": False})
            continue
        op = ops[pending.pop(process)]
        if kind == "ok":
            op["ok"], op["output"], op["ret"] = True, value, position
        elif kind == "fail":
            op["fail"] = True
    # Failed operations did not happen; unknown reads explain nothing.
    return [op for op in ops if not op["fail"] and (op["ok"] or op["f"] != "read")]


def step(state, op):
    if op["f"] == "write":
        return True, op["input"]
    if op["f"] == "cas":
        return state == op["input"][0], op["input"][1]
    return (not op["ok"]) or op["output"] == state, state


def linearizable(ops):
    entries = sorted([(op["call"], True, i) for i, op in enumerate(ops)] +
                     [(op["ret"], False, i) for i, op in enumerate(ops) if op["ok"]])
    n = len(entries)
    head = n
    nxt = list(range(1, n + 1)) + [0 if n else n]
    prv = [head] + list(range(n - 1)) + [n - 1 if n else n]
    is_call = [e[1] for e in entries]
    op_of = [e[2] for e in entries]
    ret_of = {}
    for index, (_, call, i) in enumerate(entries):
        if not call:
            ret_of[i] = index

    def unlink(e):
        nxt[prv[e]] = nxt[e]
        prv[nxt[e]] = prv[e]

    def relink(e):
        nxt[prv[e]] = e
        prv[nxt[e]] = e

    ok_left = sum(1 for op in ops if op["ok"])
    linearized, state, cache, stack = 0, None, set(), []
    entry = nxt[head]
    while True:
        if ok_left == 0:
            return True
        if is_call[entry]:
            i = op_of[entry]
            possible, after = step(state, ops[i])
            key = (linearized | (1 << i), after)
            if possible and key not in cache:
                cache.add(key)
                stack.append((entry, state))
                state, linearized = after, linearized | (1 << i)
                unlink(entry)
                if i in ret_of:
                    unlink(ret_of[i])
                ok_left -= 1 if ops[i]["ok"] else 0
                entry = nxt[head]
                continue
            entry = nxt[entry]
            continue
        if not stack:
            return False
        entry, state = stack.pop()
        i = op_of[entry]
        linearized &= ~(1 << i)
        if i in ret_of:
            relink(ret_of[i])
        relink(entry)
        ok_left += 1 if ops[i]["ok"] else 0
        entry = nxt[entry]


def main(files):
    start = time.perf_counter()
    for name in files:
        with open(name) as f:
            verdict = linearizable(operations(f.read().splitlines()))
        print(f"{name}: {'linearizable' if verdict else 'not linearizable'}")
    print(f"total {(time.perf_counter() - start) * 1000:.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
