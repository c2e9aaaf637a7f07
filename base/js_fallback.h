// The JS fallback of a variant as the wasm2js step hands it to the targets: wasm2js's code plus what a
// wrapper needs to give it the interface of a WebAssembly.Instance (DESIGN.md "Targets and the loader").
// Plain data: the step (passes/wasm2js.cpp) fills it, the targets (targets/) turn it into files.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace fleetpack {

/// A function signature in Wasm value types: "i32", "i64", "f32", "f64".
struct JsSignature {
  std::vector<std::string> params;
  std::vector<std::string> results;
};

/// One import of the engine. wasm2js drops import module names (two imports with one field name
/// collide), so the step renames every import to a unique field of "env" and the wrapper maps it back.
struct JsFallbackImport {
  std::string module;  ///< as the engine declares it
  std::string name;
  std::string kind;       ///< "function", "global", "memory" or "table"
  std::string field;      ///< its field of wasm2js's `env` object
  JsSignature signature;  ///< functions only
};

struct JsFallbackExport {
  std::string name;
  std::string kind;        ///< "function", "global", "memory" or "table"
  JsSignature signature;   ///< functions only
  std::string value_type;  ///< globals only
};

struct JsFallback {
  /// ES5 code defining `function asmFunc(env)` (and wasm2js's `Table` helper when the engine has a table).
  /// asmFunc(env) returns the exports; i64 values cross as (low, high) halves with the high half passed
  /// through env.setTempRet0/getTempRet0.
  std::string code;
  std::vector<JsFallbackImport> imports;
  std::vector<JsFallbackExport> exports;
  std::optional<uint64_t> memory_max_pages;  ///< the memory's declared maximum; grow never passes it
};

}  // namespace fleetpack
