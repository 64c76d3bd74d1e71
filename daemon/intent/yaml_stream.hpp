#pragma once
// YAML::LoadAll, guarded: yaml-cpp 0.7 (Debian's) loops forever on a stray flow token outside
// any node (a stream starting with "," or ", a"), appending empty documents until memory runs
// out (jbeder/yaml-cpp#1040, fixed upstream after 0.8). A first pass counts documents without
// building nodes and stops the runaway; then LoadAll runs over text it is known to finish.

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

namespace tern::intent {

// As YAML::LoadAll, and throws YAML::ParserException as it does (also for the runaway).
std::vector<YAML::Node> load_all_documents(const std::string& text);

}  // namespace tern::intent
