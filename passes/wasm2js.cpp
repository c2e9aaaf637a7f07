// wasm2js: the JS fallback of a variant, made by Binaryen's wasm2js tool from the module as it ships.
//
// wasm2js 108 mishandles much of what real modules use (DESIGN.md, facts): by the time this step runs, the
// lower-* steps have lowered every feature but the ones in wasm2js_features(), because a fallback
// context's profile asks for exactly those. Here we only
//   - rename every import to a unique field of "env" (wasm2js drops import module names, so two imports
//     with one field name would collide), remembering the original names for the wrapper;
//   - run the tool in a worker process (it aborts on internal asserts), at the profile's optimize level;
//   - keep the part of its ES-module output that is plain ES5 (function asmFunc(env) and its helpers) and
//     drop its import/export statements: the targets wrap it (templates/);
//   - make memory.grow respect the declared maximum and return -1 on failure, as Wasm does (wasm2js grows
//     up to 65536 pages whatever the maximum, and returns the old size when it cannot grow).
#include "passes/wasm2js.h"

#include <cstdlib>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <wabt/cast.h>

#include "base/worker.h"
#include "passes/ir_util.h"
#include "passes/registry.h"

extern char** environ;

namespace fleetpack {

FeatureSet wasm2js_features() {
  FeatureSet s;
  s.add(Feature::MutableGlobals);  // plain JS variables; wasm2js exports them as {value} objects
  return s;
}

namespace {

/// A value type as WebAssembly text names it ("i32", "f64", "v128", ...).
std::string value_type(wabt::Type t) { return t.GetName(); }

JsSignature signature_of(const wabt::FuncSignature& sig) {
  JsSignature out;
  for (auto t : sig.param_types) out.params.push_back(value_type(t));
  for (auto t : sig.result_types) out.results.push_back(value_type(t));
  return out;
}

const char* kind_name(wabt::ExternalKind k) {
  switch (k) {
    case wabt::ExternalKind::Func:
      return "function";
    case wabt::ExternalKind::Global:
      return "global";
    case wabt::ExternalKind::Memory:
      return "memory";
    case wabt::ExternalKind::Table:
      return "table";
    default:
      return "tag";
  }
}

/// The fields wasm2js's `env` gets: one unique name per import (imported memory: always "memory").
std::vector<std::string> env_fields(const wabt::Module& m) {
  std::vector<std::string> out;
  int n = 0;
  for (const wabt::Import* imp : m.imports)
    out.push_back(imp->kind() == wabt::ExternalKind::Memory ? "memory" : fmt::format("fp_import{}", n++));
  return out;
}

JsFallback describe_interface(const wabt::Module& m) {
  JsFallback fb;
  std::vector<std::string> fields = env_fields(m);
  for (size_t k = 0; k < m.imports.size(); ++k) {
    const wabt::Import* imp = m.imports[k];
    JsFallbackImport i{imp->module_name, imp->field_name, kind_name(imp->kind()), fields[k], {}};
    if (auto* mi = wabt::dyn_cast<wabt::MemoryImport>(imp); mi && mi->memory.page_limits.has_max)
      fb.memory_max_pages = mi->memory.page_limits.max;
    if (auto* fi = wabt::dyn_cast<wabt::FuncImport>(imp)) i.signature = signature_of(fi->func.decl.sig);
    fb.imports.push_back(std::move(i));
  }
  for (const wabt::Memory* mem : m.memories)
    if (mem->page_limits.has_max) fb.memory_max_pages = mem->page_limits.max;
  for (const wabt::Export* e : m.exports) {
    JsFallbackExport x{e->name, kind_name(e->kind), {}, {}};
    if (e->kind == wabt::ExternalKind::Func)
      if (const wabt::Func* f = m.GetFunc(e->var)) x.signature = signature_of(f->decl.sig);
    if (e->kind == wabt::ExternalKind::Global)
      if (const wabt::Global* g = m.GetGlobal(e->var)) x.value_type = value_type(g->type);
    fb.exports.push_back(std::move(x));
  }
  return fb;
}

/// The wasm2js executable: $FLEETPACK_WASM2JS, else `wasm2js` on PATH (Debian's binaryen package).
std::string wasm2js_tool() {
  const char* env = std::getenv("FLEETPACK_WASM2JS");
  return env && *env ? env : "wasm2js";
}

/// Runs wasm2js on `input` (in the worker child). Its messages go to our stderr, which the worker keeps.
bool run_tool(const Bytes& input, const std::string& level, FeatureSet features, Bytes& output,
              std::string& error) {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/fleetpack-wasm2js-XXXXXX";
  std::vector<char> dir_buf(pattern.begin(), pattern.end());
  dir_buf.push_back('\0');
  const char* dir = mkdtemp(dir_buf.data());
  if (!dir) {
    error = "cannot create a temporary directory";
    return false;
  }
  const fs::path in = fs::path(dir) / "in.wasm", out = fs::path(dir) / "out.js";
  Diagnostics quiet;
  bool ok = write_file_atomic(in, input, quiet);
  if (ok) {
    std::vector<std::string> args = {wasm2js_tool(), in.string(), "-o", out.string(), "-" + level};
    for (Feature f : all_features())
      if (features.has(f)) args.push_back(fmt::format("--enable-{}", feature_name(f)));
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int status = 0;
    if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
      error = fmt::format(
          "cannot run '{}' (set FLEETPACK_WASM2JS to its path; Debian: apt-get install "
          "binaryen)",
          args[0]);
      ok = false;
    } else if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      error = WIFSIGNALED(status) ? fmt::format("wasm2js was killed by signal {}", WTERMSIG(status))
                                  : fmt::format("wasm2js exited with status {}", WEXITSTATUS(status));
      ok = false;
    } else if (auto js = read_file(out, quiet)) {
      output = std::move(*js);
    } else {
      error = "wasm2js wrote no output";
      ok = false;
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return ok;
}

/// Keeps the ES5 part of wasm2js's ES-module output: everything after its `import` lines (helpers such as
/// the base64 decoder of data segments, initActiveSegments, Table) up to the glue that instantiates
/// asmFunc (`var retasmFunc = ...` or `var memasmFunc = ...`). Empty when the shape is unknown.
std::string keep_asm_function(const std::string& js) {
  size_t begin = 0;
  while (js.compare(begin, 7, "import ") == 0) {
    size_t eol = js.find('\n', begin);
    if (eol == std::string::npos) return {};
    begin = eol + 1;
  }
  size_t asm_begin = js.find("function asmFunc(", begin);
  if (asm_begin == std::string::npos) return {};
  size_t end = js.find("\nvar memasmFunc", asm_begin);
  if (end == std::string::npos) end = js.find("\nvar retasmFunc", asm_begin);
  if (end == std::string::npos) return {};
  return js.substr(begin, end - begin + 1);
}

/// Wasm's memory.grow: -1 beyond the declared maximum (or 65536 pages), or when the allocation fails.
bool patch_memory_grow(std::string& code, std::optional<uint64_t> max_pages) {
  const std::string condition = "if ((oldPages < newPages) && (newPages < 65536)) {";
  size_t at = code.find(condition);
  if (at == std::string::npos) return code.find("__wasm_memory_grow") == std::string::npos;
  uint64_t max = std::min<uint64_t>(max_pages.value_or(65536), 65536);
  code.replace(
      at, condition.size(),
      fmt::format("if ((pagesToAdd >>> 0) > {0} || newPages > {0} || (pagesToAdd | 0) < 0) return -1;\n"
                  "  if (oldPages < newPages) {{",
                  max));
  // A failed allocation (RangeError) must not escape into the engine: grow reports it as Wasm does.
  const std::string alloc = "var newBuffer = new ArrayBuffer(Math_imul(newPages, 65536));";
  size_t a = code.find(alloc);
  if (a != std::string::npos)
    code.replace(a, alloc.size(),
                 "var newBuffer;\n   try { newBuffer = new ArrayBuffer(Math_imul(newPages, 65536)); } "
                 "catch (e) { return -1; }");
  // Wasm detaches the old ArrayBuffer on growth, and glue code relies on it (wasm-bindgen refreshes its
  // cached views when their byteLength is 0): detach it where the host can (ES2024 transfer, or
  // structuredClone's transfer list); ES5 hosts keep a stale but harmless old buffer.
  const std::string swap = "   buffer = newBuffer;";
  size_t s = code.find(swap, at);
  if (s != std::string::npos)
    code.insert(
        s,
        "   try { if (typeof buffer.transfer === 'function') buffer.transfer(0); else if (typeof "
        "structuredClone === 'function') structuredClone(buffer, {transfer: [buffer]}); } catch (e) {}\n");
  return true;
}

}  // namespace

JsFallback describe_js_interface(const WasmModule& module) {
  auto ir = read_ir(module.bytes);
  return ir ? describe_interface(*ir) : JsFallback{};
}

struct PendingWasm2js {
  JsFallback interface;
  std::string input_file, subject;  // for messages
  std::unique_ptr<BackgroundWorker> worker;
};

std::shared_ptr<PendingWasm2js> start_wasm2js(const StepContext& ctx) {
  auto ir = read_ir(ctx.module->bytes);
  if (!ir) {
    ctx.diags.error(ErrorKind::Internal, Location::file_only(ctx.input_file),
                    "wabt could not re-read the lowered module for wasm2js", "report this to fleetpack");
    return nullptr;
  }
  auto pending = std::make_shared<PendingWasm2js>();
  pending->interface = describe_interface(*ir);
  pending->input_file = ctx.input_file;
  pending->subject = ctx.subject();
  std::vector<std::string> fields = env_fields(*ir);
  for (size_t k = 0; k < ir->imports.size(); ++k) {
    ir->imports[k]->module_name = "env";
    ir->imports[k]->field_name = fields[k];
  }
  Bytes input = write_ir(*ir, wasm2js_features(), /*names=*/false);
  ir.reset();  // the worker is forked next: it need not inherit the IR's pages
  release_free_heap();
  const std::string level = ctx.profile->optimize_level;
  const FeatureSet features = wasm2js_features();
  // The job runs in the child, forked here: what it captures only has to live until then.
  pending->worker = std::make_unique<BackgroundWorker>(
      "wasm2js " + level,
      [&](Bytes& output, std::string& error) { return run_tool(input, level, features, output, error); },
      ctx.worker_timeout);
  return pending;
}

std::optional<JsFallback> finish_wasm2js(PendingWasm2js& pending, Diagnostics& diags, double* seconds) {
  WorkerOutcome out = pending.worker->wait();
  if (seconds) *seconds = out.seconds;
  if (out.status != WorkerOutcome::Status::Ok) {
    diags.error(ErrorKind::Internal, Location::file_only(pending.input_file),
                fmt::format("wasm2js failed on the lowered module of {}: {}{}", pending.subject, out.reason,
                            // a failed job's reason is its log already: the tool's output, then why
                            out.log.empty() || out.status == WorkerOutcome::Status::JobFailed
                                ? ""
                                : "; its output: " + out.log),
                "this is a wasm2js failure after fleetpack's lowerings; try another optimize.level "
                "(wasm2js's optimizer has known crashes) and report the module to fleetpack");
    return std::nullopt;
  }
  JsFallback fb = std::move(pending.interface);
  fb.code = keep_asm_function(std::string(out.output.begin(), out.output.end()));
  if (fb.code.empty() || !patch_memory_grow(fb.code, fb.memory_max_pages)) {
    diags.error(ErrorKind::Internal, Location::file_only(pending.input_file),
                fmt::format("wasm2js's output for {} has a shape fleetpack does not know", pending.subject),
                "fleetpack expects Binaryen 108's wasm2js; check `wasm2js --version`");
    return std::nullopt;
  }
  return fb;
}

bool run_wasm2js(StepContext& ctx) {
  if (!ctx.build_fallback || !ctx.module || !ctx.profile) return true;
  auto pending = start_wasm2js(ctx);
  if (!pending) return false;
  auto fb = finish_wasm2js(*pending, ctx.diags);
  if (!fb) return false;
  ctx.js_fallback = std::move(*fb);
  return true;
}

}  // namespace fleetpack
