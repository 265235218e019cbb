export * from './nanonets.requests.ts';
export * from './nanonets.predictions.ts';
export * from './nanonets.views.ts';
export * from './nanonets.schemas.ts';
export * from './nanonets.responses.ts';
export * from './nanonets.day-window.ts';
export * from './nanonets.training.ts';
export * from './nanonets.errors.ts';
