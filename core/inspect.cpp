#include "core/inspect.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "passes/registry.h"

namespace fleetpack {

using ojson = nlohmann::ordered_json;

std::optional<InspectReport> inspect_module(const fs::path& path, Diagnostics& diags) {
  auto m = load_module_file(path, diags);
  if (!m) return std::nullopt;
  InspectReport r{std::move(*m), {}};
  r.features = detect_features(r.module);
  return r;
}

namespace {

std::vector<FunctionBody> top_functions(const WasmModule& m, size_t top) {
  std::vector<FunctionBody> bodies = m.scan.bodies;
  std::stable_sort(bodies.begin(), bodies.end(),
                   [](const FunctionBody& a, const FunctionBody& b) { return a.size > b.size; });
  if (bodies.size() > top) bodies.resize(top);
  return bodies;
}

std::map<std::string, size_t> count_by_kind_imports(const WasmModule& m) {
  std::map<std::string, size_t> c;
  for (const auto& i : m.imports) ++c[extern_kind_name(i.kind)];
  return c;
}

std::map<std::string, size_t> count_by_kind_exports(const WasmModule& m) {
  std::map<std::string, size_t> c;
  for (const auto& e : m.exports) ++c[extern_kind_name(e.kind)];
  return c;
}

std::vector<std::string> mutable_global_imports(const WasmModule& m) {
  std::vector<std::string> out;
  for (const auto& i : m.imports)
    if (i.kind == ExternKind::Global && i.type.rfind("global mut ", 0) == 0)
      out.push_back(i.module + "." + i.field);
  return out;
}

std::vector<std::string> mutable_global_exports(const WasmModule& m) {
  std::vector<std::string> out;
  for (const auto& g : m.globals)
    if (g.mutable_)
      for (const auto& name : g.exported_as) out.push_back(name);
  return out;
}

uint64_t data_bytes(const WasmModule& m, bool passive) {
  uint64_t n = 0;
  for (const auto& d : m.data_segments)
    if (d.passive == passive) n += d.size;
  return n;
}

size_t data_count(const WasmModule& m, bool passive) {
  return std::count_if(m.data_segments.begin(), m.data_segments.end(),
                       [&](const auto& d) { return d.passive == passive; });
}

ojson json_limits_max(const Limits& l) { return l.max ? ojson(*l.max) : ojson(nullptr); }

std::string function_ref(const WasmModule& m, const FeatureUse& u) {
  return u.first_func ? fmt::format("'{}'", m.function_label(*u.first_func)) : std::string("-");
}

}  // namespace

std::string render_inspect_json(const InspectReport& r, size_t top) {
  const WasmModule& m = r.module;
  ojson j;
  j["schema"] = "fleetpack.inspect/1";
  j["file"] = m.file;
  j["size"] = m.bytes.size();
  j["version"] = m.scan.version;
  j["sections"] = ojson::array();
  for (const auto& s : m.scan.sections)
    j["sections"].push_back({{"id", s.id},
                             {"name", s.name},
                             {"custom", s.id == 0},
                             {"header_offset", s.header_offset},
                             {"offset", s.offset},
                             {"size", s.size}});
  ojson imports = {
      {"count", m.imports.size()}, {"by_kind", count_by_kind_imports(m)}, {"items", ojson::array()}};
  for (const auto& i : m.imports)
    imports["items"].push_back(
        {{"module", i.module}, {"field", i.field}, {"kind", extern_kind_name(i.kind)}, {"type", i.type}});
  j["imports"] = imports;
  ojson exports = {
      {"count", m.exports.size()}, {"by_kind", count_by_kind_exports(m)}, {"items", ojson::array()}};
  for (const auto& e : m.exports)
    exports["items"].push_back({{"name", e.name}, {"kind", extern_kind_name(e.kind)}, {"index", e.index}});
  j["exports"] = exports;
  j["memories"] = ojson::array();
  for (const auto& mem : m.memories)
    j["memories"].push_back({{"initial_pages", mem.pages.initial},
                             {"max_pages", json_limits_max(mem.pages)},
                             {"shared", mem.pages.shared},
                             {"memory64", mem.pages.is64},
                             {"imported", mem.imported},
                             {"exported_as", mem.exported_as}});
  j["tables"] = ojson::array();
  for (const auto& t : m.tables)
    j["tables"].push_back({{"elem_type", t.elem_type},
                           {"initial", t.elements.initial},
                           {"max", json_limits_max(t.elements)},
                           {"imported", t.imported},
                           {"exported_as", t.exported_as}});
  ojson globals = {
      {"count", m.globals.size()},
      {"imported", std::count_if(m.globals.begin(), m.globals.end(), [](auto& g) { return g.imported; })},
      {"mutable", std::count_if(m.globals.begin(), m.globals.end(), [](auto& g) { return g.mutable_; })},
      {"mutable_imports", mutable_global_imports(m)},
      {"mutable_exports", mutable_global_exports(m)}};
  j["globals"] = globals;
  j["data_segments"] = {{"count", m.data_segments.size()},
                        {"bytes", data_bytes(m, false) + data_bytes(m, true)},
                        {"active", {{"count", data_count(m, false)}, {"bytes", data_bytes(m, false)}}},
                        {"passive", {{"count", data_count(m, true)}, {"bytes", data_bytes(m, true)}}}};
  j["elem_segments"] = m.elem_segment_count;
  j["functions"] = {{"imported", m.func_import_count},
                    {"defined", m.func_names.size() - m.func_import_count},
                    {"code_bytes", m.code_bytes()},
                    {"has_names", m.has_name_section}};
  j["features"] = ojson::array();
  for (const auto& u : r.features) {
    ojson f = {{"name", feature_name(u.feature)},
               {"count", u.count},
               {"first_offset", u.first_offset},
               {"first_use", u.first_what}};
    f["first_function_index"] = u.first_func ? ojson(*u.first_func) : ojson(nullptr);
    f["first_function"] = u.first_func ? ojson(m.function_label(*u.first_func)) : ojson(nullptr);
    j["features"].push_back(f);
  }
  j["data_count_section"] = m.scan.has_data_count;
  j["call_indirect"] = {{"count", m.scan.call_indirect_count},
                        {"reference_types_encoding", m.scan.call_indirect_reftypes_encoding}};
  j["top_functions"] = ojson::array();
  for (const auto& b : top_functions(m, top))
    j["top_functions"].push_back({{"index", b.func_index},
                                  {"name", m.function_label(b.func_index)},
                                  {"size", b.size},
                                  {"offset", b.offset}});
  return j.dump(2) + "\n";
}

std::string render_inspect_text(const InspectReport& r, size_t top) {
  const WasmModule& m = r.module;
  std::string o =
      fmt::format("{}: {} bytes, wasm version {}\n\nsections:\n", m.file, m.bytes.size(), m.scan.version);
  for (const auto& s : m.scan.sections)
    o += fmt::format("  {:>2} {:<24} offset {:#010x}  size {:>10}\n", s.id,
                     s.id == 0 ? "custom \"" + s.name + "\"" : s.name, s.offset, s.size);
  o += fmt::format("\nimports: {}\n", m.imports.size());
  for (const auto& i : m.imports) o += fmt::format("  {}.{}: {}\n", i.module, i.field, i.type);
  o += fmt::format("exports: {}\n", m.exports.size());
  for (const auto& e : m.exports) o += fmt::format("  {} {} {}\n", extern_kind_name(e.kind), e.index, e.name);
  for (size_t i = 0; i < m.memories.size(); ++i) {
    const auto& mem = m.memories[i];
    o += fmt::format("memory {}: initial {} pages, max {}{}{}{}\n", i, mem.pages.initial,
                     mem.pages.max ? fmt::format("{} pages", *mem.pages.max) : "unbounded",
                     mem.pages.shared ? ", shared" : "", mem.imported ? ", imported" : "",
                     mem.exported_as.empty()
                         ? ""
                         : ", exported as " + fmt::format("{}", fmt::join(mem.exported_as, ", ")));
  }
  for (size_t i = 0; i < m.tables.size(); ++i) {
    const auto& t = m.tables[i];
    o += fmt::format("table {}: {} initial {}, max {}{}\n", i, t.elem_type, t.elements.initial,
                     t.elements.max ? std::to_string(*t.elements.max) : "unbounded",
                     t.imported ? ", imported" : "");
  }
  auto mi = mutable_global_imports(m), me = mutable_global_exports(m);
  o += fmt::format("globals: {}{}{}\n", m.globals.size(),
                   mi.empty() ? "" : fmt::format(", mutable imports: {}", fmt::join(mi, ", ")),
                   me.empty() ? "" : fmt::format(", mutable exports: {}", fmt::join(me, ", ")));
  o += fmt::format("data segments: {} ({} bytes; {} active, {} passive)\n", m.data_segments.size(),
                   data_bytes(m, false) + data_bytes(m, true), data_count(m, false), data_count(m, true));
  o += fmt::format("functions: {} defined, {} imported, {} code bytes{}\n",
                   m.func_names.size() - m.func_import_count, m.func_import_count, m.code_bytes(),
                   m.has_name_section ? "" : " (no name section)");
  o += "\nfeatures used:";
  if (r.features.empty())
    o += " none (MVP)\n";
  else
    o += "\n";
  for (const auto& u : r.features)
    o += fmt::format("  {:<26} {:>6} use{}  first in {} at {:#x} ({})\n", feature_name(u.feature), u.count,
                     u.count == 1 ? " " : "s", function_ref(m, u), u.first_offset, u.first_what);
  if (m.scan.has_data_count) o += "DataCount section present (pre-bulk-memory engines reject it)\n";
  if (m.scan.call_indirect_reftypes_encoding)
    o += fmt::format("{} of {} call_indirect use the reference-types table encoding\n",
                     m.scan.call_indirect_reftypes_encoding, m.scan.call_indirect_count);
  o += fmt::format("\ntop {} functions by body size:\n", top);
  for (const auto& b : top_functions(m, top))
    o += fmt::format("  {:>10} bytes  func[{}] {}\n", b.size, b.func_index, m.function_label(b.func_index));
  return o;
}

}  // namespace fleetpack
