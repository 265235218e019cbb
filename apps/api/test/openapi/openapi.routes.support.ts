import type { Express } from 'express';

/** A route of the app (`method` lower case), or middleware mounted on a path (`method` `use`). */
export interface Endpoint {
  method: string;
  /** Express template with `{param}` for `:param`, no trailing slash. */
  path: string;
}

/**
 * What the app serves that is deliberately not in the OpenAPI document, each with its reason. A
 * new route is documented or named here; nothing else lets it through.
 */
export const EXCLUDED_ROUTES: ReadonlyArray<{ pattern: RegExp; reason: string }> = [
  { pattern: /^\/review(\/|$)/, reason: 'the review page`s static files (HTML, JS, CSS) for people; its JSON API is /v1/review' },
  { pattern: /^\/admin\/queues(\/|$)/, reason: 'the queue dashboard (bull-board) for operators, if mounted' },
  { pattern: /^\/metrics$/, reason: 'Prometheus text exposition for the scraper, if mounted' },
  { pattern: /^\/health/, reason: 'bare process probes, if mounted (the NIM /v1/health/* routes are documented)' },
  { pattern: /^\/openapi\.json$/, reason: 'the document itself (it lists itself under Meta; nothing to integrate against)' },
  { pattern: /^\/?$/, reason: 'the home page linking the reference, the review page and the dashboards, for people' },
  { pattern: /^\/docs(\/|$)/, reason: 'the interactive reference (Swagger UI and its files) over /openapi.json, for people' },
];

type Loose = Record<string, unknown>;
const isLoose = (v: unknown): v is Loose => (typeof v === 'object' || typeof v === 'function') && v !== null;

/** `{param}` for `:param`, and no trailing slash: Express (non-strict) serves `/LabelFile` and `/LabelFile/` alike. */
export function documentedPath(path: string): string {
  const braces = path.replace(/:(\w+)/g, '{$1}');
  return braces.length > 1 ? braces.replace(/\/+$/, '') : braces;
}

export const routeKey = (method: string, path: string) => `${method} ${path}`;

/**
 * Walks the router stack of an Express 5 app through nested routers: router 2.x layers keep
 * their path (or array of paths) in `rawPath` and a route's methods in `route.methods`. Unlike
 * router 2.3's `listRoutes()` this also sees plain middleware mounted on a path (static files). Throws when a layer does not look like that, so a change of Express internals
 * fails the test instead of making it pass on an empty list.
 */
export function registeredEndpoints(app: Express): Endpoint[] {
  const walk = (stack: unknown, prefix: string): Endpoint[] => {
    if (!Array.isArray(stack)) throw new Error(`router stack under "${prefix || '/'}" is not an array; update this walk for the Express version`);
    return stack.flatMap((layer: unknown): Endpoint[] => {
      const raw = isLoose(layer) ? layer.rawPath : undefined;
      const paths = Array.isArray(raw) ? raw : [raw];
      if (!isLoose(layer) || paths.length === 0 || !paths.every((p): p is string => typeof p === 'string')) {
        throw new Error(`a layer under "${prefix || '/'}" has no string path (regular expressions are not walked; register plain paths)`);
      }
      return paths.flatMap((raw): Endpoint[] => {
        const path = documentedPath(prefix + (raw === '/' ? '' : raw));
        if (isLoose(layer.route)) {
          const methods = layer.route.methods;
          if (!isLoose(methods)) throw new Error(`route ${path} has no methods`);
          return Object.keys(methods).map((m) => ({ method: m === '_all' ? 'all' : m, path }));
        }
        if (isLoose(layer.handle) && Array.isArray(layer.handle.stack)) return walk(layer.handle.stack, path);
        return raw === '/' ? [] : [{ method: 'use', path }];
      });
    });
  };
  const router = (app as unknown as Loose).router;
  return walk(isLoose(router) ? router.stack : undefined, '');
}
