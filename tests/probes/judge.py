#!/usr/bin/env python3
"""Judge the probes of tests/probes/run from bootcheck's two reports.

    judge.py PROBES_JSON RUST_REPORT C_REPORT TABLE_OUT
        every probe without `needsNixos` must pass on the Rust guest and
        fail on the C guest; prints one line per probe, writes the Markdown
        table, exits 1 when a probe does not discriminate
    judge.py --write-table README TABLE    put TABLE between README's markers
    judge.py --check-table README TABLE    exit 1 when README's table differs
"""

import json
import sys

BEGIN = "<!-- probes table: written by tests/probes/run --update -->"
END = "<!-- end of probes table -->"


def first_line(text):
    lines = [line for line in (text or "").splitlines() if line.strip()]
    return lines[0][:70] if lines else ""


def results(report_path):
    try:
        with open(report_path) as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        return None, f"no report ({e})"
    return {p["name"]: p for p in report.get("probes", [])}, f"{report.get('verdict')}: {report.get('summary')}"


def judge(probes_json, rust_report, c_report, table_out):
    with open(probes_json) as f:
        probes = json.load(f)["probes"]
    rust, rust_summary = results(rust_report)
    c, c_summary = results(c_report)
    print(f"rust guest: {rust_summary}")
    print(f"c guest:    {c_summary}")
    rows = ["| component | probe | Rust guest | C guest |", "|---|---|---|---|"]
    bad = 0
    for p in probes:
        name, comp = p["name"], p["component"]
        if p.get("needsNixos") is not None:
            rows.append(f"| {comp} | `{name}` | not run: {p['needsNixos']} | not run |")
            print(f"not run {comp}/{name}: needs NixOS: {p['needsNixos']}")
            continue
        r = (rust or {}).get(name)
        g = (c or {}).get(name)
        r_pass = bool(r and r["passed"])
        g_pass = bool(g and g["passed"])
        if r is None or g is None:
            verdict = "FAIL not run on " + ("both guests" if r is None and g is None else "the Rust guest" if r is None else "the C guest")
        elif r_pass and not g_pass:
            verdict = "ok  "
        elif r_pass and g_pass:
            verdict = "FAIL passes on both: proves nothing"
        elif not r_pass and not g_pass:
            verdict = "FAIL fails on both: the probe is wrong"
        else:
            verdict = "FAIL fails on Rust, passes on C"
        if not verdict.startswith("ok"):
            bad += 1
        print(f"{verdict} {comp}/{name}")
        for side, res in (("rust", r), ("c", g)):
            if res is not None and (not verdict.startswith("ok") or not res["passed"]):
                why = res.get("error") or "passed"
                print(f"       {side}: {why}")
        rows.append(f"| {comp} | `{name}` | {'pass' if r_pass else 'FAIL'} | {'pass' if g_pass else 'fail'} |")
    with open(table_out, "w") as f:
        f.write("\n".join(rows) + "\n")
    # The controls tests/probes/run adds must pass on both guests.
    controls = sorted({n for n in list(rust or {}) + list(c or {}) if n.startswith("control:")})
    for name in controls:
        r = (rust or {}).get(name)
        g = (c or {}).get(name)
        ok = bool(r and r["passed"] and g and g["passed"])
        if not ok:
            bad += 1
        print(f"{'ok  ' if ok else 'FAIL'} {name} (must pass on both guests)")
        for side, res in (("rust", r), ("c", g)):
            if res is None:
                print(f"       {side}: not run")
            elif not res["passed"]:
                print(f"       {side}: {res.get('error')}")
    ran = sum(1 for p in probes if p.get("needsNixos") is None)
    print(f"probes: {ran} run, {len(probes) - ran} need a booted NixOS; controls: {len(controls)}; failures: {bad}")
    return 1 if bad else 0


def section(readme):
    text = open(readme).read()
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{readme}: no probes table markers")
    head, rest = text.split(BEGIN, 1)
    body, tail = rest.split(END, 1)
    return head, body, tail


def main():
    if sys.argv[1] in ("--write-table", "--check-table"):
        readme, table = sys.argv[2], open(sys.argv[3]).read()
        head, body, tail = section(readme)
        if sys.argv[1] == "--write-table":
            with open(readme, "w") as f:
                f.write(head + BEGIN + "\n" + table + END + tail)
            return 0
        return 0 if body.strip() == table.strip() else 1
    return judge(*sys.argv[1:5])


if __name__ == "__main__":
    sys.exit(main())
