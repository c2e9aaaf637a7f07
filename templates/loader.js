  // The loader: one API whatever the target (DESIGN.md "Targets and the loader").
  //   loadEngine(imports, options)     -> Promise of { exports, kind: 'wasm' | 'js', reason }
  //   loadEngineSync(imports, options) -> the same object, for ES5 hosts without Promises
  // options (all optional): wasmBytes (ArrayBuffer or typed array: no download), wasmUrl (default
  // engine.wasm beside this script), fallbackUrl (default engine.fallback.js beside this script),
  // forceKind ('wasm' or 'js', for tests and support).
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
  // The JS fallback is a file of its own (FP_META.fallback.file), fetched only when the engine runs as JS.
  // It registers a factory under its id; a host that loaded it already (a second script tag, or evaluating
  // its text) downloads nothing more.
  function fpFallbackUrl(options) {
    if (options && options.fallbackUrl) return options.fallbackUrl;
    return FP_SCRIPT_URL.replace(/[^\/]*$/, '') + FP_META.fallback.file;
  }
  function fpRegisteredFallback() {
    var registry = FP_GLOBAL[FP_META.fallback.registry];
    var factory = registry ? registry[FP_META.fallback.id] : undefined;
    return typeof factory === 'function' ? factory : null;
  }
  function fpLoadedFallback(url) {
    var factory = fpRegisteredFallback();
    if (!factory) throw fpError('LinkError', url + ' did not define the JS fallback ' + FP_META.fallback.id +
      ' (is it the engine.fallback.js of this bundle?)');
    return factory;
  }
  function fpNoFallback(reason) {
    return fpError('LinkError', 'cannot run the engine: ' + reason);
  }
  // Synchronously: the registry, else importScripts (workers), else a synchronous download evaluated in
  // the global scope.
  function fpFallbackSync(options, reason) {
    if (!FP_META.fallback) throw fpNoFallback(reason);
    var factory = fpRegisteredFallback();
    if (factory) return factory;
    var url = fpFallbackUrl(options);
    if (typeof importScripts === 'function' && !FP_IMPORT) {  // a classic worker (module workers refuse it)
      importScripts(url);
    } else if (typeof XMLHttpRequest !== 'undefined') {
      (0, eval)(fpFetchSync(url, true) + '\n//# sourceURL=' + url);
    } else {
      throw fpError('LinkError', 'cannot load the JS fallback: this host cannot download ' + url +
        '; evaluate ' + FP_META.fallback.file + ' before loading the engine');
    }
    return fpLoadedFallback(url);
  }
  // Asynchronously: the registry, else import() (ES module), else a script element (documents), else as
  // loadEngineSync does.
  function fpFallbackAsync(options, reason) {
    return new Promise(function (resolve, reject) {
      if (!FP_META.fallback) throw fpNoFallback(reason);
      var factory = fpRegisteredFallback();
      if (factory) return resolve(factory);
      var url = fpFallbackUrl(options);
      if (FP_IMPORT) {
        FP_IMPORT(url).then(function () { resolve(fpLoadedFallback(url)); }, reject);
      } else if (typeof document !== 'undefined' && document && document.createElement &&
                 (document.head || document.documentElement)) {
        var script = document.createElement('script');
        script.src = url;
        script.onload = function () {
          try { resolve(fpLoadedFallback(url)); } catch (e) { reject(e); }
        };
        script.onerror = function () { reject(fpError('Error', 'cannot download ' + url)); };
        (document.head || document.documentElement).appendChild(script);
      } else {
        resolve(fpFallbackSync(options, reason));
      }
    });
  }
  function fpRunFallback(imports, factory, reason) {
    return { exports: fpInstantiateFallback(imports, factory()), kind: 'js', reason: reason };
  }
  function fpBytes(b) {
    return b instanceof ArrayBuffer ? new Uint8Array(b) : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
  // A synchronous download, for loadEngineSync (works in workers and old engines): the bytes, or with
  // `asText` the text.
  function fpFetchSync(url, asText) {
    var xhr = new XMLHttpRequest();
    xhr.open('GET', url, false);
    if (!asText && xhr.overrideMimeType) xhr.overrideMimeType('text/plain; charset=x-user-defined');
    xhr.send(null);
    if (xhr.status !== 200 && xhr.status !== 0) throw fpError('Error', 'cannot download ' + url + ': HTTP ' + xhr.status);
    if (asText) return xhr.responseText;
    var text = xhr.responseText, out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
    return out;
  }
  function fpFallback(imports, options, reason) {
    return fpRunFallback(imports, fpFallbackSync(options, reason), reason);
  }
  function loadEngineSync(imports, options) {
    var choice = fpChoose(options);
    if (choice.kind !== 'wasm') return fpFallback(imports, options, choice.reason);
    try {
      var bytes = options && options.wasmBytes ? fpBytes(options.wasmBytes) : fpFetchSync(fpWasmUrl(options));
      var instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports);
      return { exports: instance.exports, kind: 'wasm', reason: choice.reason };
    } catch (e) {
      if (FP_META.target !== 'auto' || (e && e.name === 'LinkError')) throw e;
      return fpFallback(imports, options, 'WebAssembly rejected the engine: ' + (e && e.message));
    }
  }
  function loadEngine(imports, options) {
    if (typeof Promise !== 'function') throw fpError('TypeError', 'this VM has no Promise: use loadEngineSync');
    var choice = fpChoose(options);
    function fallback(reason) {
      return fpFallbackAsync(options, reason).then(function (factory) {
        return fpRunFallback(imports, factory, reason);
      });
    }
    if (choice.kind !== 'wasm') return fallback(choice.reason);
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
      return fallback('WebAssembly rejected the engine: ' + (e && e.message));
    });
  }
