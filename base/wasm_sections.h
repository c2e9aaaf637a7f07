// Section-level edits of a Wasm binary that need no IR round trip (which would drop custom sections).
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "base/file_io.h"
#include "base/wasm_scan.h"

namespace fleetpack {

/// Copies `bytes` without the custom sections for which `keep` returns false. `sections` is the scan of
/// `bytes`. Known sections are copied untouched.
Bytes remove_custom_sections(const Bytes& bytes, const std::vector<SectionInfo>& sections,
                             const std::function<bool(const std::string& name)>& keep);

}  // namespace fleetpack
