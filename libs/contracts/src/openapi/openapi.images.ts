import type { ResponseSpec } from './openapi.types.ts';

/** A PNG answer (the page image routes of the review API and of Nanonets). */
export const pngResponse = (description: string): ResponseSpec => ({ description, contentType: 'image/png' });

/** What both page image routes answer, with and without `overlay`. */
export const pageImageDescription =
  'Without `overlay` the stored page PNG (`Cache-Control: private, max-age=300`); with `overlay=1` the page`s standing ' +
  'boxes drawn over it, coloured by confidence, with their text (`Cache-Control: no-store`). 404 with reason ' +
  '`image_not_ready` while the page is not rendered yet.';
