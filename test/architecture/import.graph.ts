import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One hand-written source file and the project files it imports (repo-relative paths). */
export interface SourceFile {
  path: string;
  /** Project files imported (value or type), resolved; packages outside the repo are in `packages`. */
  imports: string[];
  /** Bare specifiers of npm packages (`bullmq`, `@aws-sdk/client-s3`), subpaths dropped. */
  packages: string[];
}

// Static `import … from`, `export … from`, side-effect `import '…'` and literal `import('…')`.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

/** Generated Prisma code has cycles of its own making; it is not ours to shape. */
const SKIP = [/\/generated\//, /\/node_modules\//];

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (SKIP.some((re) => re.test(`${full}/`))) continue;
    if (statSync(full).isDirectory()) walk(full, out);
    else if (full.endsWith('.ts')) out.push(full);
  }
}

/** `@folio/<pkg>[/<sub>]` → the file its package.json `exports` maps it to. */
function workspaceResolver(root: string): (spec: string) => string | undefined {
  const entries = new Map<string, string>();
  for (const group of ['apps', 'libs']) {
    for (const pkgDir of readdirSync(join(root, group))) {
      const manifest = join(root, group, pkgDir, 'package.json');
      if (!existsSync(manifest)) continue;
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; exports?: Record<string, string> | string };
      if (!pkg.name || pkg.exports === undefined) continue;
      const exportsMap = typeof pkg.exports === 'string' ? { '.': pkg.exports } : pkg.exports;
      for (const [sub, target] of Object.entries(exportsMap)) {
        if (typeof target !== 'string') continue;
        entries.set(sub === '.' ? pkg.name : `${pkg.name}/${sub.slice(2)}`, join(group, pkgDir, target));
      }
    }
  }
  return (spec) => entries.get(spec);
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec);
}

/** Reads every `.ts` file under `dirs` (repo-relative) and resolves its imports. */
export function readImportGraph(root: string, dirs: readonly string[]): Map<string, SourceFile> {
  const files: string[] = [];
  for (const d of dirs) if (existsSync(join(root, d))) walk(join(root, d), files);
  const workspace = workspaceResolver(root);
  const graph = new Map<string, SourceFile>();
  for (const full of files) {
    const path = relative(root, full);
    // Comments may quote import lines (usage examples); they are not imports.
    const text = readFileSync(full, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const imports = new Set<string>();
    const packages = new Set<string>();
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1] as string;
      if (spec.startsWith('node:')) continue;
      if (spec.startsWith('.')) {
        const target = relative(root, resolve(dirname(full), spec));
        if (target.endsWith('.ts')) imports.add(target);
        continue;
      }
      const own = workspace(spec);
      if (own !== undefined) imports.add(own);
      else if (!spec.startsWith('@folio/')) packages.add(packageName(spec));
      else imports.add(spec); // an @folio subpath no package exports: reported by the layering test
    }
    graph.set(path, { path, imports: [...imports], packages: [...packages] });
  }
  return graph;
}

/** Strongly connected components of more than one file (or a file importing itself): the cycles. */
export function importCycles(graph: Map<string, SourceFile>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];

  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.imports ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfImport = graph.get(v)?.imports.includes(v) ?? false;
      if (component.length > 1 || selfImport) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return cycles;
}

/** `apps/api/src/x.ts` → `apps/api`; files outside apps/ and libs/ → their first folder. */
export function ownerOf(path: string): string {
  const [top, name] = path.split('/');
  return top === 'apps' || top === 'libs' ? `${top}/${name}` : (top ?? path);
}
