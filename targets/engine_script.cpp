#include "targets/engine_script.h"

#include <cstdlib>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/embedded.h"
#include "targets/feature_probes.h"

namespace fleetpack {

extern const std::vector<EmbeddedFile> fleetpack_templates_embed;

const std::string& template_text(const std::string& name) {
  for (const auto& f : fleetpack_templates_embed)
    if (f.name == name) return f.text;
  std::abort();  // templates/ and this file are built together: a missing name is a build bug
}

std::string engine_script_name(const Profile& profile) {
  return profile.js_module == "esm" ? "engine.mjs" : "engine.js";
}

namespace {

nlohmann::json signature_json(const JsSignature& s) { return {{"params", s.params}, {"results", s.results}}; }

/// What the templates read as FP_META: the interface, the target, the probes.
nlohmann::json meta_json(const TargetInput& in, const std::string& target) {
  nlohmann::json meta;
  meta["profile"] = in.profile.id;
  meta["target"] = target;
  // i64 at the boundary: BigInt where the JS level has it (as WebAssembly's JS API), else Numbers.
  meta["i64"] = in.profile.js_level == "es2020" ? "bigint" : "number";
  meta["features"] = nlohmann::json::array();
  for (Feature f : all_features())
    if (in.engine_features.has(f)) meta["features"].push_back(std::string(feature_name(f)));
  meta["probes"] = nlohmann::json::array();
  if (target == "auto")
    for (const auto& p : feature_probes(in.engine_features))
      meta["probes"].push_back({{"feature", std::string(feature_name(p.feature))}, {"bytes", p.module}});
  // Where the fallback is (targets/fallback_script.h): the loader fetches it only to run the engine as JS.
  meta["fallback"] = nullptr;
  if (in.fallback_script)
    meta["fallback"] = {{"file", in.fallback_script->file.logical_path},
                        {"id", in.fallback_script->id},
                        {"registry", in.fallback_script->registry}};
  meta["imports"] = nlohmann::json::array();
  meta["exports"] = nlohmann::json::array();
  if (in.fallback) {
    for (const auto& i : in.fallback->imports)
      meta["imports"].push_back({{"module", i.module},
                                 {"name", i.name},
                                 {"kind", i.kind},
                                 {"field", i.field},
                                 {"signature", signature_json(i.signature)}});
    for (const auto& e : in.fallback->exports)
      meta["exports"].push_back(
          {{"name", e.name}, {"kind", e.kind}, {"signature", signature_json(e.signature)}});
  }
  return meta;
}

}  // namespace

std::string fill_template(const std::string& templ, const std::map<std::string, std::string>& values) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t at = templ.find('@', pos);
    size_t end = at == std::string::npos ? at : templ.find('@', at + 1);
    auto it = end == std::string::npos ? values.end() : values.find(templ.substr(at + 1, end - at - 1));
    if (it == values.end()) {
      if (at == std::string::npos) break;
      out.append(templ, pos, at + 1 - pos);
      pos = at + 1;
      continue;
    }
    out.append(templ, pos, at - pos).append(it->second);
    pos = end + 1;
  }
  out.append(templ, pos, std::string::npos);
  return out;
}

std::string render_engine_script(const TargetInput& in, const std::string& target) {
  const bool esm = in.profile.js_module == "esm";
  const bool polyfills = in.fallback && in.profile.js_level == "es5";
  return fill_template(
      template_text(esm ? "module.mjs" : "script.js"),
      {
          {"HEADER", fmt::format("fleetpack {} engine script for profile '{}' (target {}). Generated: "
                                 "do not edit.",
                                 FLEETPACK_VERSION, in.profile.id, target)},
          // ensure_ascii: U+2028/2029 are line terminators inside ES5 string literals.
          {"META", meta_json(in, target).dump(-1, ' ', /*ensure_ascii=*/true)},
          {"POLYFILLS", polyfills ? template_text("polyfills.js") : ""},
          {"INSTANCE", in.fallback ? template_text("instance.js") : ""},
          {"LOADER", template_text("loader.js")},
          {"GLOBAL", nlohmann::json(in.global_name).dump(-1, ' ', true)},
      });
}

std::optional<TargetOutput> make_target_output(const TargetInput& in, const std::string& target,
                                               bool with_wasm, Diagnostics& diags) {
  TargetOutput out;
  out.entry = engine_script_name(in.profile);
  if (target != "wasm" && (!in.fallback || !in.fallback_script)) {
    diags.error(ErrorKind::Internal, Location::file_only(in.profile.file),
                fmt::format("profile '{}': target {} without a JS fallback", in.profile.id, target),
                "this is a fleetpack bug; please report it");
    return std::nullopt;
  }
  if (with_wasm) out.files.push_back({"engine.wasm", in.engine->bytes, "", ""});
  std::string script = render_engine_script(in, target);
  out.files.push_back({out.entry, Bytes(script.begin(), script.end()), "", ""});
  if (in.fallback_script) out.files.push_back(in.fallback_script->file);
  for (const auto& f : in.app_files) out.files.push_back(f);
  if (!finish_target_output(out, in.profile, diags, in.fallback_script)) return std::nullopt;
  return out;
}

}  // namespace fleetpack
