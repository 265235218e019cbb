#!/usr/bin/env node
// The `folio` command (`npx folio` in the project, `npm i -g .` anywhere): the build in dist/
// (`npm run build`), else the sources through tsx (a checkout nobody built yet).
import { existsSync } from 'node:fs';

const built = new URL('../../../dist/cli.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/main.ts', import.meta.url).href);
}
