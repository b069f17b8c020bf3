#!/usr/bin/env python3
"""Checks the macOS pkg's inputs where no Mac is at hand: the LaunchAgent, the example configuration
profile and the distribution are well-formed with the keys they need, and the install scripts are valid
sh that never start the agent as root.

    check_plists.py <installer/macos folder>

The profile's preference keys are checked against the table of managed keys by tst_managed_keys, which
reads the profile through the agent's macOS reader. Exits 1 naming every problem."""

import plistlib
import re
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

PROGRAM = "/Applications/Odis Clinic Agent.app/Contents/MacOS/odis-agent"


def main():
    here = Path(sys.argv[1])
    problems = []

    def expect(ok, what):
        if not ok:
            problems.append(what)

    agent = plistlib.loads((here / "com.odis.agent.plist").read_bytes())
    expect(agent.get("Label") == "com.odis.agent", "LaunchAgent: Label is not com.odis.agent")
    args = agent.get("ProgramArguments", [])
    expect(isinstance(args, list) and args and args[0] == PROGRAM,
           f"LaunchAgent: ProgramArguments does not start {PROGRAM}")
    expect(agent.get("RunAtLoad") is True, "LaunchAgent: RunAtLoad is not true")
    expect(agent.get("LimitLoadToSessionType") == "Aqua", "LaunchAgent: not limited to users' GUI sessions")
    for forbidden in ("UserName", "GroupName", "InitGroups"):
        expect(forbidden not in agent, f"LaunchAgent: {forbidden} (the agent runs as the logged-in user)")
    expect("Program" not in agent, "LaunchAgent: both Program and ProgramArguments")

    profile = plistlib.loads((here / "com.odis.agent.mobileconfig").read_bytes())
    for key, kind in (("PayloadType", str), ("PayloadIdentifier", str), ("PayloadUUID", str),
                      ("PayloadVersion", int), ("PayloadDisplayName", str), ("PayloadContent", list)):
        expect(isinstance(profile.get(key), kind), f"profile: {key} missing or not a {kind.__name__}")
    expect(profile.get("PayloadType") == "Configuration", "profile: PayloadType is not Configuration")
    payloads = [p for p in profile.get("PayloadContent", []) if p.get("PayloadType") == "com.odis.agent"]
    expect(len(payloads) == 1, "profile: no payload of type com.odis.agent")
    uuids = [profile.get("PayloadUUID")] + [p.get("PayloadUUID") for p in profile.get("PayloadContent", [])]
    for value in uuids:
        try:
            uuid.UUID(str(value))
        except ValueError:
            problems.append(f"profile: PayloadUUID {value!r} is not a UUID")
    expect(len(set(uuids)) == len(uuids), "profile: PayloadUUIDs repeat")
    for p in payloads:
        for key in ("PayloadIdentifier", "PayloadUUID", "PayloadVersion"):
            expect(key in p, f"profile payload: {key} missing")
        settings = [k for k in p if not k.startswith("Payload")]
        expect(settings, "profile payload: sets nothing")

    dist = ET.parse(here / "distribution.xml").getroot()
    expect(dist.tag == "installer-gui-script", "distribution: not an installer-gui-script")
    expect(dist.find("pkg-ref[@id='com.odis.agent']") is not None, "distribution: no pkg-ref com.odis.agent")
    domains = dist.find("domains")
    expect(domains is not None and domains.get("enable_localSystem") == "true"
           and domains.get("enable_currentUserHome") == "false", "distribution: not installed for every user")

    for name in ("preinstall", "postinstall"):
        script = here / "scripts" / name
        expect(script.stat().st_mode & 0o111 != 0, f"{name}: not executable")
        expect(subprocess.run(["sh", "-n", str(script)]).returncode == 0, f"{name}: not valid sh")
        text = script.read_text()
        # Run as root by the installer: the program itself must never be executed from here.
        for line in text.splitlines():
            code = line.split("#", 1)[0]
            expect(not re.search(r"odis-agent(\s|$|\")", code) or "pkill" in code or "awk" in code,
                   f"{name}: runs the agent: {line.strip()}")
            expect("launchctl asuser 0" not in code and "launchctl bootstrap system" not in code,
                   f"{name}: loads the agent into root's or the system domain: {line.strip()}")

    if problems:
        for p in problems:
            print(f"check_plists: {p}", file=sys.stderr)
        return 1
    print("check_plists: LaunchAgent, configuration profile, distribution and scripts: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
