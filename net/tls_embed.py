#!/usr/bin/env python3
"""Write the C table of files TLS reads (<unilab/tls.h>) for an image:
   tls_embed.py --output FILE.c PATH=SOURCE...
PATH is the name the image asks for (say /etc/tls/cert.pem), SOURCE the
file of the build to put there."""
import argparse
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--output', required=True)
    ap.add_argument('files', nargs='+', metavar='PATH=SOURCE')
    args = ap.parse_args()
    out = ['/* Written by net/tls_embed.py: files embedded for TLS. */',
           '#include <unilab/tls.h>', '']
    entries = []
    for i, spec in enumerate(args.files):
        path, sep, source = spec.partition('=')
        if not sep or not path.startswith('/'):
            sys.exit(f'tls_embed.py: want /PATH=SOURCE, got {spec!r}')
        try:
            data = open(source, 'rb').read()
        except OSError as e:
            sys.exit(f'tls_embed.py: {e}')
        body = ','.join(str(b) for b in data)
        out.append(f'static const unsigned char file{i}[] = {{{body}}};')
        entries.append(f'\t{{"{path}", file{i}, {len(data)}}},')
    out += ['', 'const struct ul_tls_file ul_tls_files[] = {'] + entries + \
        ['\t{0},', '};', '']
    with open(args.output, 'w') as f:
        f.write('\n'.join(out))


main()
