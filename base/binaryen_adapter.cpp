#include "base/binaryen_adapter.h"

#include <cstdlib>
#include <stdlib.h>

#include <binaryen-c.h>

#include "base/build_id.h"

namespace fleetpack {

std::optional<OptimizeLevel> parse_optimize_level(const std::string& name) {
  if (name == "Os") return OptimizeLevel{2, 1, name};
  if (name == "Oz") return OptimizeLevel{2, 2, name};
  if (name.size() == 2 && name[0] == 'O' && name[1] >= '0' && name[1] <= '4')
    return OptimizeLevel{name[1] - '0', 0, name};
  return std::nullopt;
}

namespace {
BinaryenFeatures to_binaryen(FeatureSet set) {
  BinaryenFeatures b = BinaryenFeatureMVP();
  for (Feature f : set.list()) {
    switch (f) {
      case Feature::SignExt:
        b |= BinaryenFeatureSignExt();
        break;
      case Feature::NontrappingFloatToInt:
        b |= BinaryenFeatureNontrappingFPToInt();
        break;
      case Feature::BulkMemory:
        b |= BinaryenFeatureBulkMemory();
        break;
      case Feature::MutableGlobals:
        b |= BinaryenFeatureMutableGlobals();
        break;
      case Feature::Multivalue:
        b |= BinaryenFeatureMultivalue();
        break;
      case Feature::ReferenceTypes:
        b |= BinaryenFeatureReferenceTypes();
        break;
      case Feature::Simd:
        b |= BinaryenFeatureSIMD128();
        break;
      case Feature::Threads:
        b |= BinaryenFeatureAtomics();
        break;
      case Feature::ExceptionHandling:
        b |= BinaryenFeatureExceptionHandling();
        break;
      case Feature::TailCall:
        b |= BinaryenFeatureTailCall();
        break;
      case Feature::Memory64:
        b |= BinaryenFeatureMemory64();
        break;
      case Feature::ExtendedConst:
        b |= BinaryenFeatureExtendedConst();
        break;
      case Feature::Gc:
        b |= BinaryenFeatureGC();
        break;
      case Feature::RelaxedSimd:
        b |= BinaryenFeatureRelaxedSIMD();
        break;
      case Feature::TypedFunctionReferences:
        b |= BinaryenFeatureTypedFunctionReferences();
        break;
      case Feature::MultiMemory:
        break;  // Binaryen 108 has none; detect-features refuses such modules first
    }
  }
  return b;
}
}  // namespace

bool binaryen_optimize(const Bytes& input, const BinaryenOptimizeSettings& settings, Bytes& output,
                       std::string& error) {
  // An empty BINARYEN_CORES crashes Binaryen's thread pool (DESIGN.md, facts).
  const char* cores = getenv("BINARYEN_CORES");
  if (cores && !*cores) unsetenv("BINARYEN_CORES");

  BinaryenModuleRef module;
  {
    std::vector<char> copy(input.begin(), input.end());  // the C API takes a mutable buffer
    module = BinaryenModuleRead(copy.data(), copy.size());
  }  // gone before optimizing: the worker's peak is Binaryen's own

  // The target_features section wins over flags when Binaryen reads a module: set the features
  // explicitly and drop the section, so Binaryen neither trusts nor re-emits it.
  BinaryenModuleSetFeatures(module, to_binaryen(settings.features));
  const char* strip_features[] = {"strip-target-features"};
  BinaryenModuleRunPasses(module, strip_features, 1);
  if (!BinaryenModuleValidate(module)) {
    BinaryenModuleDispose(module);
    error = "Binaryen rejects the module with the features it uses (" + settings.features.to_string() + ")";
    return false;
  }
  BinaryenSetOptimizeLevel(settings.level.optimize);
  BinaryenSetShrinkLevel(settings.level.shrink);
  BinaryenSetDebugInfo(settings.keep_names);
  BinaryenModuleOptimize(module);
  BinaryenModuleAllocateAndWriteResult result = BinaryenModuleAllocateAndWrite(module, nullptr);
  BinaryenModuleDispose(module);  // before the output is copied: not both at once
  const auto* p = static_cast<const uint8_t*>(result.binary);
  output.assign(p, p + result.binaryBytes);
  free(result.binary);
  if (result.sourceMap) free(result.sourceMap);
  return true;
}

std::string binaryen_identity() {
  static const std::string id = [] {
    std::string b = elf_build_id(reinterpret_cast<const void*>(&BinaryenModuleCreate));
    return b.empty() ? std::string("binaryen (no build-id)") : "build-id " + b;
  }();
  return id;
}

}  // namespace fleetpack
