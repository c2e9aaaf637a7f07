// The built-in profile catalog: profiles/catalog/*.yaml, embedded at build time (cmake/EmbedFiles.cmake).
#include "base/embedded.h"
#include "profiles/profile_loader.h"

namespace fleetpack {

extern const std::vector<EmbeddedFile> fleetpack_catalog_embed;

std::vector<ProfileSource> builtin_profile_sources() {
  std::vector<ProfileSource> out;
  for (const auto& f : fleetpack_catalog_embed) out.push_back({"<catalog>/" + f.name, f.text, true});
  return out;
}

}  // namespace fleetpack
