/** `npm run env:example`: writes .env.example at the repository root from the config schema. */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderEnvExample } from '../src/env.example.ts';

const source = readFileSync(fileURLToPath(new URL('../src/config.ts', import.meta.url)), 'utf8');
const target = fileURLToPath(new URL('../../../.env.example', import.meta.url));
writeFileSync(target, renderEnvExample(source));
console.log(`wrote ${target}`);
