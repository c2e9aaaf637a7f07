// The baseline for the plan benchmark: read every profile YAML file of a folder with yaml-cpp alone, and
// the device map line by line, doing nothing else. `fleetpack plan` does this plus key checks, extends
// resolution, the module read and variant keys.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <yaml-cpp/yaml.h>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: yaml_baseline PROFILE_DIR DEVICES_CSV\n");
    return 2;
  }
  size_t nodes = 0;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    YAML::Node doc = YAML::LoadFile(entry.path().string());
    nodes += doc.size();
  }
  std::ifstream csv(argv[2]);
  std::string line;
  size_t lines = 0;
  while (std::getline(csv, line)) lines += line.find(',') != std::string::npos;
  std::printf("%zu top-level keys, %zu device lines\n", nodes, lines);
  return 0;
}
