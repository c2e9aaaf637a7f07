#include "core/verify_fallback.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/duktape_run.h"
#include "base/hash.h"
#include "base/wasm_module.h"
#include "base/worker.h"
#include "base/zstd_patch.h"
#include "core/manifest.h"
#include "passes/registry.h"
#include "targets/engine_script.h"
#include "targets/fallback_script.h"

namespace fleetpack {

namespace {

using nlohmann::json;

/// One argument of a generated call, as the runner reads it (i64 as a decimal string; NaN, infinities
/// and -0 as words, which JSON cannot carry).
json generate_arg(const std::string& type, bool bigint, std::mt19937_64& rng) {
  auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
  if (type == "i32") {
    static const int64_t edges[] = {0,  1,  -1,  2,   3,   7,    8,     16,    31,         32,
                                    63, 64, 100, 255, 256, 1000, 65535, 65536, 2147483647, -2147483648LL};
    switch (pick(3)) {
      case 0:
        return edges[pick(std::size(edges))];
      case 1:
        return static_cast<int64_t>(pick(2001)) - 1000;  // what engines mostly get: small values
      default:
        return static_cast<int32_t>(rng());
    }
  }
  if (type == "i64") {
    // Without BigInt the fallback takes i64 as Numbers, exact within +-2^53 (docs/fallback.md): generated
    // arguments stay there; results beyond it are rounded the same way in both runs.
    static const char* edges[] = {"0",
                                  "1",
                                  "-1",
                                  "4294967295",
                                  "4294967296",
                                  "9007199254740991",
                                  "-9007199254740991",
                                  "9223372036854775807",
                                  "-9223372036854775808"};
    if (pick(2)) return edges[pick(std::size(edges) - (bigint ? 0 : 2))];
    return std::to_string(static_cast<int64_t>(rng()) >> (bigint ? pick(60) : 11 + pick(50)));
  }
  static const json edges[] = {0.0,   "-0",  0.5,    1.0,    -1.0,  1.5,   100.25, 1e10,   -1e10,
                               "nan", "inf", "-inf", 3.4e38, 1e-45, 2.5e9, -2.5e9, 1920.0, 1080.0};
  if (pick(2)) return edges[pick(std::size(edges))];
  std::uniform_real_distribution<double> small(-2000.0, 2000.0);
  return small(rng);
}

struct Interface {
  json imports = json::array();
  json signatures = json::object();
  json memories = json::array();
  json globals = json::array();
  std::vector<std::string> callable;  ///< exported functions with numeric params and results
};

std::optional<Interface> describe(const WasmModule& m, const VerifyFallbackOptions& o, Diagnostics& diags) {
  Interface out;
  const JsFallback js = describe_js_interface(m);
  for (const auto& imp : js.imports) {
    const std::string label = imp.module + "." + imp.name;
    if (imp.kind != "function") {
      diags.error(ErrorKind::Usage, Location::file_only(o.engine.string()),
                  fmt::format("the engine imports {} (a {}): verify-fallback gives only function imports",
                              label, imp.kind),
                  "export the memory, table or global from the engine instead of importing it");
      return std::nullopt;
    }
    auto it = o.import_returns.find(label);
    out.imports.push_back(
        {{"module", imp.module},
         {"name", imp.name},
         {"params", imp.signature.params},
         {"results", imp.signature.results},
         {"returns", it != o.import_returns.end() ? json(std::stod(it->second)) : json(0)}});
  }
  for (const auto& e : js.exports) {
    if (e.kind == "memory") out.memories.push_back(e.name);
    if (e.kind == "global" && !e.value_type.empty() && e.value_type != "v128")
      out.globals.push_back({{"name", e.name}, {"type", e.value_type}});
    if (e.kind != "function") continue;
    out.signatures[e.name] = {{"params", e.signature.params}, {"results", e.signature.results}};
    bool numeric = e.signature.results.size() <= 1;
    for (const auto* list : {&e.signature.params, &e.signature.results})
      for (const auto& t : *list) numeric = numeric && (t == "i32" || t == "i64" || t == "f32" || t == "f64");
    if (numeric && std::find(o.skip.begin(), o.skip.end(), e.name) == o.skip.end())
      out.callable.push_back(e.name);
  }
  return out;
}

/// The scripts of a bundle verify-fallback runs: its entry and the fallback file the entry loads.
struct BundleScripts {
  std::string entry_path;
  std::string entry;
  std::string fallback;  ///< engine.fallback.js ("" when the bundle has none)
};

/// The bundle's entry script and fallback, decompressed and checked against their hashes.
std::optional<BundleScripts> read_scripts(const VerifyFallbackOptions& o, Diagnostics& diags) {
  const fs::path manifest_file = o.release / manifest_path(o.profile);
  auto text = read_file(manifest_file, diags, 64 << 20);
  if (!text) return std::nullopt;
  std::vector<std::string> problems;
  auto m = parse_manifest(std::string(text->begin(), text->end()), problems);
  if (!m) {
    diags.error(
        ErrorKind::InvalidInput, Location::file_only(manifest_file.string()),
        "not a fleetpack manifest: " + (problems.empty() ? std::string("unreadable") : problems.front()),
        "point --release at <out>/<app>/<version> of a fleetpack build");
    return std::nullopt;
  }
  if (m->target == "wasm") {
    diags.error(ErrorKind::Usage, Location::file_only(manifest_file.string()),
                fmt::format("profile '{}' has target wasm: its bundle has no JS fallback", o.profile),
                "verify a profile with target js or auto");
    return std::nullopt;
  }
  auto read = [&](const std::string& path) -> std::optional<std::string> {
    for (const auto& f : m->files) {
      if (f.path != path) continue;
      const fs::path stored = o.release / stored_path(f.sha256);
      auto bytes = read_file(stored, diags, 1ull << 30);
      if (!bytes) return std::nullopt;
      std::string error;
      std::optional<Bytes> plain = f.encoding == "zstd"
                                       ? zstd_decompress_bounded(bytes->data(), bytes->size(), f.size, error)
                                       : std::optional<Bytes>(*bytes);
      if (!plain || sha256_hex(plain->data(), plain->size()) != f.sha256) {
        diags.error(ErrorKind::CheckFailed, Location::file_only(stored.string()),
                    fmt::format("{} does not decompress to its manifest's sha256{}", f.path,
                                error.empty() ? "" : ": " + error),
                    "the release is damaged: run `fleetpack verify` on it and rebuild");
        return std::nullopt;
      }
      return std::string(plain->begin(), plain->end());
    }
    diags.error(ErrorKind::InvalidInput, Location::file_only(manifest_file.string()),
                fmt::format("'{}' is not among the manifest's files", path), "rebuild the release");
    return std::nullopt;
  };
  BundleScripts out;
  out.entry_path = m->entry;
  auto entry = read(m->entry);
  auto fallback = entry ? read(kFallbackScriptName) : std::nullopt;
  if (!fallback) return std::nullopt;
  out.entry = std::move(*entry);
  out.fallback = std::move(*fallback);
  return out;
}

/// Runs a command in a worker and returns what it printed on stdout.
WorkerOutcome run_command(const std::string& label, const std::string& command,
                          std::chrono::seconds timeout) {
  return run_in_worker(
      label,
      [command](Bytes& output, std::string& error) {
        FILE* p = popen(command.c_str(), "r");
        if (!p) {
          error = "cannot start: " + command;
          return false;
        }
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, p)) > 0) output.insert(output.end(), buf, buf + n);
        int status = pclose(p);
        if (status != 0) {
          error = fmt::format("`{}` exited with status {}", command, WEXITSTATUS(status));
          return false;
        }
        return true;
      },
      timeout);
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::vector<std::string> lines_of(const Bytes& b) {
  std::vector<std::string> out;
  std::string cur;
  for (uint8_t c : b) {
    if (c == '\n') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += static_cast<char>(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

}  // namespace

std::optional<VerifyFallbackResult> verify_fallback(const VerifyFallbackOptions& o, Diagnostics& diags) {
  auto scripts = read_scripts(o, diags);
  auto module = load_module_file(o.engine, diags);
  if (!scripts || !module) return std::nullopt;
  auto iface = describe(*module, o, diags);
  if (!iface) return std::nullopt;
  const std::string& script = scripts->entry;
  const std::string& entry_path = scripts->entry_path;
  const bool esm = entry_path.size() > 4 && entry_path.compare(entry_path.size() - 4, 4, ".mjs") == 0;
  const bool bigint = script.find("\"i64\":\"bigint\"") != std::string::npos;
  std::string global = "fleetpack";
  if (size_t at = script.find("FP_GLOBAL[\""); at != std::string::npos)
    global = script.substr(at + 11, script.find('"', at + 11) - at - 11);

  json calls = json::array();
  if (o.calls) {
    auto text = read_file(*o.calls, diags, 256 << 20);
    if (!text) return std::nullopt;
    calls = json::parse(text->begin(), text->end(), nullptr, false);
    bool ok = calls.is_array();
    for (size_t i = 0; ok && i < calls.size(); ++i)
      ok = calls[i].is_object() && calls[i].contains("export") && calls[i]["export"].is_string() &&
           iface->signatures.contains(calls[i]["export"].get<std::string>()) && calls[i].contains("args") &&
           calls[i]["args"].is_array() &&
           calls[i]["args"].size() ==
               iface->signatures[calls[i]["export"].get<std::string>()]["params"].size();
    if (!ok) {
      diags.error(
          ErrorKind::InvalidInput, Location::file_only(o.calls->string()),
          "not a call list: expected a JSON array of {\"export\": NAME, \"args\": [...]} naming exported "
          "functions with as many args as they take",
          "i64 args as decimal strings; \"nan\", \"inf\", \"-inf\", \"-0\" for those floats");
      return std::nullopt;
    }
  } else if (!iface->callable.empty()) {
    std::mt19937_64 rng(o.seed);
    for (size_t i = 0; i < o.count; ++i) {
      const std::string& name = iface->callable[rng() % iface->callable.size()];
      json args = json::array();
      for (const auto& t : iface->signatures[name]["params"])
        args.push_back(generate_arg(t.get<std::string>(), bigint, rng));
      calls.push_back({{"export", name}, {"args", args}});
    }
  }

  // The runs' inputs, in a temporary folder.
  std::error_code tmp_error;  // the throwing overload would end the process on a TMPDIR that is gone
  const fs::path tmp = fs::temp_directory_path(tmp_error);
  std::string pattern = (tmp / "fleetpack-verify-XXXXXX").string();
  if (tmp_error || !mkdtemp(pattern.data())) {
    const std::string where =
        tmp_error ? std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "") : tmp.string();
    diags.error(ErrorKind::Usage, Location::file_only(where),
                fmt::format("cannot create a temporary folder: {}",
                            tmp_error ? tmp_error.message() : std::strerror(errno)),
                "set TMPDIR to an existing, writable folder");
    return std::nullopt;
  }
  const fs::path dir = pattern;
  json input = {{"calls", calls},
                {"imports", iface->imports},
                {"signatures", iface->signatures},
                {"memories", iface->memories},
                {"globals", iface->globals},
                {"memoryEvery", std::max<size_t>(1, o.memory_every)},
                {"i64", bigint ? "bigint" : "number"},
                {"global", global}};
  input["mode"] = "wasm";
  const std::string input_wasm = input.dump();
  input["mode"] = "js";
  const std::string input_js = input.dump();
  // The fallback beside the entry; the node driver and Duktape evaluate it first, as a page's second script
  // tag would (the runner loads the engine synchronously, and neither can download).
  const fs::path script_file = dir / entry_path.substr(entry_path.rfind('/') + 1);
  bool written = write_file_atomic(dir / "wasm.json", input_wasm, diags) &&
                 write_file_atomic(dir / "js.json", input_js, diags) &&
                 write_file_atomic(script_file, script, diags) &&
                 write_file_atomic(dir / kFallbackScriptName, scripts->fallback, diags) &&
                 write_file_atomic(dir / "verify_runner.js", template_text("verify_runner.js"), diags) &&
                 write_file_atomic(dir / "verify_node.js", template_text("verify_node.js"), diags) &&
                 write_file_atomic(dir / "engine.wasm", module->bytes, diags);

  VerifyFallbackResult result;
  result.calls = calls.size();
  std::vector<std::pair<VerifyRun, std::vector<std::string>>> runs;
  auto node_run = [&](const std::string& name, bool jitless, const std::string& which) {
    std::string command = fmt::format(
        "{} {}{} {} {} {} {}", shell_quote(o.node), jitless ? "--jitless " : "",
        shell_quote((dir / "verify_node.js").string()), shell_quote((dir / (which + ".json")).string()),
        shell_quote(script_file.string()), shell_quote((dir / "verify_runner.js").string()),
        which == "wasm" ? shell_quote((dir / "engine.wasm").string()) : "");
    WorkerOutcome out = run_command(name, command, o.timeout);
    if (out.status != WorkerOutcome::Status::Ok) {
      diags.error(ErrorKind::Usage, Location::file_only(script_file.filename().string()),
                  fmt::format("{} run failed: {}{}", name, out.reason, out.log.empty() ? "" : "; " + out.log),
                  "verify-fallback needs node (Debian: apt-get install nodejs), or --node PATH");
      return;
    }
    runs.push_back({{name, ""}, lines_of(out.output)});
  };
  if (written) {
    node_run("node (Wasm)", false, "wasm");
    node_run("node --jitless (fallback)", true, "js");
    if (!esm && !bigint) {
      const std::string runner = template_text("verify_runner.js");
      WorkerOutcome out = run_in_worker(
          "duktape",
          [&](Bytes& output, std::string& error) {
            std::string text;
            bool ok = duktape_run({{kFallbackScriptName, scripts->fallback},
                                   {entry_path, script},
                                   {"verify_runner.js", runner},
                                   {"main.js", "fpVerifyRun(this[" + json(global).dump() + "], JSON.parse(" +
                                                   json(input_js).dump() + "), null, print);"}},
                                  text, error);
            output.assign(text.begin(), text.end());
            return ok;
          },
          o.timeout);
      if (out.status != WorkerOutcome::Status::Ok)
        diags.error(ErrorKind::CheckFailed, Location::file_only(entry_path),
                    fmt::format("the fallback does not run in Duktape: {}", out.reason),
                    "the profile's JS level is es5: everything shipped must run on an ES5 engine");
      else
        runs.push_back({{"Duktape (fallback)", ""}, lines_of(out.output)});
    }
  }
  std::error_code ec;
  if (!std::getenv("FLEETPACK_VERIFY_KEEP")) fs::remove_all(dir, ec);  // kept for debugging the harness
  if (diags.has_errors() || runs.empty()) return std::nullopt;

  const auto& reference = runs.front().second;
  for (auto& [run, lines] : runs) {
    if (!lines.empty())
      run.loaded = json::parse(lines.front(), nullptr, false).value("load", std::string("?"));
    result.runs.push_back(run);
  }
  for (const auto& line : reference)
    if (line.find("\"trap\":true") != std::string::npos) ++result.traps;
  // Line 0 says which engine the loader chose (wasm for the reference, js for the others); the calls follow.
  for (size_t r = 1; r < runs.size(); ++r) {
    const auto& lines = runs[r].second;
    for (size_t i = 1; i < std::max(lines.size(), reference.size()); ++i) {
      const std::string want = i < reference.size() ? reference[i] : "(nothing)";
      const std::string got = i < lines.size() ? lines[i] : "(nothing)";
      if (want == got) continue;
      ++result.difference_count;
      if (result.differences.size() >= 10) continue;
      std::string call;
      if (i >= 1 && i - 1 < calls.size())
        call = fmt::format("call {} {}({}): ", i - 1, calls[i - 1]["export"].get<std::string>(),
                           calls[i - 1]["args"].dump());
      result.differences.push_back(fmt::format("{}{}\n    {}: {}\n    {}: {}", call, runs[r].first.name,
                                               runs.front().first.name, want, runs[r].first.name, got));
    }
  }
  return result;
}

std::string render_verify_fallback(const VerifyFallbackResult& r) {
  std::string out =
      fmt::format("{} calls ({} trapped in Wasm), compared in {} runs:\n", r.calls, r.traps, r.runs.size());
  for (const auto& run : r.runs) out += fmt::format("  {:<28} loader chose {}\n", run.name, run.loaded);
  if (r.difference_count == 0)
    return out + "no difference: results, traps, import calls, memories and globals agree\n";
  out += fmt::format("{} difference(s); the first:\n", r.difference_count);
  for (const auto& d : r.differences) out += "  " + d + "\n";
  return out;
}

}  // namespace fleetpack
