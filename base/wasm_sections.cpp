#include "base/wasm_sections.h"

namespace fleetpack {

Bytes remove_custom_sections(const Bytes& bytes, const std::vector<SectionInfo>& sections,
                             const std::function<bool(const std::string& name)>& keep) {
  Bytes out;
  out.reserve(bytes.size());
  uint64_t pos = 0;  // everything before `pos` has been copied or deliberately skipped
  for (const auto& s : sections) {
    if (s.id != 0 || keep(s.name)) continue;
    out.insert(out.end(), bytes.begin() + pos, bytes.begin() + s.header_offset);
    pos = s.offset + s.size;
  }
  out.insert(out.end(), bytes.begin() + pos, bytes.end());
  return out;
}

}  // namespace fleetpack
