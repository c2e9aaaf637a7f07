/* @HEADER@ */
const FP_GLOBAL = globalThis;
const FP_MODULE_URL = import.meta.url;
// Loads engine.fallback.js when the engine runs as JS (script.js has no dynamic import: ES5).
const FP_IMPORT = function (url) { return import(url); };
const FP_META = @META@;
@POLYFILLS@
@INSTANCE@
@LOADER@
export { loadEngine, loadEngineSync };
export const profile = FP_META.profile;
export const target = FP_META.target;
