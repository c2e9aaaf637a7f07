#include "base/symbol_map.h"

#include <regex>
#include <sstream>

#include <fmt/format.h>

namespace fleetpack {

std::string render_symbol_map(const WasmModule& module) {
  std::string out = "# fleetpack symbol map 1: function index, name (from the name section)\n";
  for (size_t i = 0; i < module.func_names.size(); ++i)
    if (!module.func_names[i].empty()) out += fmt::format("{} {}\n", i, module.func_names[i]);
  return out;
}

std::optional<std::map<uint32_t, std::string>> parse_symbol_map(const std::string& file,
                                                                const std::string& text, Diagnostics& diags) {
  std::map<uint32_t, std::string> symbols;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  if (text.rfind("# fleetpack symbol map 1", 0) != 0) {
    diags.error(ErrorKind::InvalidInput, Location::text(file, 1, 1), "not a fleetpack symbol map",
                "use a .map file from the release's symbols/ folder");
    return std::nullopt;
  }
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    size_t space = line.find(' ');
    char* end = nullptr;
    unsigned long index = space == std::string::npos ? 0 : std::strtoul(line.c_str(), &end, 10);
    if (space == std::string::npos || end != line.c_str() + space || space + 1 >= line.size()) {
      diags.error(ErrorKind::InvalidInput, Location::text(file, line_no, 1), "expected `INDEX NAME`");
      return std::nullopt;
    }
    symbols[static_cast<uint32_t>(index)] = line.substr(space + 1);
  }
  return symbols;
}

std::string symbolicate(const std::string& trace, const std::map<uint32_t, std::string>& symbols) {
  static const std::regex kFrame(R"(wasm-function\[(\d+)\])");
  std::string out;
  auto begin = std::sregex_iterator(trace.begin(), trace.end(), kFrame);
  size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    out.append(trace, last, m.position(0) - last);
    auto found = symbols.find(static_cast<uint32_t>(std::stoul(m[1].str())));
    out += found == symbols.end() ? m[0].str() : found->second + " (" + m[0].str() + ")";
    last = m.position(0) + m.length(0);
  }
  out.append(trace, last, std::string::npos);
  return out;
}

}  // namespace fleetpack
