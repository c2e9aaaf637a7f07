  // The loader: one API whatever the target (DESIGN.md "Targets and the loader").
  //   loadEngine(imports, options)     -> Promise of { exports, kind: 'wasm' | 'js', reason }
  //   loadEngineSync(imports, options) -> the same object, for ES5 hosts without Promises
  // options (all optional): wasmBytes (ArrayBuffer or typed array: no download), wasmUrl (default
  // engine.wasm beside this script), forceKind ('wasm' or 'js', for tests and support).
  function fpError(name, message) {
    var e = new Error(message);
    e.name = name;
    return e;
  }
  // Where engine.wasm is: beside this script (classic script: document.currentScript; ES module:
  // import.meta.url). Read once, while the script runs: currentScript is null afterwards.
  var FP_SCRIPT_URL = typeof FP_MODULE_URL === 'string' ? FP_MODULE_URL :
    ((typeof document !== 'undefined' && document && document.currentScript &&
      document.currentScript.src) || '');
  function fpWasmUrl(options) {
    if (options && options.wasmUrl) return options.wasmUrl;
    return FP_SCRIPT_URL.replace(/[^\/]*$/, '') + 'engine.wasm';
  }
  function fpHasWasm() {
    return typeof WebAssembly === 'object' && WebAssembly !== null && typeof WebAssembly.Module === 'function';
  }
  // Which engine to run, and why. For auto: Wasm when the VM has WebAssembly and validates a tiny probe
  // module for every post-MVP feature the shipped module uses.
  function fpChoose(options) {
    if (options && options.forceKind) return { kind: options.forceKind, reason: 'forced by options.forceKind' };
    if (FP_META.target === 'js') return { kind: 'js', reason: 'this profile ships the JS fallback only' };
    if (!fpHasWasm()) {
      if (FP_META.target === 'wasm')
        return { kind: 'none', reason: 'this VM has no WebAssembly and the profile ships no JS fallback' };
      return { kind: 'js', reason: 'this VM has no WebAssembly' };
    }
    if (FP_META.target === 'auto') {
      for (var i = 0; i < FP_META.probes.length; i++) {
        var ok = false;
        try { ok = WebAssembly.validate(new Uint8Array(FP_META.probes[i].bytes)); } catch (e) { ok = false; }
        if (!ok) return { kind: 'js', reason: "this VM's WebAssembly lacks " + FP_META.probes[i].feature };
      }
    }
    var used = FP_META.features.length ? ' (uses ' + FP_META.features.join(', ') + ')' : '';
    return { kind: 'wasm', reason: 'WebAssembly runs the engine' + used };
  }
  function fpFallback(imports, reason) {
    if (typeof fpInstantiateFallback !== 'function')
      throw fpError('LinkError', 'cannot run the engine: ' + reason);
    return { exports: fpInstantiateFallback(imports), kind: 'js', reason: reason };
  }
  function fpBytes(b) {
    return b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  // A synchronous download, for loadEngineSync without wasmBytes (works in workers and old engines).
  function fpFetchSync(url) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', url, false);
    if (xhr.overrideMimeType) xhr.overrideMimeType('text/plain; charset=x-user-defined');
    xhr.send(null);
    if (xhr.status !== 200 && xhr.status !== 0) throw fpError('Error', 'cannot download ' + url + ': HTTP ' + xhr.status);
    var text = xhr.responseText, out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
    return out;
  }
  function loadEngineSync(imports, options) {
    var choice = fpChoose(options);
    if (choice.kind !== 'wasm') return fpFallback(imports, choice.reason);
    try {
      var bytes = options && options.wasmBytes ? fpBytes(options.wasmBytes) : fpFetchSync(fpWasmUrl(options));
      var instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
      return { exports: instance.exports, kind: 'wasm', reason: choice.reason };
    } catch (e) {
      if (FP_META.target !== 'auto' || (e && e.name === 'LinkError')) throw e;
      return fpFallback(imports, 'WebAssembly rejected the engine: ' + (e && e.message));
    }
  }
  function loadEngine(imports, options) {
    if (typeof Promise !== 'function') throw fpError('TypeError', 'this VM has no Promise: use loadEngineSync');
    var choice = fpChoose(options);
    if (choice.kind !== 'wasm') {
      return new Promise(function (resolve) { resolve(fpFallback(imports, choice.reason)); });
    }
    var bytes = options && options.wasmBytes
      ? Promise.resolve(fpBytes(options.wasmBytes))
      : fetch(fpWasmUrl(options)).then(function (r) {
        if (!r.ok) throw fpError('Error', 'cannot download ' + r.url + ': HTTP ' + r.status);
        return r.arrayBuffer();
      });
    return bytes.then(function (b) {
      return WebAssembly.instantiate(b, imports);
    }).then(function (result) {
      return { exports: result.instance.exports, kind: 'wasm', reason: choice.reason };
    }, function (e) {
      if (FP_META.target !== 'auto' || (e && e.name === 'LinkError')) throw e;
      return fpFallback(imports, 'WebAssembly rejected the engine: ' + (e && e.message));
    });
  }
