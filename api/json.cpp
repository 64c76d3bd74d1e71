#include "api/json.hpp"

#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <limits>

namespace tern::api {
namespace {

namespace pb = google::protobuf;
using pb::FieldDescriptor;

std::string join(const std::string& path, std::string_view name) {
  return path.empty() ? std::string(name) : path + "." + std::string(name);
}

const char* json_type_name(const pb::Value& v) {
  switch (v.kind_case()) {
    case pb::Value::kNullValue:
      return "null";
    case pb::Value::kNumberValue:
      return "number";
    case pb::Value::kStringValue:
      return "string";
    case pb::Value::kBoolValue:
      return "boolean";
    case pb::Value::kStructValue:
      return "object";
    case pb::Value::kListValue:
      return "array";
    default:
      return "nothing";
  }
}

Error type_error(const std::string& path, const char* expected, const pb::Value& got) {
  return Error{400, path, std::string("expected ") + expected + ", got " + json_type_name(got)};
}

std::optional<Error> check_message(const pb::Struct& object, const pb::Descriptor* type,
                                   const std::string& path);

bool is_integer(double d, double lo, double hi) {
  return std::isfinite(d) && std::floor(d) == d && d >= lo && d <= hi;
}

std::optional<Error> check_integer(const pb::Value& v, const FieldDescriptor* field,
                                   const std::string& path) {
  double lo = 0;
  double hi = 0;
  bool wide = false;
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      lo = std::numeric_limits<int32_t>::min();
      hi = std::numeric_limits<int32_t>::max();
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      hi = std::numeric_limits<uint32_t>::max();
      break;
    case FieldDescriptor::CPPTYPE_INT64:
      lo = -9.2e18;
      hi = 9.2e18;
      wide = true;
      break;
    default:  // UINT64
      hi = 1.8e19;
      wide = true;
      break;
  }
  // proto3 JSON writes 64-bit integers as strings; protobuf's parser checks their digits.
  if (wide && v.kind_case() == pb::Value::kStringValue) return std::nullopt;
  if (v.kind_case() != pb::Value::kNumberValue) return type_error(path, "an integer", v);
  if (!is_integer(v.number_value(), lo, hi)) {
    return Error{400, path, "integer out of range or not whole"};
  }
  return std::nullopt;
}

// One value of a (non-repeated view of a) field.
std::optional<Error> check_single(const pb::Value& v, const FieldDescriptor* field,
                                  const std::string& path) {
  if (v.kind_case() == pb::Value::kNullValue) return std::nullopt;  // JSON null: the default
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      if (v.kind_case() != pb::Value::kStringValue) return type_error(path, "a string", v);
      return std::nullopt;
    case FieldDescriptor::CPPTYPE_BOOL:
      if (v.kind_case() != pb::Value::kBoolValue) return type_error(path, "a boolean", v);
      return std::nullopt;
    case FieldDescriptor::CPPTYPE_DOUBLE:
    case FieldDescriptor::CPPTYPE_FLOAT:
      if (v.kind_case() != pb::Value::kNumberValue) return type_error(path, "a number", v);
      return std::nullopt;
    case FieldDescriptor::CPPTYPE_ENUM:
      if (v.kind_case() != pb::Value::kStringValue && v.kind_case() != pb::Value::kNumberValue) {
        return type_error(path, "an enum name", v);
      }
      return std::nullopt;
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (v.kind_case() != pb::Value::kStructValue) return type_error(path, "an object", v);
      return check_message(v.struct_value(), field->message_type(), path);
    default:
      return check_integer(v, field, path);
  }
}

std::optional<Error> check_field(const pb::Value& v, const FieldDescriptor* field,
                                 const std::string& path) {
  if (field->is_map()) {
    if (v.kind_case() == pb::Value::kNullValue) return std::nullopt;
    if (v.kind_case() != pb::Value::kStructValue) return type_error(path, "an object", v);
    const FieldDescriptor* value_field = field->message_type()->map_value();
    for (const auto& [key, value] : v.struct_value().fields()) {
      if (auto err = check_single(value, value_field, join(path, key))) return err;
    }
    return std::nullopt;
  }
  if (field->is_repeated()) {
    if (v.kind_case() == pb::Value::kNullValue) return std::nullopt;
    if (v.kind_case() != pb::Value::kListValue) return type_error(path, "an array", v);
    const auto& items = v.list_value().values();
    for (int i = 0; i < items.size(); ++i) {
      if (items[i].kind_case() == pb::Value::kNullValue) {
        return Error{400, path + "[" + std::to_string(i) + "]", "null in an array"};
      }
      if (auto err = check_single(items[i], field, path + "[" + std::to_string(i) + "]")) {
        return err;
      }
    }
    return std::nullopt;
  }
  return check_single(v, field, path);
}

std::optional<Error> check_message(const pb::Struct& object, const pb::Descriptor* type,
                                   const std::string& path) {
  for (const auto& [key, value] : object.fields()) {
    const std::string field_path = join(path, key);
    // Only Calico's spelling (json_name): one name per field keeps bodies unambiguous.
    const FieldDescriptor* field = nullptr;
    for (int i = 0; i < type->field_count() && field == nullptr; ++i) {
      if (type->field(i)->json_name() == key) field = type->field(i);
    }
    if (field == nullptr) {
      return Error{400, field_path, "unknown field"};
    }
    if (auto err = check_field(value, field, field_path)) return err;
  }
  return std::nullopt;
}

// protobuf's messages name fields by proto name ("(spec.block_size): ..."); say json names.
std::string json_path_of(std::string_view proto_path, const pb::Descriptor* type) {
  std::string out;
  size_t pos = 0;
  while (pos <= proto_path.size() && type != nullptr) {
    size_t end = proto_path.find('.', pos);
    if (end == std::string_view::npos) end = proto_path.size();
    std::string_view segment = proto_path.substr(pos, end - pos);
    segment = segment.substr(0, segment.find('['));
    const FieldDescriptor* field = type->FindFieldByName(std::string(segment));
    if (field == nullptr) break;
    out = join(out, field->json_name());
    if (field->is_map()) break;
    type = field->message_type();
    pos = end + 1;
  }
  return out;
}

Error from_protobuf_status(const pb::util::Status& status, const pb::Descriptor* type) {
  std::string message(status.message());
  std::string field;
  // "(spec.block_size): invalid value ..." or "(spec) foo: Cannot find field."
  if (!message.empty() && message[0] == '(') {
    size_t close = message.find(')');
    if (close != std::string::npos) {
      field = json_path_of(std::string_view(message).substr(1, close - 1), type);
      message = message.substr(close + 1);
      while (!message.empty() && (message[0] == ':' || message[0] == ' '))
        message.erase(0, 1);
    }
  }
  return Error{400, field, message};
}

std::optional<Error> parse_value(std::string_view body, pb::Value& value) {
  auto status = pb::util::JsonStringToMessage(pb::StringPiece(body.data(), body.size()), &value);
  if (!status.ok()) {
    std::string message(status.message());
    message = message.substr(0, message.find('\n'));
    return Error{400, "", "malformed JSON: " + message};
  }
  if (value.kind_case() != pb::Value::kStructValue) {
    return Error{400, "",
                 std::string("the body must be a JSON object, got ") + json_type_name(value)};
  }
  return std::nullopt;
}

std::optional<Error> convert(const pb::Struct& object, pb::Message& out) {
  if (auto err = check_message(object, out.GetDescriptor(), "")) return err;
  std::string canonical;
  if (!pb::util::MessageToJsonString(object, &canonical).ok()) {
    return Error{400, "", "the body cannot be converted"};
  }
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = pb::util::JsonStringToMessage(canonical, &out, options);
  if (!status.ok()) return from_protobuf_status(status, out.GetDescriptor());
  return std::nullopt;
}

}  // namespace

std::optional<Error> parse_json(std::string_view body, pb::Message& out) {
  pb::Value value;
  if (auto err = parse_value(body, value)) return err;
  return convert(value.struct_value(), out);
}

std::optional<Error> parse_resource_json(std::string_view body, const KindInfo& kind, Object& out) {
  pb::Value value;
  if (auto err = parse_value(body, value)) return err;
  auto& fields = *value.mutable_struct_value()->mutable_fields();
  if (auto it = fields.find("kind"); it != fields.end()) {
    if (it->second.kind_case() != pb::Value::kStringValue) {
      return type_error("kind", "a string", it->second);
    }
    if (find_kind(it->second.string_value()) != &kind) {
      return Error{400, "kind",
                   "the body is a " + it->second.string_value() + ", the path says " +
                       std::string(kind.kind)};
    }
    fields.erase(it);
  }
  if (auto it = fields.find("apiVersion"); it != fields.end()) {
    if (it->second.kind_case() != pb::Value::kStringValue) {
      return type_error("apiVersion", "a string", it->second);
    }
    if (it->second.string_value() != kind.api_version) {
      return Error{400, "apiVersion",
                   "must be " + std::string(kind.api_version) + " for " + std::string(kind.kind)};
    }
    fields.erase(it);
  }
  out.Clear();
  return convert(value.struct_value(), *mutable_resource(out, kind));
}

std::string to_json(const pb::Message& message) {
  std::string out;
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = false;
  (void)pb::util::MessageToJsonString(message, &out, options);
  return out;
}

std::string resource_to_json(const Object& object) {
  const KindInfo* kind = kind_of(object);
  const pb::Message* res = resource(object);
  if (kind == nullptr || res == nullptr) return "{}";
  std::string body = to_json(*res);
  std::string head =
      "{\"apiVersion\":" + json_quote(kind->api_version) + ",\"kind\":" + json_quote(kind->kind);
  if (body.size() > 2) head += ",";
  return head + body.substr(1);
}

std::string error_json(const Error& error) {
  return "{\"error\":{\"status\":" + std::to_string(error.status) +
         ",\"field\":" + json_quote(error.field) + ",\"message\":" + json_quote(error.message) +
         "}}";
}

}  // namespace tern::api
