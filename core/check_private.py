#!/usr/bin/env python3
"""Fails when a file outside core/ includes one of the core's private headers.

The core shows include/unilab/ (the API) to everyone, and platform.h (the
seam) and debug_info.h (the thread layout for debuggers) to backends, net/,
fs/ and debuggers; every other header under core/ is its own
(core/meson.build). The build already keeps those out of other folders'
include paths; this check also catches a path written around that
(#include "../core/private/sched.h") and names the file and line. Only the
core's white-box tests, tests/unit/ and tests/fuzz/, may look inside.

Usage: check_private.py SOURCE_ROOT, or check_private.py --self-test.
"""
import os
import re
import sys
import tempfile

# Headers under core/ that other folders may include, and folders whose
# headers are not the core's own: BearSSL's stand-in C headers, for any
# code that includes BearSSL's.
SHOWN = {'include', 'platform.h', 'debug_info.h', 'bearssl'}
# Folders allowed to look inside the core, and folders that are not source.
WHITE_BOX = {os.path.join('tests', 'unit'), os.path.join('tests', 'fuzz')}
NOT_SOURCE = {'.git', 'subprojects'}
SOURCE_EXT = ('.c', '.h', '.S')
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def private_headers(root):
    """The paths of the core's private headers, relative to root."""
    core = os.path.join(root, 'core')
    found = set()
    for top in os.listdir(core):
        if top in SHOWN:
            continue
        path = os.path.join(core, top)
        if os.path.isfile(path) and path.endswith('.h'):
            found.add(os.path.relpath(path, root))
        for d, _, files in os.walk(path):
            found.update(os.path.relpath(os.path.join(d, f), root)
                         for f in files if f.endswith('.h'))
    return found


def sources(root):
    """Every C and assembly file outside core/ and the white-box tests."""
    for d, dirs, files in os.walk(root):
        rel = os.path.relpath(d, root)
        # A meson build folder holds generated copies, not our sources.
        dirs[:] = [x for x in dirs
                   if x not in NOT_SOURCE and
                   os.path.join(rel, x) not in WHITE_BOX and
                   not (rel == '.' and x == 'core') and
                   not os.path.isdir(os.path.join(d, x, 'meson-info'))]
        for f in files:
            if f.endswith(SOURCE_EXT):
                yield os.path.join(d, f)


def reaches(root, path, quote, name, private):
    """The private header an #include reaches, or None."""
    if quote == '"':
        local = os.path.normpath(os.path.join(os.path.dirname(path), name))
        if os.path.exists(local):
            rel = os.path.relpath(local, root)
            return rel if rel in private else None
    # Not next to the includer: it comes from an include path. The host's
    # <sched.h> is not the core's, but a name or path that only the core
    # has is.
    for p in private:
        if ('/' + name).endswith('/' + p.split('/', 1)[1]) or \
           (quote == '"' and name == os.path.basename(p)):
            return p
    return None


def check(root):
    private = private_headers(root)
    bad = []
    for path in sources(root):
        with open(path, encoding='utf-8', errors='replace') as f:
            for n, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                hit = m and reaches(root, path, m.group(1), m.group(2),
                                    private)
                if hit:
                    bad.append('%s:%d: includes %s, private to core/' %
                               (os.path.relpath(path, root), n, hit))
    return bad


def self_test():
    """The check must see a violation, and only that one."""
    files = {
        'core/platform.h': '', 'core/private/sched.h': '',
        'core/include/unilab/thread.h': '',
        'apps/good/main.c': '#include <unilab/thread.h>\n'
                            '#include "platform.h"\n#include <sched.h>\n',
        'apps/bad/main.c': '#include "sched.h"\n',
        'net/worse.c': '#include "../core/private/sched.h"\n',
        'tests/unit/test_sched.c': '#include "sched.h"\n',
    }
    with tempfile.TemporaryDirectory() as root:
        for rel, text in files.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)),
                        exist_ok=True)
            with open(os.path.join(root, rel), 'w') as f:
                f.write(text)
        got = sorted(check(root))
    want = ['apps/bad/main.c:1: includes core/private/sched.h, private '
            'to core/',
            'net/worse.c:1: includes core/private/sched.h, private to core/']
    if got != want:
        print('self-test failed: got %r' % got)
        return 1
    print('self-test: the violations were found, and nothing else')
    return 0


def main():
    if sys.argv[1:] == ['--self-test']:
        return self_test()
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1])
        return 2
    bad = check(sys.argv[1])
    for b in bad:
        print(b)
    if bad:
        print('check_private: %d include(s) of the core\'s private headers '
              'outside core/' % len(bad))
        return 1
    print('check_private: nothing outside core/ includes its private headers')
    return 0


if __name__ == '__main__':
    sys.exit(main())
