#!/usr/bin/env python3
"""The settings checker fails on a broken configuration reference.

    check_settings_reference_test.py CHECKER DOC SERVICE=BINARY ...

Starts from the real doc (which must pass), then breaks one thing at a time in
a copy and expects the checker to fail and name the setting: a service's
setting left out, a shared setting left out, a setting the binary does not
have, a service's own setting listed as shared, a wrong variable name.
"""
import os
import re
import subprocess
import sys
import tempfile

ROW = re.compile(r'^\|\s*`--([a-z0-9-]+)`')


def run(checker, doc, binaries):
    result = subprocess.run([sys.executable, checker, doc] + binaries,
                            capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout + result.stderr


def first_row(lines, section):
    """Index and flag of the first settings row after the section's anchor."""
    start = lines.index(f'<a id="settings-{section}"></a>\n')
    for i in range(start + 1, len(lines)):
        row = ROW.match(lines[i])
        if row:
            return i, row.group(1)
    raise AssertionError(f'no settings row in settings-{section}')


def main(argv):
    checker, doc, binaries = argv[1], argv[2], argv[3:]
    services = [b.split('=', 1)[0] for b in binaries]
    with open(doc, encoding='utf-8') as f:
        lines = f.readlines()

    code, out = run(checker, doc, binaries)
    if code != 0:
        print(out)
        print('FAIL: the real doc must pass before its broken copies mean anything')
        return 1

    cases = []
    own_index, own_flag = first_row(lines, services[0])
    cases.append((f'--{own_flag} left out of settings-{services[0]}', own_flag,
                  lines[:own_index] + lines[own_index + 1:]))
    common_index, common_flag = first_row(lines, 'common')
    cases.append((f'--{common_flag} left out of settings-common', common_flag,
                  lines[:common_index] + lines[common_index + 1:]))
    extra = '| `--no-such-setting` | `HOTLINE_NO_SUCH_SETTING` | int | `1` | not a setting |\n'
    cases.append((f'--no-such-setting added to settings-{services[-1]}', 'no-such-setting',
                  lines[:first_row(lines, services[-1])[0]] + [extra] +
                  lines[first_row(lines, services[-1])[0]:]))
    cases.append((f'--{own_flag} moved to settings-common', own_flag,
                  lines[:common_index] + [lines[own_index]] +
                  [l for i, l in enumerate(lines[common_index:], common_index)
                   if i != own_index]))
    wrong = lines[:]
    wrong[own_index] = wrong[own_index].replace('HOTLINE_', 'HOTLINE_X_', 1)
    cases.append((f'a wrong variable for --{own_flag}', own_flag, wrong))

    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for what, flag, broken in cases:
            path = os.path.join(tmp, 'operations.md')
            with open(path, 'w', encoding='utf-8') as f:
                f.writelines(broken)
            code, out = run(checker, path, binaries)
            if code == 1 and f'--{flag}' in out:
                print(f'ok: {what}: the checker fails and names --{flag}')
            else:
                print(f'FAIL: {what}: the checker answered {code}:\n{out}')
                failed += 1
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
