// The one place that calls Binaryen (its C API). Call these only from a worker process (base/worker.h):
// Binaryen may exit the process, and its levels are process-global.
#pragma once
#include <string>

#include "base/features.h"
#include "base/file_io.h"

namespace fleetpack {

/// Optimization level as written in profiles: O0..O4, Os, Oz.
struct OptimizeLevel {
  int optimize = 2;  ///< Binaryen's optimizeLevel (-O0..-O4)
  int shrink = 0;    ///< Binaryen's shrinkLevel: 1 for -Os, 2 for -Oz
  std::string name = "O2";
};
/// Parses "O0".."O4", "Os", "Oz"; nullopt otherwise.
std::optional<OptimizeLevel> parse_optimize_level(const std::string& name);

struct BinaryenOptimizeSettings {
  OptimizeLevel level;
  FeatureSet features;     ///< exactly what the input uses: Binaryen then introduces nothing new
  bool keep_names = true;  ///< keep the name section (for symbol maps); the strip step removes it later
};

/// Optimizes `input` (already validated by wabt). Returns false with `error` set when Binaryen rejects it.
/// Never call in the main process (see above).
bool binaryen_optimize(const Bytes& input, const BinaryenOptimizeSettings& settings, Bytes& output,
                       std::string& error);

/// Which Binaryen this process loaded ("build-id <hex>" of libbinaryen.so), for content-store keys: another
/// Binaryen may optimize differently. Safe in the main process (reads no module, sets nothing).
std::string binaryen_identity();

}  // namespace fleetpack
