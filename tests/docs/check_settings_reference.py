#!/usr/bin/env python3
"""Checks the configuration reference of docs/operations.md against the binaries.

    check_settings_reference.py DOC SERVICE=BINARY ...

Each service's settings are what `BINARY --help` lists (lines "  --name=<kind>").
The doc documents them as table rows whose first cell is `--name`, in sections
that start at an anchor line:

    <a id="settings-common"></a>   settings every service has
    <a id="settings-SERVICE"></a>  settings of that service alone

A section ends at the next anchor or `## ` heading. The check fails when a
binary has a setting neither its section nor the common one lists, when a
section lists a setting its binary (or, for the common section, one of the
binaries) does not have, when a setting is listed twice, or when a row's
variable is not the setting's HOTLINE_* name.
"""
import re
import subprocess
import sys

ANCHOR = re.compile(r'^\s*<a id="settings-([a-z]+)"></a>\s*$')
END = re.compile(r'^\s*(<a id=|## )')
ROW = re.compile(r'^\|\s*`--([a-z0-9-]+)`\s*\|\s*`?([A-Z0-9_]*)`?\s*\|')
HELP_FLAG = re.compile(r'^  --([a-z0-9-]+)=<', re.M)


def env_name(flag):
    return 'HOTLINE_' + flag.upper().replace('-', '_')


def doc_sections(path):
    """{section: [(flag, variable, line number)]} of the doc."""
    sections, current = {}, None
    with open(path, encoding='utf-8') as doc:
        for number, line in enumerate(doc, 1):
            anchor = ANCHOR.match(line)
            if anchor:
                current = anchor.group(1)
                sections.setdefault(current, [])
                continue
            if END.match(line):
                current = None
                continue
            row = ROW.match(line)
            if row and current:
                sections[current].append((row.group(1), row.group(2), number))
    return sections


def binary_flags(binary):
    run = subprocess.run([binary, '--help'], capture_output=True, text=True, timeout=30)
    flags = HELP_FLAG.findall(run.stdout)
    if run.returncode != 0 or not flags:
        raise RuntimeError(f'{binary} --help: exit {run.returncode}, {len(flags)} settings')
    return set(flags)


def check(doc, binaries):
    problems = []
    sections = doc_sections(doc)
    common = sections.get('common')
    if common is None:
        problems.append(f'{doc}: no section <a id="settings-common"></a>')
        common = []
    common_flags = {flag for flag, _, _ in common}
    for section, rows in sections.items():
        seen = set()
        for flag, variable, line in rows:
            where = f'{doc}:{line}'
            if flag in seen:
                problems.append(f'{where}: --{flag} is listed twice in settings-{section}')
            seen.add(flag)
            if variable != env_name(flag):
                problems.append(f'{where}: --{flag} has the variable {env_name(flag)}, '
                                f'not "{variable}"')
    for service, binary in binaries.items():
        flags = binary_flags(binary)
        rows = sections.get(service)
        if rows is None:
            problems.append(f'{doc}: no section <a id="settings-{service}"></a>')
            rows = []
        own = {flag for flag, _, _ in rows}
        for flag in sorted(flags - own - common_flags):
            problems.append(f'hotline-{service} has --{flag}, which the doc lists neither '
                            f'under settings-{service} nor settings-common')
        for flag, _, line in rows:
            if flag not in flags:
                problems.append(f'{doc}:{line}: settings-{service} lists --{flag}, which '
                                f'hotline-{service} does not have')
            if flag in common_flags:
                problems.append(f'{doc}:{line}: --{flag} is listed both under '
                                f'settings-{service} and settings-common')
        for flag, _, line in common:
            if flag not in flags:
                problems.append(f'{doc}:{line}: settings-common lists --{flag}, which '
                                f'hotline-{service} does not have')
    return problems


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    binaries = dict(arg.split('=', 1) for arg in argv[2:])
    problems = check(argv[1], binaries)
    for problem in problems:
        print('FAIL:', problem)
    if problems:
        print(f'{len(problems)} problem(s): the configuration reference of {argv[1]} '
              'does not match the binaries\' --help')
        return 1
    print(f'ok: {argv[1]} documents every setting of {", ".join(binaries)} and no other')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
