import { createRequire } from 'node:module';
import path from 'node:path';
import express, { Router } from 'express';

/** swagger-ui-dist's directory: its bundle, CSS and icons are served from here, never a CDN. */
function swaggerUiDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

/** Everything the pages load comes from this origin; the initializer is a file, so no inline script. */
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'";

const page = (title: string, head: string, body: string) =>
  `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${title}</title>\n${head}</head>\n<body>\n${body}\n</body>\n</html>\n`;

const DOCS_HTML = page(
  'Folio API reference',
  '<link rel="stylesheet" href="/docs/assets/swagger-ui.css">\n<link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">\n',
  '<div id="swagger-ui"></div>\n<script src="/docs/assets/swagger-ui-bundle.js"></script>\n<script src="/docs/init.js"></script>',
);

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, tryItOutEnabled: false, persistAuthorization: true });\n`;

const HOME_HTML = page(
  'Folio',
  '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}</style>\n',
  [
    '<h1>Folio</h1>',
    '<p>Asynchronous document OCR: Nanonets v2, Files + OCR (Mistral SDK), NVIDIA NIM <code>/v1/infer</code> and docTR <code>/ocr</code> dialects over one engine.</p>',
    '<ul>',
    '<li><a href="/docs">API reference</a> (interactive, from <a href="/openapi.json">/openapi.json</a>)</li>',
    '<li><a href="/review/">Review</a>: the moderation page</li>',
    '<li><a href="/admin/queues">Queue dashboard</a> (admin keys)</li>',
    '<li><a href="/metrics">Metrics</a> (Prometheus) · <a href="/v1/health/ready">readiness</a></li>',
    '</ul>',
  ].join('\n'),
);

/**
 * `GET /`: a page linking what the API serves; `GET /docs`: the interactive API reference
 * (Swagger UI from npm `swagger-ui-dist`, assets under `/docs/assets/`) over `/openapi.json`.
 * Neither needs a key; the reference's "Authorize" button takes one for trying routes.
 */
export function apiDocsRouter(): Router {
  const router = Router();
  const html = (body: string) => (_req: express.Request, res: express.Response) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.type('html').send(body);
  };
  router.get('/', html(HOME_HTML));
  router.get(['/docs', '/docs/'], html(DOCS_HTML));
  router.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(DOCS_INIT);
  });
  router.use('/docs/assets', express.static(swaggerUiDir(), { index: false, maxAge: '1d', fallthrough: true }));
  return router;
}
