// Files compiled into the binary at build time (cmake/EmbedFiles.cmake): the profile catalog, later the JS
// templates. The binary never looks them up on disk.
#pragma once
#include <string>
#include <vector>

namespace fleetpack {

struct EmbeddedFile {
  std::string name;  ///< file name without directory, e.g. "modern.yaml"
  std::string text;
};

}  // namespace fleetpack
