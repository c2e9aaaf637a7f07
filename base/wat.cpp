#include "base/wat.h"

#include <wabt/binary-writer.h>
#include <wabt/resolve-names.h>
#include <wabt/stream.h>
#include <wabt/validator.h>
#include <wabt/wast-lexer.h>
#include <wabt/wast-parser.h>

#include "base/wabt_glue.h"

namespace fleetpack {

std::optional<Bytes> compile_wat(const std::string& wat, FeatureSet features, std::string& error) {
  wabt::Errors errors;
  auto lexer = wabt::WastLexer::CreateBufferLexer("probe.wat", wat.data(), wat.size(), &errors);
  wabt::WastParseOptions parse_options(to_wabt_features(features));
  std::unique_ptr<wabt::Module> module;
  bool ok = wabt::Succeeded(wabt::ParseWatModule(lexer.get(), &module, &errors, &parse_options)) &&
            wabt::Succeeded(wabt::ResolveNamesModule(module.get(), &errors));
  if (ok) {
    wabt::ValidateOptions validate_options(to_wabt_features(features));
    ok = wabt::Succeeded(wabt::ValidateModule(module.get(), &errors, validate_options));
  }
  if (!ok) {
    error = errors.empty() ? "invalid module" : errors.front().message;
    return std::nullopt;
  }
  wabt::MemoryStream stream;
  wabt::WriteBinaryOptions write_options(to_wabt_features(features), true, false, false);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, module.get(), write_options))) {
    error = "wabt could not write the module";
    return std::nullopt;
  }
  const auto& data = stream.output_buffer().data;
  return Bytes(data.begin(), data.end());
}

}  // namespace fleetpack
