// Post-MVP WebAssembly features, named as Binaryen's --enable-* flags (the names users already know from
// wasm-opt). A FeatureSet is what a module uses or what a device VM supports.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fleetpack {

enum class Feature : uint8_t {
  SignExt,
  NontrappingFloatToInt,
  BulkMemory,
  MutableGlobals,
  Multivalue,
  ReferenceTypes,
  Simd,
  Threads,
  ExceptionHandling,
  TailCall,
  Memory64,
  MultiMemory,
  ExtendedConst,
  Gc,
  RelaxedSimd,
  TypedFunctionReferences,
};
constexpr int kFeatureCount = 16;

/// Every feature in declaration order.
const std::vector<Feature>& all_features();
/// Kebab-case name, e.g. "sign-ext".
std::string_view feature_name(Feature f);
/// Inverse of feature_name; also accepts wabt's spellings ("sign-extension", "saturating-float-to-int",
/// "multi-value", "exceptions", "function-references").
std::optional<Feature> parse_feature(std::string_view name);
/// Comma-separated list of every valid name, for hints.
std::string feature_name_list();

class FeatureSet {
 public:
  FeatureSet() = default;
  static FeatureSet all();
  bool has(Feature f) const { return bits_ & bit(f); }
  void add(Feature f) { bits_ |= bit(f); }
  void remove(Feature f) { bits_ &= ~bit(f); }
  bool empty() const { return bits_ == 0; }
  uint32_t bits() const { return bits_; }
  /// Features in this set that `other` lacks.
  FeatureSet minus(FeatureSet other) const { return FeatureSet(bits_ & ~other.bits_); }
  std::vector<Feature> list() const;
  /// "sign-ext, bulk-memory" or "none (MVP)".
  std::string to_string() const;
  bool operator==(const FeatureSet& o) const { return bits_ == o.bits_; }

 private:
  explicit FeatureSet(uint32_t bits) : bits_(bits) {}
  static uint32_t bit(Feature f) { return 1u << static_cast<unsigned>(f); }
  uint32_t bits_ = 0;
};

}  // namespace fleetpack
