// Feature lowering on wabt's IR: each lowering (one file per feature in passes/lower_*.cpp) rewrites every
// use of one post-MVP feature into MVP code, or reports precisely why it cannot. run_lowering() does what
// all of them share: it runs only when the module uses the feature and the profile lacks it, round-trips
// the module through wabt's IR, carries the custom sections the IR drops, re-validates the result and
// records what the lowering cost in bytes. Consecutive lowerings of one context share one IR: reading it
// is the expensive part (tens of MiB and a few hundred ms for a 1 MB module), so a lowering that a later
// lower-* step of the pipeline will follow leaves its IR in StepContext::lowering_ir for that step.
#pragma once
#include <functional>
#include <string>

#include <wabt/ir.h>

#include "base/diagnostic.h"
#include "base/features.h"
#include "passes/step.h"

namespace fleetpack {

struct LoweringContext {
  LoweringContext(wabt::Module& m, const StepContext& s, Feature f) : module(m), step(s), feature(f) {}

  wabt::Module& module;  ///< the IR being lowered (read with names)
  const StepContext& step;
  Feature feature;

  /// The user-facing name of a function: its name-section name, else "func[N]".
  std::string function_label(wabt::Index func_index) const;
  /// Reports a use that cannot be lowered: an error naming profile, feature and function, placed at the
  /// input's first use of the feature (the file the user has), with what to do instead.
  void cannot_lower(wabt::Index func_index, const std::string& what, const std::string& hint) const;
  /// The same for what belongs to no function (a table, a global, a segment): "... in the module: what".
  void cannot_lower_in_module(const std::string& what, const std::string& hint) const;

 private:
  /// Where the input first uses the feature: every "cannot lower" error points there.
  Location first_use() const;
};

using LoweringFn = bool (*)(LoweringContext&);

/// Whether a lower-* step has work: the module uses `feature` and the profile lacks it.
bool lowering_applies(const StepContext& ctx, Feature feature);

/// The shared driver of every lower-* step (see above). Returns false after reporting errors.
bool run_lowering(StepContext& ctx, Feature feature, LoweringFn lower);
/// How many times run_lowering has read a module into wabt's IR in this process (for tests: lowerings of
/// one context that follow each other read it once).
uint64_t lowering_ir_reads();

// The lowerings, one per file.
bool lower_multivalue(LoweringContext& lc);
bool lower_reference_types(LoweringContext& lc);
bool lower_bulk_memory(LoweringContext& lc);
bool lower_sign_ext(LoweringContext& lc);
bool lower_trunc_sat(LoweringContext& lc);

}  // namespace fleetpack
