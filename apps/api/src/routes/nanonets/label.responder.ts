import type { Response } from 'express';
import { nanonetsAsyncAccepted, nanonetsPredictionResponse } from '@folio/contracts';
import type { LabelOutcome } from '../../services/label.service.ts';

/**
 * A LabelFile or LabelUrls outcome as HTTP: the ids to poll (async, 200), the predictions (sync),
 * or 202 with the ids when a sync request outlived its wait.
 */
export function sendLabelOutcome(res: Response, outcome: LabelOutcome, modelId: string): void {
  switch (outcome.kind) {
    case 'accepted':
      res.json(nanonetsAsyncAccepted(outcome.files));
      return;
    case 'predictions':
      res.json(nanonetsPredictionResponse(outcome.files));
      return;
    case 'pending': {
      const why = outcome.shuttingDown ? 'the server is restarting and the result was not ready yet' : `the result was not ready within ${outcome.waitedSeconds} s`;
      res.status(202).json(
        nanonetsAsyncAccepted(outcome.files, `Pending: ${why}; poll GET /api/v2/Inferences/Model/${modelId}/InferenceRequest/{request_file_id}.`),
      );
    }
  }
}

