/**
 * The scanner (SPEC 2): finds the files of a project and extracts their METADATA sections.
 */
export { extractPod } from "./pod.js";
export { extractJsdoc } from "./jsdoc.js";
export { scanTree } from "./tree.js";
export { fileForm, shebangProgram, JS_EXTENSIONS, type FileForm } from "./form.js";
export { ScanCache, scanCacheKey, defaultCacheLocation, type CachedIdentity, type FileStamp, type SaveOutcome } from "./cache.js";
