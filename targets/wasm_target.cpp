// wasm target: the device runs the module natively. Ships engine.wasm beside the app's JS files.
#include "targets/target.h"

namespace fleetpack {

bool emit_wasm_target(const TargetInput& in, const fs::path& dir, Diagnostics& diags) {
  bool ok = write_file_atomic(dir / "engine.wasm", in.engine, diags);
  for (const auto& f : in.app_files) ok = write_file_atomic(dir / f.logical_path, f.bytes, diags) && ok;
  return ok;
}

}  // namespace fleetpack
