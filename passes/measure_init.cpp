// measure-init: the start-up memory the engine really reaches (DESIGN.md "Memory and size budgets",
// linear_memory_init). When fleetpack.yaml names an init export, the module as shipped is instantiated in
// wabt's interpreter with stub imports, the export is called with the configured arguments, and the pages of
// linear memory and the table elements reached are recorded. wabt's interpreter has no instruction limit
// (DESIGN.md, facts), so the run happens in a child process (base/worker.h) with a time limit and an
// address-space limit: a module that loops, traps or runs out of memory is a diagnostic, never a hang.
#include <cerrno>
#include <cstdlib>
#include <sys/resource.h>

#include <fmt/format.h>
#include <wabt/binary-reader.h>
#include <wabt/interp/binary-reader-interp.h>
#include <wabt/interp/interp.h>

#include "base/worker.h"
#include "passes/registry.h"

namespace fleetpack {

namespace {

namespace wi = wabt::interp;

/// Address space the child may use (the interpreter allocates linear memory as one buffer).
constexpr rlim_t kChildAddressSpace = rlim_t(8) << 30;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kLimitAddressSpace = false;  // ASan reserves terabytes of shadow memory
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kLimitAddressSpace = false;
#else
constexpr bool kLimitAddressSpace = true;
#endif
#else
constexpr bool kLimitAddressSpace = true;
#endif

/// Parses a numeric literal (decimal, 0x hex, or a float) as a value of `type`.
bool make_value(const std::string& literal, wabt::Type type, wi::Value& out, std::string& error) {
  const char* s = literal.c_str();
  char* end = nullptr;
  errno = 0;
  switch (type) {
    case wabt::Type::I32:
    case wabt::Type::I64: {
      long long v = std::strtoll(s, &end, 0);
      if (end == s || *end || errno) {
        // Accept an unsigned 64-bit literal too.
        errno = 0;
        unsigned long long u = std::strtoull(s, &end, 0);
        if (end == s || *end || errno) break;
        v = static_cast<long long>(u);
      }
      out = type == wabt::Type::I32 ? wi::Value::Make(static_cast<uint32_t>(v))
                                    : wi::Value::Make(static_cast<uint64_t>(v));
      return true;
    }
    case wabt::Type::F32:
    case wabt::Type::F64: {
      double v = std::strtod(s, &end);
      if (end == s || *end) break;
      out = type == wabt::Type::F32 ? wi::Value::Make(static_cast<float>(v)) : wi::Value::Make(v);
      return true;
    }
    case wabt::Type::FuncRef:
    case wabt::Type::ExternRef:
      out = wi::Value::Make(wi::Ref::Null);
      return literal == "0" || literal == "null";
    default:
      break;
  }
  error = fmt::format("'{}' is not a valid {} value", literal, type.GetName());
  return false;
}

/// Figures the child reports: "<linear memory bytes> <table elements>".
bool run_init(const Bytes& wasm, const InitSettings& init, Bytes& output, std::string& error) {
  if (kLimitAddressSpace) {
    struct rlimit lim = {kChildAddressSpace, kChildAddressSpace};
    setrlimit(RLIMIT_AS, &lim);
  }
  wabt::Features features;
  features.EnableAll();
  wabt::Errors errors;
  wi::ModuleDesc desc;
  wabt::ReadBinaryOptions options(features, nullptr, false, true, false);
  if (wabt::Failed(wi::ReadBinaryInterp("engine.wasm", wasm.data(), wasm.size(), options, &errors, &desc))) {
    error = "cannot run: wabt's interpreter cannot read the module" +
            (errors.empty() ? std::string() : ": " + errors.front().message);
    return false;
  }
  wi::Store store(features);
  auto module = wi::Module::New(store, std::move(desc));
  wi::RefVec imports;
  for (const auto& import : module->desc().imports) {
    const wi::ImportType& t = import.type;
    const std::string name = t.module + "." + t.name;
    auto configured = init.imports.find(name);
    switch (t.type->kind) {
      case wi::ExternKind::Func: {
        const auto& ft = *wabt::cast<wi::FuncType>(t.type.get());
        std::string stub = configured == init.imports.end() ? "0" : configured->second;
        wi::Values results;
        if (stub != "trap") {
          for (auto type : ft.results) {
            wi::Value v;
            if (!make_value(stub, type, v, error)) {
              error = fmt::format("cannot run: init.imports.{}: {}", name, error);
              return false;
            }
            results.push_back(v);
          }
        }
        auto fn = wi::HostFunc::New(
            store, ft,
            [stub, name, results](wi::Thread& thread, const wi::Values&, wi::Values& out,
                                  wi::Trap::Ptr* trap) -> wabt::Result {
              if (stub == "trap") {
                *trap = wi::Trap::New(thread.store(), "import " + name + " was called (init.imports: trap)");
                return wabt::Result::Error;
              }
              out = results;
              return wabt::Result::Ok;
            });
        imports.push_back(fn.ref());
        break;
      }
      case wi::ExternKind::Memory:
        imports.push_back(wi::Memory::New(store, *wabt::cast<wi::MemoryType>(t.type.get())).ref());
        break;
      case wi::ExternKind::Table:
        imports.push_back(wi::Table::New(store, *wabt::cast<wi::TableType>(t.type.get())).ref());
        break;
      case wi::ExternKind::Global: {
        const auto& gt = *wabt::cast<wi::GlobalType>(t.type.get());
        wi::Value v;
        if (!make_value(configured == init.imports.end() ? "0" : configured->second, gt.type, v, error)) {
          error = fmt::format("cannot run: init.imports.{}: {}", name, error);
          return false;
        }
        imports.push_back(wi::Global::New(store, gt, v).ref());
        break;
      }
      default:
        error = fmt::format("cannot run: the module imports {} '{}', which init cannot stub",
                            wi::GetName(t.type->kind), name);
        return false;
    }
  }
  wi::Trap::Ptr trap;
  auto instance = wi::Instance::Instantiate(store, module.ref(), imports, &trap);
  if (!instance) {
    error = "instantiation trapped: " + (trap ? trap->message() : std::string("unknown error"));
    return false;
  }
  wi::Func::Ptr func;
  const auto& exports = module->export_types();
  for (size_t i = 0; i < exports.size(); ++i) {
    if (exports[i].name != init.export_name) continue;
    if (exports[i].type->kind != wi::ExternKind::Func) {
      error = "is not a function export";
      return false;
    }
    func = store.UnsafeGet<wi::Func>(instance->exports()[i]);
  }
  if (!func) {
    error = "is not exported by the module";
    return false;
  }
  const auto& ft = *wabt::cast<wi::FuncType>(&func->extern_type());
  if (ft.params.size() != init.args.size()) {
    error = fmt::format("takes {} argument(s) but init.args gives {}", ft.params.size(), init.args.size());
    return false;
  }
  wi::Values params, results;
  for (size_t i = 0; i < init.args.size(); ++i) {
    wi::Value v;
    if (!make_value(init.args[i], ft.params[i], v, error)) {
      error = fmt::format("cannot run: init.args[{}]: {}", i, error);
      return false;
    }
    params.push_back(v);
  }
  if (wabt::Failed(func->Call(store, params, results, &trap))) {
    error = "trapped: " + (trap ? trap->message() : std::string("unknown error"));
    return false;
  }
  uint64_t memory_bytes = 0, table_elements = 0;
  for (auto ref : instance->memories()) memory_bytes += store.UnsafeGet<wi::Memory>(ref)->ByteSize();
  for (auto ref : instance->tables()) table_elements += store.UnsafeGet<wi::Table>(ref)->size();
  std::string text = fmt::format("{} {}", memory_bytes, table_elements);
  output.assign(text.begin(), text.end());
  return true;
}

}  // namespace

bool run_measure_init(StepContext& ctx) {
  if (!ctx.init || !ctx.module) return true;
  const InitSettings& init = *ctx.init;
  const Bytes wasm = ctx.module->bytes;
  WorkerOutcome outcome = run_in_worker(
      "measure-init", [&](Bytes& out, std::string& error) { return run_init(wasm, init, out, error); },
      init.timeout);
  std::string reason;
  switch (outcome.status) {
    case WorkerOutcome::Status::Ok: {
      unsigned long long bytes = 0, elements = 0;
      std::string text(outcome.output.begin(), outcome.output.end());
      if (std::sscanf(text.c_str(), "%llu %llu", &bytes, &elements) == 2) {
        ctx.figures.linear_memory_init = bytes;
        ctx.figures.table_init = elements;
        return true;
      }
      reason = "the interpreter process reported nothing";
      break;
    }
    case WorkerOutcome::Status::JobFailed:
      reason = outcome.reason;
      break;
    case WorkerOutcome::Status::TimedOut:
      reason = fmt::format("did not finish within {:g} s", init.timeout.count() / 1000.0);
      break;
    case WorkerOutcome::Status::Crashed:
      reason = fmt::format("the interpreter process died ({}), possibly out of memory", outcome.reason);
      break;
  }
  ctx.diags.error(
      ErrorKind::CheckFailed, init.where,
      fmt::format("{}: init export '{}' {}", ctx.subject(), init.export_name, reason),
      "fix the init export or its `init:` settings in fleetpack.yaml (args, imports, timeout_ms), "
      "or remove `init:` to budget linear_memory_initial instead");
  return false;
}

}  // namespace fleetpack
