// `fleetpack profiles list|show`: the effective profiles, for people and scripts.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "base/diagnostic.h"
#include "base/file_io.h"
#include "profiles/profile_loader.h"

namespace fleetpack {

/// The catalog plus the user folders: those of `config` (fleetpack.yaml's `profiles:`) and `dirs`.
ProfileCatalog load_catalog(const std::optional<fs::path>& config, const std::vector<fs::path>& dirs,
                            Diagnostics& diags);

std::string render_profile_list(const ProfileCatalog& catalog, bool json);
/// Every effective value of one profile; with origins, the file:line:col (or "default") that set it.
std::string render_profile_show(const Profile& profile, bool origins);

}  // namespace fleetpack
