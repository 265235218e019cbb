import type { ValidationIssue } from '@folio/contracts';
import { AppError } from './app-error.ts';

/**
 * A 422 listing each failing field (`issuesFromZod`); FastAPI-style renderers (docTR) answer
 * the items as `detail`, the others the message.
 */
export class ValidationError extends AppError {
  readonly issues: ValidationIssue[];

  constructor(message: string, issues: ValidationIssue[], reason = 'invalid_request') {
    super('unprocessable', message, { reason });
    this.issues = issues;
  }
}
