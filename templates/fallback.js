/* @HEADER@ */
// Loaded only when the engine runs as JavaScript: by the loader in engine.js / engine.mjs, or by the host
// beforehand (a second script tag, or evaluating this text), in which case the loader downloads nothing.
// It registers a factory under its id and runs nothing else: wasm2js's code starts when instantiated,
// after the loader's polyfills (it reads Math.imul and friends as it starts).
(function (FP_GLOBAL) {
  var registry = FP_GLOBAL[@REGISTRY@] || (FP_GLOBAL[@REGISTRY@] = {});
  registry[@ID@] = function () {
@CODE@
    return asmFunc;
  };
})(typeof globalThis !== 'undefined' ? globalThis : typeof self !== 'undefined' ? self :
  typeof window !== 'undefined' ? window : this);
