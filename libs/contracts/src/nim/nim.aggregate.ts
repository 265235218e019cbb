// The engine's own aggregation, from the layout entry point: it loads no ONNX, so contracts stay
// importable by the API without the engine.
export { aggregate, type AggregationLevel, type TextElement } from '@folio/ocr/layout';
