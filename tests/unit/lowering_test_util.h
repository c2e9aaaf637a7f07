// Shared by the lowering unit tests: run one lower-* step on a module for a VM with given features.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/wasm_module.h"
#include "passes/registry.h"
#include "profiles/profile.h"
#include "test_util.h"

namespace fleetpack::testing {

struct Lowered {
  bool ok = false;
  Bytes bytes;                      ///< the module after the step
  std::vector<std::string> errors;  ///< every diagnostic, formatted
};

/// Runs validate, detect-features and `step` for a profile 'tv' whose VM has `vm` features.
inline Lowered lower_with(StepFn step, const Bytes& input, FeatureSet vm = {}) {
  Diagnostics d;
  StepContext ctx(d);
  ctx.input_file = "t.wasm";
  ctx.input_bytes = input;
  Profile profile;
  profile.id = "tv";
  profile.features = vm;
  ctx.profile = &profile;
  Lowered out;
  EXPECT_TRUE(run_validate(ctx) && run_detect_features(ctx));
  if (!ctx.module) return out;
  out.ok = step(ctx);
  out.bytes = ctx.module->bytes;
  for (const auto& diag : d.all()) out.errors.push_back(format_diagnostic(diag));
  return out;
}

/// The step succeeded and its output is pure MVP: it validates with every feature off and
/// detect-features finds nothing. `m` gets the loaded output for further checks.
inline void expect_mvp_output(const Lowered& l, std::optional<WasmModule>& m) {
  ASSERT_TRUE(l.ok) << (l.errors.empty() ? "" : l.errors.front());
  RevalidateResult v = validate_with_features(l.bytes, FeatureSet());
  EXPECT_TRUE(v.ok) << v.message;
  Diagnostics d;
  m = load_module("out.wasm", l.bytes, d);
  ASSERT_TRUE(m);
  EXPECT_EQ(detect_features(*m).size(), 0u);
}

}  // namespace fleetpack::testing
