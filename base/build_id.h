// Which build of a loaded program or library is running: its ELF build-id (the GNU note the linker writes),
// read from memory. Content-store keys include it, so a rebuilt fleetpack or another Binaryen never reuses
// results the old one computed, while the same binary on another machine shares them.
#pragma once
#include <string>

namespace fleetpack {

/// Lower-case hex build-id of the loaded object (executable or shared library) that contains `address`;
/// empty when the object has no build-id note.
std::string elf_build_id(const void* address);

/// The build-id of the executable (fleetpack_lib is linked into it statically).
std::string own_build_id();

}  // namespace fleetpack
