// Symbol maps: function index -> name of a shipped (stripped) module, kept beside the release and never
// shipped to devices, to turn crash reports' `wasm-function[N]` back into names.
#pragma once
#include <map>
#include <optional>
#include <string>

#include "base/diagnostic.h"
#include "base/wasm_module.h"

namespace fleetpack {

/// "# fleetpack symbol map 1\n" then one "INDEX NAME" line per function that has a name (imports too).
std::string render_symbol_map(const WasmModule& module);
/// Parses a map; errors (InvalidInput) name the file and line.
std::optional<std::map<uint32_t, std::string>> parse_symbol_map(const std::string& file,
                                                                const std::string& text, Diagnostics& diags);
/// Rewrites every `wasm-function[N]` (the form V8, SpiderMonkey and JavaScriptCore print in stack traces)
/// as `NAME (wasm-function[N])` when the map knows N.
std::string symbolicate(const std::string& trace, const std::map<uint32_t, std::string>& symbols);

}  // namespace fleetpack
