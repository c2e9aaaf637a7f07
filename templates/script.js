/* @HEADER@ */
(function (FP_GLOBAL) {
  var FP_META = @META@;
  var FP_IMPORT = null;
@POLYFILLS@
@INSTANCE@
@LOADER@
  FP_GLOBAL[@GLOBAL@] = { loadEngine: loadEngine, loadEngineSync: loadEngineSync, profile: FP_META.profile,
    target: FP_META.target };
})(typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self :
  typeof window !== 'undefined' ? window : this);
