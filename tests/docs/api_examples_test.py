#!/usr/bin/env python3
"""Every JSON example of docs/api-guide.md is a message of the type it names.

    api_examples_test.py SOURCE_ROOT

An example is a ```json block right after a line `<!-- example <full type> -->`.
Each is converted by `buf convert` against proto/ and printed back as JSON; the
example must come back unchanged (apart from fields at their default value), so
a misspelt field (which a JSON parser would drop), an unknown enum value or a
wrong type fails. buf comes from tools/buf; without it the test is skipped
(exit 77), as tests/api/buf_test.sh is.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

MARK = re.compile(r'^<!-- example ([a-z0-9_.]+\.[A-Za-z0-9_]+) -->$')
SKIP = 77


def examples(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    for i, line in enumerate(lines):
        mark = MARK.match(line.strip())
        if not mark:
            continue
        if i + 1 >= len(lines) or lines[i + 1].strip() != '```json':
            raise SystemExit(f'{path}:{i + 1}: an example mark must be followed by ```json')
        end = lines.index('```', i + 2)
        yield i + 1, mark.group(1), '\n'.join(lines[i + 2:end])


def without_defaults(value):
    """The JSON as protobuf prints it back: default scalars and empty lists dropped."""
    if isinstance(value, dict):
        out = {k: without_defaults(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in ('', 0, False, [], None)}
    if isinstance(value, list):
        return [without_defaults(v) for v in value]
    return value


def main(argv):
    root = argv[1]
    doc = os.path.join(root, 'docs', 'api-guide.md')
    install = subprocess.run([os.path.join(root, 'tools', 'buf', 'install.sh')],
                             capture_output=True, text=True)
    if install.returncode != 0:
        print('SKIP: buf is not installed and could not be installed '
              '(tools/buf/install.sh needs npm and network)')
        print(install.stderr, end='')
        return SKIP
    buf = install.stdout.strip()
    failed = count = 0
    with tempfile.TemporaryDirectory() as tmp:
        for line, type_name, text in examples(doc):
            count += 1
            where = f'{doc}:{line} ({type_name})'
            try:
                given = json.loads(text)
            except json.JSONDecodeError as e:
                print(f'FAIL: {where}: not JSON: {e}')
                failed += 1
                continue
            path = os.path.join(tmp, 'example.json')
            with open(path, 'w', encoding='utf-8') as f:
                f.write(text)
            run = subprocess.run([buf, 'convert', os.path.join(root, 'proto'), '--type', type_name,
                                  '--from', f'{path}#format=json', '--to', '-#format=json'],
                                 capture_output=True, text=True, cwd=root)
            if run.returncode != 0:
                print(f'FAIL: {where}: buf convert: {run.stderr.strip()}')
                failed += 1
                continue
            back = json.loads(run.stdout)
            if without_defaults(given) != back:
                print(f'FAIL: {where}: not true to the proto; it reads back as\n'
                      f'{json.dumps(back, indent=2, ensure_ascii=False)}')
                failed += 1
            else:
                print(f'ok: {where}')
    if count == 0:
        print(f'FAIL: no examples found in {doc}')
        return 1
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
