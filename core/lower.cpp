#include "core/lower.h"

#include <sstream>

#include <fmt/format.h>

#include "base/suggest.h"
#include "passes/registry.h"
#include "profiles/profile_loader.h"

namespace fleetpack {

LowerResult run_lower(const LowerOptions& o, Diagnostics& diags) {
  LowerResult result;
  Profile profile;
  if (o.features) {
    profile.id = "--features " + (o.features->empty() ? std::string("(MVP)") : *o.features);
    std::stringstream ss(*o.features);
    std::string name;
    while (std::getline(ss, name, ',')) {
      if (name.empty()) continue;
      if (auto f = parse_feature(name))
        profile.features.add(*f);
      else
        diags.error(ErrorKind::Usage, Location{}, fmt::format("unknown feature '{}'", name),
                    "features are: " + feature_name_list());
    }
  } else {
    ProfileCatalog catalog = load_profiles(o.profile_dirs, diags);
    if (const Profile* p = catalog.find(o.profile))
      profile = *p;
    else if (!diags.has_errors())
      diags.error(ErrorKind::Usage, Location{},
                  fmt::format("unknown profile '{}'{}", o.profile, did_you_mean(o.profile, catalog.ids())),
                  "`fleetpack profiles list` shows the known ids");
  }
  auto bytes = read_file(o.module, diags);
  if (!bytes || diags.has_errors()) return result;

  StepContext ctx(diags);
  ctx.input_file = o.module.string();
  ctx.input_bytes = std::move(*bytes);
  ctx.profile = &profile;
  if (!run_validate(ctx) || !run_detect_features(ctx)) return result;
  for (const auto& u : ctx.input_features) result.used_before.add(u.feature);
  result.bytes_before = ctx.module->bytes.size();
  bool ok = true;
  for (const StepInfo& step : all_steps()) {
    std::string name = step.name;
    // Every lowering runs (to report all that cannot be lowered); the final check only when they all
    // succeeded, or it would report their features a second time.
    if (name.rfind("lower-", 0) == 0) ok = step.run(ctx) && ok;
    if (name == "check-features" && ok) ok = step.run(ctx);
  }
  for (const auto& u : detect_features(*ctx.module)) result.used_after.add(u.feature);
  result.costs = ctx.lowering_costs;
  result.bytes_after = ctx.module->bytes.size();
  if (ok && !diags.has_errors()) result.written = write_file_atomic(o.out, ctx.module->bytes, diags);
  return result;
}

std::string render_lower_result(const LowerResult& r) {
  std::string out =
      fmt::format("uses before: {}\nuses after:  {}\n", r.used_before.to_string(), r.used_after.to_string());
  for (const auto& [f, bytes] : r.costs)
    out += fmt::format("  lowered {:<26} {:+} bytes\n", feature_name(f), bytes);
  out += fmt::format("{} -> {} bytes{}\n", r.bytes_before, r.bytes_after, r.written ? "" : " (not written)");
  return out;
}

}  // namespace fleetpack
