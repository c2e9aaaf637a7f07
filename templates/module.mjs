/* @HEADER@ */
const FP_GLOBAL = globalThis;
const FP_MODULE_URL = import.meta.url;
const FP_META = @META@;
@POLYFILLS@
@FALLBACK@
@INSTANCE@
@LOADER@
export { loadEngine, loadEngineSync };
export const profile = FP_META.profile;
export const target = FP_META.target;
