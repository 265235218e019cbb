import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { Router } from 'express';

/** The review page's static files: HTML, one JS module, CSS; no build step. */
export const REVIEW_UI_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../review-ui');

/**
 * Serves the review page at `/review/`. The page keeps an API key in localStorage, so it allows
 * only its own scripts and styles, and images from this origin or the blob URLs it makes.
 */
export function reviewUiRouter(): Router {
  const router = Router();
  router.use('/review', (_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  router.use('/review', express.static(REVIEW_UI_DIR, { index: 'index.html', maxAge: 0, redirect: true }));
  return router;
}
