#!/usr/bin/env python3
"""Checks a built odis-agent MSI with msiinfo (msitools): what Windows Installer will do with it.

    check_msi.py <msi> <version> <staged odis-agent.exe>

Per-machine; the fixed UpgradeCode and a major upgrade (the Upgrade table detects older and newer
versions, RemoveExistingProducts runs); running agents closed before InstallValidate and before the old
version is removed; the public properties written to the policy key, each only when set; the Run key for
every user with AUTOSTART=1; the enrollment code hidden from the log and not carried over on upgrade;
the payload is the staged program. Exits 1 naming every problem found."""

import os
import subprocess
import sys

UPGRADE_CODE = "{8E2D6B57-3C1A-4F0E-9B7D-2A64C5E19F03}"
POLICY_KEY = "Software\\Policies\\Odis\\Agent"
RUN_KEY = "Software\\Microsoft\\Windows\\CurrentVersion\\Run"
HKLM = "2"
# property -> policy value name (agent/managed/managed_keys.h; tst_managed_keys checks the names)
POLICY = {
    "BACKEND_URL": "BackendUrl",
    "NEO_BASE_URL": "NeoBaseUrl",
    "TELEMETRY": "TelemetryEnabled",
    "LOG_LEVEL": "LogLevel",
    "ENROLLMENT_CODE": "EnrollmentCode",
}
REMEMBERED = ["BACKEND_URL", "NEO_BASE_URL", "TELEMETRY", "LOG_LEVEL"]


def table(msi, name):
    """Rows of one table as dicts (msiinfo export: header, types, key line, then rows)."""
    text = subprocess.run(["msiinfo", "export", msi, name], check=True, capture_output=True,
                          text=True).stdout
    lines = text.rstrip("\n").split("\n")
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"))) for line in lines[3:] if line]


def main():
    msi, version, exe = sys.argv[1:4]
    problems = []

    def expect(ok, what):
        if not ok:
            problems.append(what)

    props = {r["Property"]: r["Value"] for r in table(msi, "Property")}
    expect(props.get("ALLUSERS") == "1", "not per-machine (ALLUSERS=1)")
    expect(props.get("UpgradeCode") == UPGRADE_CODE, f"UpgradeCode is {props.get('UpgradeCode')}")
    expect(props.get("ProductVersion") == version, f"ProductVersion is {props.get('ProductVersion')}")
    expect(props.get("AUTOSTART") == "1", "AUTOSTART does not default to 1")
    expect("ENROLLMENT_CODE" in props.get("MsiHiddenProperties", "").split(";"),
           "ENROLLMENT_CODE is not in MsiHiddenProperties (it would reach install.log)")
    expect("ENROLLMENT_CODE" not in props, "ENROLLMENT_CODE has a built-in value")

    components = {r["Component"]: r for r in table(msi, "Component")}
    registry = table(msi, "Registry")
    for prop, name in POLICY.items():
        rows = [r for r in registry if r["Key"] == POLICY_KEY and r["Name"] == name]
        expect(len(rows) == 1, f"policy value {name}: {len(rows)} registry rows")
        for r in rows:
            expect(r["Root"] == HKLM, f"policy value {name} is not under HKLM")
            expect(r["Value"] == f"[{prop}]", f"policy value {name} is not written from [{prop}]")
            cond = components.get(r["Component_"], {}).get("Condition", "")
            expect(cond == prop, f"policy value {name} is written even when {prop} is not set ({cond!r})")
    unknown = [r["Name"] for r in registry if r["Key"] == POLICY_KEY and r["Name"] not in POLICY.values()]
    expect(not unknown, f"policy values the agent does not know: {unknown}")

    run = [r for r in registry if r["Key"] == RUN_KEY]
    expect(len(run) == 1, f"{len(run)} Run key rows")
    for r in run:
        expect(r["Root"] == HKLM, "the Run key is not the machine's (every user's)")
        expect(r["Name"] == "OdisAgent", f"Run value named {r['Name']}")
        expect(r["Value"].startswith('"[#AgentExe]"'), f"Run value does not start the installed program: {r['Value']}")
        cond = components.get(r["Component_"], {}).get("Condition", "")
        expect(cond == 'AUTOSTART = "1"', f"Run key condition is {cond!r}")

    upgrade = table(msi, "Upgrade")
    older = [r for r in upgrade if r["UpgradeCode"] == UPGRADE_CODE and r["VersionMax"] == version
             and r["ActionProperty"] == "WIX_UPGRADE_DETECTED"]
    newer = [r for r in upgrade if r["UpgradeCode"] == UPGRADE_CODE and r["VersionMin"] == version
             and r["ActionProperty"] == "WIX_DOWNGRADE_DETECTED"]
    expect(len(older) == 1, "no Upgrade row detecting older versions")
    expect(len(newer) == 1, "no Upgrade row detecting newer versions (downgrade)")
    for r in older:
        expect(int(r["Attributes"]) & 4 == 0, "older versions are only detected, not removed (OnlyDetect)")
    launch = [r["Condition"] for r in table(msi, "LaunchCondition")]
    expect("NOT WIX_DOWNGRADE_DETECTED" in launch, "a downgrade is not refused")

    sequence = {r["Action"]: r for r in table(msi, "InstallExecuteSequence")}

    def seq(action):
        return int(sequence[action]["Sequence"]) if action in sequence else None

    expect(seq("RemoveExistingProducts") is not None, "RemoveExistingProducts is not scheduled")
    actions = {r["Action"]: r for r in table(msi, "CustomAction")}
    close = actions.get("CloseRunningAgents")
    expect(close is not None, "no custom action closing running agents")
    if close:
        expect(close["Source"] == "TASKKILL" and "/IM odis-agent.exe" in close["Target"],
               f"CloseRunningAgents runs {close['Source']} {close['Target']}")
        expect(actions.get("FindTaskkill", {}).get("Target") == "[System64Folder]taskkill.exe",
               "TASKKILL is not the system's taskkill.exe")
        c, f = seq("CloseRunningAgents"), seq("FindTaskkill")
        expect(c is not None and f is not None and f < c, "taskkill is not found before it runs")
        if c is not None:
            expect(c < seq("InstallValidate") and c < seq("RemoveExistingProducts"),
                   "running agents are closed too late (after InstallValidate or the old version's removal)")
            expect("WIX_UPGRADE_DETECTED" in sequence["CloseRunningAgents"]["Condition"]
                   and "Installed" in sequence["CloseRunningAgents"]["Condition"],
                   "running agents are not closed on upgrade and uninstall")

    searches = {r["Property"] for r in table(msi, "AppSearch")}
    expect(searches == set(REMEMBERED), f"remembered on upgrade: {sorted(searches)}")
    for name in ("InstallExecuteSequence", "InstallUISequence"):
        order = {r["Action"]: int(r["Sequence"]) for r in table(msi, name)}
        for prop in REMEMBERED:
            keep = [a for a in order if a.startswith("Keep") and actions.get(a, {}).get("Target") == f"[{prop}]"]
            apply = [a for a in order if a.startswith("Apply") and actions.get(a, {}).get("Source") == prop]
            expect(len(keep) == 1 and len(apply) == 1, f"{name}: {prop} is not kept and applied around AppSearch")
            if len(keep) == 1 and len(apply) == 1:
                expect(order[keep[0]] < order["AppSearch"] < order[apply[0]],
                       f"{name}: the command line's {prop} does not win over the installed value")

    files = table(msi, "File")
    agent = [r for r in files if r["File"] == "AgentExe"]
    expect(len(agent) == 1 and agent[0]["FileName"].endswith("odis-agent.exe"), "no odis-agent.exe in the File table")
    if agent:
        expect(int(agent[0]["FileSize"]) == os.path.getsize(exe), "odis-agent.exe is not the staged program")

    if problems:
        for p in problems:
            print(f"check_msi: {p}", file=sys.stderr)
        return 1
    print(f"check_msi: {msi}: per-machine, upgrade code {UPGRADE_CODE}, {len(POLICY)} policy values, "
          f"Run key, major upgrade closing running agents: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
