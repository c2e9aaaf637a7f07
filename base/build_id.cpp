#include "base/build_id.h"

#include <cstdint>
#include <cstring>
#include <dlfcn.h>
#include <elf.h>
#include <link.h>

namespace fleetpack {

namespace {

struct Search {
  uintptr_t base = 0;  ///< load address of the object to find
  std::string id;
};

int visit(struct dl_phdr_info* info, size_t, void* data) {
  auto* s = static_cast<Search*>(data);
  if (info->dlpi_addr != s->base) return 0;
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const auto* p = reinterpret_cast<const uint8_t*>(info->dlpi_addr + ph.p_vaddr);
    const uint8_t* end = p + ph.p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      ElfW(Nhdr) note;
      std::memcpy(&note, p, sizeof note);
      const uint8_t* name = p + sizeof note;
      const uint8_t* desc = name + ((note.n_namesz + 3) & ~3u);
      const uint8_t* next = desc + ((note.n_descsz + 3) & ~3u);
      if (next > end) break;
      if (note.n_type == NT_GNU_BUILD_ID && note.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        static const char* const kHex = "0123456789abcdef";
        for (uint32_t k = 0; k < note.n_descsz; ++k) {
          s->id += kHex[desc[k] >> 4];
          s->id += kHex[desc[k] & 15];
        }
        return 1;
      }
      p = next;
    }
  }
  return 1;  // the right object, without a build-id
}

}  // namespace

std::string elf_build_id(const void* address) {
  Dl_info info;
  if (dladdr(address, &info) == 0) return {};
  Search s;
  // dladdr's dli_fbase is the lowest mapped address; dl_iterate_phdr's dlpi_addr is the load bias. They
  // agree for shared libraries and PIE executables (the only kinds Debian builds).
  s.base = reinterpret_cast<uintptr_t>(info.dli_fbase);
  dl_iterate_phdr(visit, &s);
  if (s.id.empty()) {
    // Non-PIE executable: the load bias is 0.
    s.base = 0;
    dl_iterate_phdr(visit, &s);
  }
  return s.id;
}

std::string own_build_id() {
  static const std::string id = elf_build_id(reinterpret_cast<const void*>(&own_build_id));
  return id;
}

}  // namespace fleetpack
