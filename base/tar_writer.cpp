#include "base/tar_writer.h"

#include <cstring>

#include <fmt/format.h>

namespace fleetpack {

namespace {

/// Writes `value` as zero-padded octal filling `width - 1` digits plus a NUL terminator.
void put_octal(uint8_t* field, size_t width, uint64_t value) {
  std::string s = fmt::format("{:0{}o}", value, width - 1);
  std::memcpy(field, s.data(), width - 1);
  field[width - 1] = 0;
}

/// Splits a path into ustar's prefix (<= 155) and name (<= 100) at a '/'.
bool split_name(const std::string& path, std::string& prefix, std::string& name) {
  if (path.size() <= 100) {
    prefix.clear();
    name = path;
    return true;
  }
  for (size_t slash = path.find('/'); slash != std::string::npos; slash = path.find('/', slash + 1)) {
    if (slash <= 155 && path.size() - slash - 1 <= 100 && path.size() - slash - 1 > 0) {
      prefix = path.substr(0, slash);
      name = path.substr(slash + 1);
      return true;
    }
  }
  return false;
}

}  // namespace

std::optional<std::vector<uint8_t>> tar_build(const std::vector<TarEntry>& entries, uint64_t mtime,
                                              std::string& error) {
  std::vector<uint8_t> out;
  for (const auto& e : entries) {
    std::string prefix, name;
    if (!split_name(e.directory ? e.path + "/" : e.path, prefix, name)) {
      error = fmt::format("path '{}' is too long for a ustar archive (100 + 155 bytes)", e.path);
      return std::nullopt;
    }
    uint8_t h[512] = {};
    std::memcpy(h, name.data(), name.size());
    put_octal(h + 100, 8, e.mode);
    put_octal(h + 108, 8, 0);  // uid
    put_octal(h + 116, 8, 0);  // gid
    put_octal(h + 124, 12, e.directory ? 0 : e.data.size());
    put_octal(h + 136, 12, mtime);
    h[156] = e.directory ? '5' : '0';
    std::memcpy(h + 257, "ustar", 6);  // magic with its NUL
    std::memcpy(h + 263, "00", 2);
    std::memcpy(h + 265, "root", 4);  // uname
    std::memcpy(h + 297, "root", 4);  // gname
    put_octal(h + 329, 8, 0);         // devmajor
    put_octal(h + 337, 8, 0);         // devminor
    std::memcpy(h + 345, prefix.data(), prefix.size());
    // The checksum is computed with its own field as eight spaces, and written as 6 digits, NUL, space.
    std::memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (uint8_t b : h) sum += b;
    put_octal(h + 148, 7, sum);
    h[155] = ' ';
    out.insert(out.end(), h, h + 512);
    if (!e.directory) {
      out.insert(out.end(), e.data.begin(), e.data.end());
      out.resize((out.size() + 511) / 512 * 512, 0);
    }
  }
  out.resize(out.size() + 1024, 0);                     // end of archive: two zero blocks
  out.resize((out.size() + 10239) / 10240 * 10240, 0);  // whole records, as tar(1) writes them
  return out;
}

}  // namespace fleetpack
