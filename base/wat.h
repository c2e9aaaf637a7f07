// Compiles WebAssembly text to binary with wabt (for the loader's feature probes and tests' fixtures).
#pragma once
#include <optional>
#include <string>

#include "base/features.h"
#include "base/file_io.h"

namespace fleetpack {

/// The binary of `wat` with exactly `features` enabled; nullopt (and `error`) when it does not parse or
/// validate.
std::optional<Bytes> compile_wat(const std::string& wat, FeatureSet features, std::string& error);

}  // namespace fleetpack
