import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { operationTables } from '@folio/contracts';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configSchema } from '@folio/config';
import { QUEUE_NAMES } from '@folio/queue';
import { createMetrics } from '@folio/services';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

const dir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(dir, '../..');
const CONFIG_KEYS: ReadonlySet<string> = new Set(Object.keys(configSchema.shape));
const DNS_1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HEALTH_PATHS = ['/v1/health/live', '/v1/health/ready'];
/** The api pods' own readiness (no recognizer check), served by the api only. */
const API_READY_PATH = '/health/ready';
/** dist/<name>.js → its source, as `npm run build` bundles them. */
const BUILD_ENTRIES = z.record(z.string(), z.string()).parse(JSON.parse(readFileSync(path.join(repoRoot, 'scripts/build.entries.json'), 'utf8')));

const labels = z.record(z.string(), z.string());
const metadata = z.object({ name: z.string().regex(DNS_1123).max(63), labels: labels.optional() });
const base = z.object({ apiVersion: z.string().min(1), kind: z.string().min(1), metadata });

const probe = z.object({ httpGet: z.object({ path: z.string(), port: z.union([z.string(), z.number()]) }) });
const envVar = z.object({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: z.object({ secretKeyRef: z.object({ name: z.string(), key: z.string() }) }).optional(),
});
const container = z.object({
  name: z.string(),
  image: z.string().min(1),
  command: z.array(z.string()).optional(),
  ports: z.array(z.object({ name: z.string(), containerPort: z.number().int() })).default([]),
  envFrom: z.array(z.object({ configMapRef: z.object({ name: z.string() }) })).default([]),
  env: z.array(envVar).default([]),
  resources: z.object({
    requests: z.record(z.string(), z.union([z.string(), z.number()])),
    limits: z.record(z.string(), z.union([z.string(), z.number()])),
  }),
  readinessProbe: probe,
  livenessProbe: probe,
});
const deployment = base.extend({
  kind: z.literal('Deployment'),
  apiVersion: z.literal('apps/v1'),
  spec: z.object({
    replicas: z.number().int().min(0),
    selector: z.object({ matchLabels: labels }),
    template: z.object({
      metadata: z.object({ labels }),
      spec: z.object({
        containers: z.array(container).min(1),
        nodeSelector: labels.optional(),
        tolerations: z.array(z.object({ key: z.string() })).optional(),
      }),
    }),
  }),
});
const service = base.extend({
  kind: z.literal('Service'),
  apiVersion: z.literal('v1'),
  spec: z.object({ selector: labels, ports: z.array(z.object({ name: z.string(), port: z.number(), targetPort: z.union([z.string(), z.number()]) })).min(1) }),
});
const configMap = base.extend({ kind: z.literal('ConfigMap'), apiVersion: z.literal('v1'), data: z.record(z.string(), z.string()) });
const secret = base.extend({ kind: z.literal('Secret'), apiVersion: z.literal('v1'), stringData: z.record(z.string(), z.string()) });
const pdb = base.extend({
  kind: z.literal('PodDisruptionBudget'),
  apiVersion: z.literal('policy/v1'),
  spec: z.object({ selector: z.object({ matchLabels: labels }) }),
});
const scaledObject = base.extend({
  kind: z.literal('ScaledObject'),
  apiVersion: z.literal('keda.sh/v1alpha1'),
  spec: z.object({
    scaleTargetRef: z.object({ name: z.string() }),
    minReplicaCount: z.number().int().min(0),
    maxReplicaCount: z.number().int().positive(),
    triggers: z.array(z.object({ type: z.string(), metadata: z.record(z.string(), z.string()) })).min(1),
  }),
});
const kustomization = z.object({
  apiVersion: z.literal('kustomize.config.k8s.io/v1beta1'),
  kind: z.literal('Kustomization'),
  resources: z.array(z.string()),
  images: z.array(z.object({ name: z.string() })).default([]),
});

const KNOWN_KINDS = new Set(['Namespace', 'ConfigMap', 'Secret', 'Deployment', 'Service', 'PodDisruptionBudget', 'ScaledObject']);

interface Manifest {
  file: string;
  doc: z.infer<typeof base> & Record<string, unknown>;
}

function loadManifests() {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
  const manifests: Manifest[] = [];
  let kustomizationFile: unknown;
  for (const file of files) {
    const docs = parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'));
    for (const d of Array.isArray(docs) ? docs : [docs]) {
      if (d.errors.length > 0) throw new Error(`${file}: ${d.errors.map((e) => e.message).join('; ')}`);
      const json: unknown = d.toJS();
      if (json === null || json === undefined) continue;
      if (file === 'kustomization.yaml') kustomizationFile = json;
      else manifests.push({ file, doc: base.passthrough().parse(json) as Manifest['doc'] });
    }
  }
  const of = <T extends object>(kind: string, schema: z.ZodType<T>): Array<T & { file: string }> =>
    manifests.filter((m) => m.doc.kind === kind).map((m) => ({ ...schema.parse(m.doc), file: m.file }));
  return {
    files,
    manifests,
    kustomization: kustomization.parse(kustomizationFile),
    deployments: of('Deployment', deployment),
    services: of('Service', service),
    configMaps: of('ConfigMap', configMap),
    secrets: of('Secret', secret),
    pdbs: of('PodDisruptionBudget', pdb),
    scaledObjects: of('ScaledObject', scaledObject),
  };
}

const m = loadManifests();
const matches = (selector: Record<string, string>, podLabels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => podLabels[k] === v);
const envOf = (c: z.infer<typeof container>): Record<string, string> => {
  const fromMaps = c.envFrom.flatMap((f) => Object.entries(m.configMaps.find((cm) => cm.metadata.name === f.configMapRef.name)?.data ?? {}));
  return Object.fromEntries([...fromMaps, ...c.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value as string] as const)]);
};

describe('infra/k8s manifests', () => {
  it('parse, and every object has apiVersion, kind and a valid metadata.name of a known kind', () => {
    expect(m.manifests.length).toBeGreaterThan(5);
    for (const { file, doc } of m.manifests) expect(KNOWN_KINDS.has(doc.kind), `${file}: ${doc.kind}`).toBe(true);
    const names = m.manifests.map(({ doc }) => `${doc.kind}/${doc.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('kustomization lists every manifest file, and only existing ones', () => {
    const listed = [...m.kustomization.resources].sort();
    expect(listed).toEqual(m.files.filter((f) => f !== 'kustomization.yaml').sort());
    const images = new Set(m.kustomization.images.map((i) => i.name));
    for (const d of m.deployments) for (const c of d.spec.template.spec.containers) expect(images.has(c.image.split(':')[0] as string), c.image).toBe(true);
  });

  it('Deployments: selector matches the pod labels; containers have image, resources, probes on health routes', () => {
    expect(m.deployments.length).toBeGreaterThanOrEqual(4);
    for (const d of m.deployments) {
      const where = d.metadata.name;
      expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels), where).toBe(true);
      expect(Object.keys(d.spec.selector.matchLabels).length).toBeGreaterThan(0);
      for (const c of d.spec.template.spec.containers) {
        expect(c.resources.requests.cpu, where).toBeDefined();
        expect(c.resources.requests.memory, where).toBeDefined();
        expect(c.resources.limits.memory, where).toBeDefined();
        for (const p of [c.readinessProbe, c.livenessProbe]) {
          expect([...HEALTH_PATHS, API_READY_PATH], where).toContain(p.httpGet.path);
          const port = p.httpGet.port;
          expect(typeof port === 'number' ? c.ports.some((x) => x.containerPort === port) : c.ports.some((x) => x.name === port), `${where} probe port ${port}`).toBe(true);
        }
        // The command runs a built entry point (dist/<name>.js, `npm run build`) whose source exists.
        const entry = /^dist\/(.+)\.js$/.exec(c.command?.find((a) => a.startsWith('dist/')) ?? '')?.[1];
        const source = entry ? BUILD_ENTRIES[entry] : undefined;
        expect(source && existsSync(path.join(repoRoot, source)), `${where} command`).toBe(true);
      }
    }
    // The health routes the probes use are declared for the api (its router is built from the
    // declarations) and served by the workers' metrics server.
    const declared = new Set(Object.values(operationTables.health).map((op) => op.path));
    const metricsServer = readFileSync(path.join(repoRoot, 'libs/services/src/metrics.server.ts'), 'utf8');
    for (const p of HEALTH_PATHS) {
      expect(declared.has(p), p).toBe(true);
      expect(metricsServer).toContain(`'${p}'`);
    }
    expect(readFileSync(path.join(repoRoot, 'apps/api/src/routes/health/health.route.ts'), 'utf8')).toContain(`'${API_READY_PATH}'`);
  });

  it('env names are libs/config settings, values parse with configSchema, secrets and config maps exist', () => {
    for (const cm of m.configMaps) for (const key of Object.keys(cm.data)) expect(CONFIG_KEYS.has(key), `ConfigMap ${cm.metadata.name}: ${key}`).toBe(true);
    for (const d of m.deployments) {
      for (const c of d.spec.template.spec.containers) {
        const where = d.metadata.name;
        for (const e of c.env) {
          expect(CONFIG_KEYS.has(e.name), `${where}: ${e.name} is not in configSchema`).toBe(true);
          const ref = e.valueFrom?.secretKeyRef;
          if (ref) {
            const s = m.secrets.find((x) => x.metadata.name === ref.name);
            expect(s?.stringData[ref.key], `${where}: secret ${ref.name}/${ref.key}`).toBeDefined();
          }
        }
        for (const f of c.envFrom) expect(m.configMaps.some((cm) => cm.metadata.name === f.configMapRef.name), f.configMapRef.name).toBe(true);
        const env = envOf(c);
        const parsed = configSchema.safeParse(env);
        expect(parsed.success, `${where}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
        const queues = parsed.data?.WORKER_QUEUES ?? [];
        expect(queues.every((q) => (QUEUE_NAMES as readonly string[]).includes(q)), `${where}: ${queues.join(',')}`).toBe(true);
      }
    }
  });

  it('workers cover every queue; recognize-only workers never render; GPU workers ask for a GPU and may land on one', () => {
    const workers = m.deployments
      .map((d) => ({ d, env: envOf(d.spec.template.spec.containers[0]!) }))
      .filter(({ d }) => d.spec.template.spec.containers[0]!.command?.includes('dist/worker.js'));
    const served = new Set(workers.flatMap(({ env }) => (env.WORKER_QUEUES ?? '').split(',')));
    for (const q of QUEUE_NAMES) expect(served.has(q), q).toBe(true);
    for (const { d, env } of workers) {
      expect(Number(env.METRICS_PORT), `${d.metadata.name} METRICS_PORT`).toBeGreaterThan(0);
      const c = d.spec.template.spec.containers[0]!;
      const gpu = c.resources.limits['nvidia.com/gpu'];
      // Workers with engines serve recognize and (CPU ones) train, which OCRs training images; never render.
      if (env.WORKER_QUEUES?.includes('recognize')) expect(env.WORKER_QUEUES.split(',').every((q) => q === 'recognize' || q === 'train'), env.WORKER_QUEUES).toBe(true);
      if (gpu !== undefined) {
        expect(String(gpu)).toBe('1');
        expect(env.OCR_PROVIDERS?.split(',')[0]).toBe('cuda');
        expect(d.spec.template.spec.tolerations?.some((t) => t.key === 'nvidia.com/gpu')).toBe(true);
        expect(d.spec.template.spec.nodeSelector).toBeDefined();
      }
    }
    expect(workers.some(({ d }) => d.spec.template.spec.containers[0]!.resources.limits['nvidia.com/gpu'] !== undefined)).toBe(true);
  });

  it('Services and PodDisruptionBudgets select pods of an existing Deployment, on a port those pods have', () => {
    for (const s of m.services) {
      const targets = m.deployments.filter((d) => matches(s.spec.selector, d.spec.template.metadata.labels));
      expect(targets.length, `Service ${s.metadata.name}`).toBeGreaterThan(0);
      for (const p of s.spec.ports) {
        for (const d of targets) {
          const ports = d.spec.template.spec.containers.flatMap((c) => c.ports);
          const ok = typeof p.targetPort === 'number' ? ports.some((x) => x.containerPort === p.targetPort) : ports.some((x) => x.name === p.targetPort);
          expect(ok, `Service ${s.metadata.name} → ${d.metadata.name} port ${p.targetPort}`).toBe(true);
        }
      }
    }
    for (const p of m.pdbs) expect(m.deployments.some((d) => matches(p.spec.selector.matchLabels, d.spec.template.metadata.labels)), p.metadata.name).toBe(true);
  });

  it('every ScaledObject targets an existing worker Deployment and queries a metric Folio exports, for real queues', async () => {
    const exported = new Set([...(await createMetrics().render()).body.matchAll(/^# TYPE (\S+)/gm)].map((x) => x[1] as string));
    expect(m.scaledObjects.length).toBeGreaterThanOrEqual(2);
    for (const so of m.scaledObjects) {
      const target = m.deployments.find((d) => d.metadata.name === so.spec.scaleTargetRef.name);
      expect(target, so.metadata.name).toBeDefined();
      expect(so.spec.maxReplicaCount).toBeGreaterThanOrEqual(so.spec.minReplicaCount);
      for (const t of so.spec.triggers) {
        expect(t.type).toBe('prometheus');
        const query = t.metadata.query ?? '';
        const metrics = [...query.matchAll(/\b(folio_\w+)\{/g)].map((x) => x[1] as string);
        expect(metrics.length, query).toBeGreaterThan(0);
        for (const name of metrics) expect(exported.has(name), name).toBe(true);
        const queues = /queue=~?"([^"]+)"/.exec(query)?.[1]?.split('|') ?? [];
        expect(queues.length).toBeGreaterThan(0);
        for (const q of queues) expect(QUEUE_NAMES as readonly string[]).toContain(q);
        // The target serves the queues it is scaled on.
        const served = envOf(target!.spec.template.spec.containers[0]!).WORKER_QUEUES?.split(',') ?? [];
        for (const q of queues) expect(served, `${so.metadata.name} scales on ${q}`).toContain(q);
        expect(Number(t.metadata.threshold)).toBeGreaterThan(0);
      }
    }
  });
});
