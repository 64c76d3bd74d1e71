#pragma once
// `-o json` and `-o yaml`: a protobuf message through protobuf's JSON mapping (json_name, so
// Calico's field names) into a yaml-cpp tree, and the tree out as pretty JSON or block YAML.
// The tree keeps JSON's types: a quoted scalar (tag "!") is a string, a plain one a number,
// bool or null, so the YAML quotes exactly the strings a YAML reader would otherwise misread.

#include <google/protobuf/message.h>
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

namespace tern::ctl {

// With `defaults`, fields left at their default print too, so scripts see `ready: false` rather
// than nothing. nullopt only if protobuf's JSON printer fails (it does not for valid messages).
std::optional<YAML::Node> message_tree(const google::protobuf::Message& message, bool defaults);

// A string scalar for trees built by hand (tagged so the emitters never take it for a number).
YAML::Node string_node(const std::string& value);

std::string to_json(const YAML::Node& tree);  // two-space indent, trailing newline
std::string to_yaml(const YAML::Node& tree);  // block style, sequences flush with their key

}  // namespace tern::ctl
