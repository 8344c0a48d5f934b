/**
 * The worker thread that runs the JSDoc extractor (Babel, the expensive step of a scan): it
 * receives `{ id, text, path }` and answers `{ id, result }`. See jsdocPool.ts.
 */
import { parentPort } from "node:worker_threads";
import { extractJsdoc } from "./jsdoc.js";

/** A request to the worker. */
export interface JsdocRequest {
  id: number;
  text: string;
  path: string;
}

/** The worker's answer. */
export interface JsdocResponse {
  id: number;
  result: ReturnType<typeof extractJsdoc>;
}

parentPort?.on("message", (request: JsdocRequest) => {
  const response: JsdocResponse = { id: request.id, result: extractJsdoc(request.text, request.path) };
  parentPort?.postMessage(response);
});
