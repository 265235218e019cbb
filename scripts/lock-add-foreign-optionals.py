#!/usr/bin/env python3
"""The npm registry reachable here lacks msgpackr-extract's builds for other platforms, so
`npm install` leaves them out of package-lock.json and `npm ci` then refuses the lock as out of
sync. This adds their lock entries back (optional, other os/cpu: npm never fetches them here)."""
import json
import pathlib

lock = pathlib.Path(__file__).resolve().parent.parent / 'package-lock.json'
data = json.loads(lock.read_text())
packages = data['packages']
for name, cpu, os_ in [('darwin-arm64', 'arm64', 'darwin'), ('darwin-x64', 'x64', 'darwin'), ('linux-arm', 'arm', 'linux'), ('win32-x64', 'x64', 'win32')]:
    packages.setdefault(f'node_modules/@msgpackr-extract/msgpackr-extract-{name}',
                        {'version': '3.0.7', 'cpu': [cpu], 'license': 'MIT', 'optional': True, 'os': [os_]})
data['packages'] = dict(sorted(packages.items(), key=lambda kv: (kv[0] != '', kv[0])))
lock.write_text(json.dumps(data, indent=2) + '\n')
