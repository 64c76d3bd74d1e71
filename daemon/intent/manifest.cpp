#include "daemon/intent/manifest.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>
#include <regex>
#include <set>
#include <span>
#include <sstream>
#include <utility>
#include <vector>

#include "api/json_quote.hpp"
#include "api/kinds.hpp"
#include "bgp/wire/utf8.hpp"
#include "daemon/intent/yaml_stream.hpp"

namespace tern::intent {
namespace {

namespace pb = google::protobuf;

// Manifests name kinds exactly as Calico spells them (the API's table also takes plurals and
// any case).
const api::KindInfo* find_kind(std::string_view kind) {
  const api::KindInfo* info = api::find_kind(kind);
  return info && info->kind == kind ? info : nullptr;
}

std::string join(std::span<const std::string_view> words, std::string_view last_sep) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += i + 1 == words.size() ? last_sep : std::string_view(", ");
    out += words[i];
  }
  return out;
}

std::string kind_names() {
  std::vector<std::string_view> names;
  for (const auto& info : api::all_kinds())
    names.push_back(info.kind);
  names.push_back("List");
  return join(names, " or ");
}

// Object metadata Kubernetes and Calico keep that says nothing about intent.
const std::set<std::string, std::less<>> kIgnoredMetadata = {"namespace",
                                                             "uid",
                                                             "resourceVersion",
                                                             "creationTimestamp",
                                                             "generation",
                                                             "managedFields",
                                                             "ownerReferences",
                                                             "finalizers",
                                                             "selfLink",
                                                             "deletionTimestamp",
                                                             "deletionGracePeriodSeconds",
                                                             "generateName"};

std::string describe(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Scalar:
      return api::json_quote(node.Scalar());
    default:
      return "an undefined value";
  }
}

// A plain scalar is untyped text; quoting makes it a string.
bool is_plain(const YAML::Node& node) {
  return node.Tag() != "!";
}

std::optional<uint32_t> parse_u32(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  uint64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  if (v > std::numeric_limits<uint32_t>::max()) return std::nullopt;
  return static_cast<uint32_t>(v);
}

bool all_digits(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Calico's AS numbers (numorstring.ASNumber) are a number or a string, plain ("64512") or
// dotted ("1.10", RFC 5396 asdot).
std::optional<uint32_t> parse_as_number(std::string_view text) {
  const auto dot = text.find('.');
  if (dot == std::string_view::npos) return parse_u32(text);
  auto hi = parse_u32(text.substr(0, dot));
  auto lo = parse_u32(text.substr(dot + 1));
  if (!hi || !lo || *hi > 0xffff || *lo > 0xffff) return std::nullopt;
  return (*hi << 16) | *lo;
}

bool is_as_number(const pb::FieldDescriptor* f) {
  const auto& n = f->name();
  return n.size() >= 9 && n.compare(n.size() - 9, 9, "as_number") == 0;
}

// What a manifest may read per byte of its text (and a floor for short ones): see Reader::spend.
constexpr size_t kValuesPerByte = 4;
constexpr size_t kValuesExtra = 10000;

class Reader {
 public:
  // `budget`: how many more values the whole stream may read (shared by its documents).
  Reader(api::Intent& intent, size_t document, size_t& budget)
      : intent_(intent), document_(document), budget_(budget) {}

  const std::optional<ManifestError>& error() const { return error_; }

  // A top-level document: a resource, or a List of them.
  bool read_document(const YAML::Node& doc) {
    if (!doc.IsMap())
      return fail(
          doc, "",
          "expected a resource (a mapping with apiVersion, kind, metadata), got " + describe(doc));
    const YAML::Node kind = doc["kind"];
    if (kind && kind.IsScalar()) {
      const std::string k = kind.Scalar();
      const api::KindInfo* item_kind = nullptr;
      if (k.size() > 4 && k.compare(k.size() - 4, 4, "List") == 0)
        item_kind = find_kind(std::string_view(k).substr(0, k.size() - 4));
      if (k == "List" || item_kind) return read_list(doc, item_kind);
    }
    return read_resource(doc, "", nullptr, "");
  }

 private:
  bool read_list(const YAML::Node& doc, const api::KindInfo* item_kind) {
    resource_ = doc["kind"].Scalar();
    std::string version;
    YAML::Node items;
    for (const auto& kv : doc) {
      const std::string key = kv.first.Scalar();
      if (key == "apiVersion") {
        version = kv.second.IsScalar() ? kv.second.Scalar() : "";
      } else if (key == "items") {
        items = kv.second;
      } else if (key != "kind" && key != "metadata") {
        return fail(kv.first, key, "unknown field in a " + resource_ + " (expected items)");
      }
    }
    if (!items || items.IsNull()) return true;
    if (!items.IsSequence())
      return fail(items, "items", "expected a list of resources, got " + describe(items));
    for (size_t i = 0; i < items.size(); ++i) {
      const std::string prefix = "items[" + std::to_string(i) + "].";
      const YAML::Node item = items[i];
      if (!item.IsMap())
        return fail(item, prefix.substr(0, prefix.size() - 1),
                    "expected a resource (a mapping), got " + describe(item));
      if (!read_resource(item, prefix, item_kind, version)) return false;
    }
    return true;
  }

  // `prefix` is "items[i]." inside a List; a typed list (IPPoolList) lends its items a kind
  // and apiVersion they leave out.
  bool read_resource(const YAML::Node& doc, const std::string& prefix,
                     const api::KindInfo* default_kind, const std::string& default_version) {
    resource_.clear();
    std::string kind_text = default_kind ? std::string(default_kind->kind) : "";
    std::string version = default_kind ? default_version : "";
    const YAML::Node kind = doc["kind"];
    const YAML::Node api_version = doc["apiVersion"];
    if (kind) {
      if (!kind.IsScalar())
        return fail(kind, prefix + "kind", "expected a kind, got " + describe(kind));
      kind_text = kind.Scalar();
    }
    if (kind_text.empty()) return fail(doc, prefix + "kind", "required");
    const api::KindInfo* row = find_kind(kind_text);
    if (!row)
      return fail(
          kind ? kind : doc, prefix + "kind",
          "unknown kind " + api::json_quote(kind_text) + " (expected " + kind_names() + ")");
    resource_ = kind_text;
    const YAML::Node meta = doc["metadata"];
    if (meta && meta.IsMap() && meta["name"] && meta["name"].IsScalar())
      resource_ += " " + api::json_quote(meta["name"].Scalar());
    if (api_version) {
      if (!api_version.IsScalar())
        return fail(api_version, prefix + "apiVersion",
                    "expected an apiVersion, got " + describe(api_version));
      version = api_version.Scalar();
    }
    if (version.empty()) return fail(doc, prefix + "apiVersion", "required");
    if (std::find(row->api_versions.begin(), row->api_versions.end(), version) ==
        row->api_versions.end())
      return fail(api_version ? api_version : doc, prefix + "apiVersion",
                  api::json_quote(version) + " does not serve " + kind_text + " (expected " +
                      join(row->api_versions, " or ") + ")");

    row_ = row;
    if (row->kind == "BlockAffinity" && !check_affinity_deleted(doc, prefix)) return false;
    pb::Message* msg = intent_.GetReflection()->AddMessage(&intent_, api::intent_list_field(*row));
    std::set<std::string, std::less<>> top_ignored = {"apiVersion", "kind", "status"};
    if (row->kind == "Secret") top_ignored.insert({"type", "immutable"});
    if (!fill(*msg, doc, prefix, &top_ignored)) return false;

    if (api::resource_meta(*msg).name().empty())
      return fail(meta ? meta : doc, prefix + "metadata.name", "required");
    return true;
  }

  const pb::FieldDescriptor* find_field(const pb::Descriptor* d, std::string_view key) const {
    for (int i = 0; i < d->field_count(); ++i)
      if (d->field(i)->json_name() == key) return d->field(i);
    return nullptr;
  }

  // For an unknown key: the field the author probably meant (wrong case, singular for plural,
  // or protobuf's snake_case name).
  std::string suggestion(const pb::Descriptor* d, std::string_view key) const {
    auto lower = [](std::string_view s) {
      std::string out(s);
      for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return out;
    };
    for (int i = 0; i < d->field_count(); ++i) {
      const auto* f = d->field(i);
      const std::string want = lower(f->json_name()), got = lower(key);
      const std::string plural =
          !got.empty() && got.back() == 'y' ? got.substr(0, got.size() - 1) + "ies" : got + "s";
      if (want == got || f->name() == key || want == plural || got == want + "s")
        return " (did you mean " + api::json_quote(f->json_name()) + "?)";
    }
    return "";
  }

  // `path` is the field path of `node` plus a trailing "." (or "" at the top).
  bool fill(pb::Message& msg, const YAML::Node& node, const std::string& path,
            const std::set<std::string, std::less<>>* ignored) {
    const pb::Descriptor* d = msg.GetDescriptor();
    std::set<std::string, std::less<>> seen;
    for (const auto& kv : node) {
      if (!spend(kv.first, path)) return false;
      if (!kv.first.IsScalar())
        return fail(kv.first, path.empty() ? "" : path.substr(0, path.size() - 1),
                    "expected a field name, got " + describe(kv.first));
      const std::string key = kv.first.Scalar();
      const std::string field_path = path + key;
      if (!seen.insert(key).second) return fail(kv.first, field_path, "duplicate key");
      const pb::FieldDescriptor* f = find_field(d, key);
      if (!f) {
        if (ignored && ignored->count(key)) continue;
        return fail(kv.first, field_path, "unknown field" + suggestion(d, key));
      }
      line_hint_ = kv.first.Mark();
      if (!fill_field(msg, f, kv.second, field_path)) return false;
    }
    return true;
  }

  bool fill_field(pb::Message& msg, const pb::FieldDescriptor* f, const YAML::Node& value,
                  const std::string& path) {
    const pb::Reflection* r = msg.GetReflection();
    if (value.IsNull()) return true;  // as Kubernetes reads null: the field is absent
    if (f->is_map()) {
      if (!value.IsMap()) return fail(value, path, "expected a mapping, got " + describe(value));
      const auto* entry_d = f->message_type();
      std::set<std::string, std::less<>> seen;
      for (const auto& kv : value) {
        if (!spend(kv.first, path)) return false;
        if (!kv.first.IsScalar())
          return fail(kv.first, path, "expected a string key, got " + describe(kv.first));
        if (!check_utf8(kv.first, path, "the key")) return false;
        const std::string entry_path = path + "." + kv.first.Scalar();
        if (!seen.insert(kv.first.Scalar()).second)
          return fail(kv.first, entry_path, "duplicate key");
        if (!kv.second.IsNull() && !kv.second.IsScalar())
          return fail(kv.second, entry_path, "expected a string, got " + describe(kv.second));
        if (!kv.second.IsNull() && !check_utf8(kv.second, entry_path, "the value")) return false;
        pb::Message* entry = r->AddMessage(&msg, f);
        entry->GetReflection()->SetString(entry, entry_d->FindFieldByName("key"),
                                          kv.first.Scalar());
        entry->GetReflection()->SetString(entry, entry_d->FindFieldByName("value"),
                                          kv.second.IsNull() ? "" : kv.second.Scalar());
      }
      return true;
    }
    if (f->is_repeated()) {
      if (!value.IsSequence()) return fail(value, path, "expected a list, got " + describe(value));
      for (size_t i = 0; i < value.size(); ++i) {
        if (!spend(value, path)) return false;
        const std::string elem_path = path + "[" + std::to_string(i) + "]";
        if (!set_value(msg, f, value[i], elem_path)) return false;
      }
      return true;
    }
    return set_value(msg, f, value, path);
  }

  // One value of a singular field or one element of a repeated one.
  bool set_value(pb::Message& msg, const pb::FieldDescriptor* f, const YAML::Node& value,
                 const std::string& path) {
    const pb::Reflection* r = msg.GetReflection();
    const bool repeated = f->is_repeated();
    switch (f->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_MESSAGE: {
        if (!value.IsMap() && !value.IsNull())
          return fail(value, path, "expected a mapping, got " + describe(value));
        pb::Message* sub = repeated ? r->AddMessage(&msg, f) : r->MutableMessage(&msg, f);
        if (value.IsNull()) return true;
        return fill(*sub, value, path + ".", ignored_in(path));
      }
      case pb::FieldDescriptor::CPPTYPE_STRING: {
        if (!value.IsScalar() && !value.IsNull())
          return fail(value, path, "expected a string, got " + describe(value));
        const std::string s = value.IsNull() ? "" : value.Scalar();
        if (f->type() == pb::FieldDescriptor::TYPE_STRING && !check_utf8(value, path, "the value"))
          return false;
        repeated ? r->AddString(&msg, f, s) : r->SetString(&msg, f, s);
        return true;
      }
      case pb::FieldDescriptor::CPPTYPE_BOOL: {
        static const std::set<std::string, std::less<>> kTrue = {"true", "True", "TRUE"};
        static const std::set<std::string, std::less<>> kFalse = {"false", "False", "FALSE"};
        const bool plain = value.IsScalar() && is_plain(value);
        if (!plain || (!kTrue.count(value.Scalar()) && !kFalse.count(value.Scalar())))
          return fail(value, path, "expected true or false, got " + describe(value));
        const bool b = kTrue.count(value.Scalar()) > 0;
        repeated ? r->AddBool(&msg, f, b) : r->SetBool(&msg, f, b);
        return true;
      }
      case pb::FieldDescriptor::CPPTYPE_UINT32: {
        const bool as = is_as_number(f);
        if (!value.IsScalar() || (!as && !is_plain(value)))
          return fail(value, path, "expected an unsigned integer, got " + describe(value));
        const std::string& s = value.Scalar();
        auto v = as ? parse_as_number(s) : parse_u32(s);
        if (!v) {
          if (all_digits(s))
            return fail(value, path,
                        "out of range (at most 4294967295), got " + api::json_quote(s));
          return fail(value, path,
                      std::string(as ? "expected an AS number" : "expected an unsigned integer") +
                          ", got " + api::json_quote(s));
        }
        repeated ? r->AddUInt32(&msg, f, *v) : r->SetUInt32(&msg, f, *v);
        return true;
      }
      default:
        return fail(value, path, "field type not readable from a manifest");
    }
  }

  // An alias (*name) re-reads its anchor's nodes, so a few bytes can stand for millions of
  // values ("billion laughs"); every value read is counted against a budget set by the size.
  bool spend(const YAML::Node& at, const std::string& path) {
    if (budget_ > 0) {
      --budget_;
      return true;
    }
    return fail(at, path.empty() || path.back() != '.' ? path : path.substr(0, path.size() - 1),
                "the manifest expands to too many values: aliases (*name) repeat its anchors "
                "too often");
  }

  // yaml-cpp passes bytes through as they are; the intent (proto3 strings) takes only UTF-8.
  bool check_utf8(const YAML::Node& scalar, const std::string& path, std::string_view what) {
    const auto at = bgp::invalid_utf8_at(scalar.Scalar());
    if (!at) return true;
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02x",
                  static_cast<unsigned>(static_cast<unsigned char>(scalar.Scalar()[*at])));
    return fail(scalar, path,
                std::string(what) + " is not valid UTF-8 (byte " + byte + " at offset " +
                    std::to_string(*at) + ")");
  }

  // Keys read elsewhere or deliberately not modelled, inside the resource's own mappings.
  const std::set<std::string, std::less<>>* ignored_in(const std::string& path) const {
    static const std::set<std::string, std::less<>> kAffinitySpec = {"deleted"};
    const auto dot = path.rfind('.');
    const std::string_view last =
        dot == std::string::npos ? std::string_view(path) : std::string_view(path).substr(dot + 1);
    // Only the resource's own metadata/spec: a List's items carry "items[i]." before them.
    const bool top = dot == std::string::npos || path.compare(0, 6, "items[") == 0;
    if (!top) return nullptr;
    if (last == "metadata") return &kIgnoredMetadata;
    if (last == "spec" && row_ && row_->kind == "BlockAffinity") return &kAffinitySpec;
    return nullptr;
  }

  // Calico marks an affinity being released with spec.deleted ("true"/"false" as a string); a
  // deleted affinity is not intent, so only "false" is taken.
  bool check_affinity_deleted(const YAML::Node& doc, const std::string& prefix) {
    const YAML::Node spec = doc["spec"];
    if (!spec || !spec.IsMap()) return true;
    const YAML::Node deleted = spec["deleted"];
    if (!deleted || deleted.IsNull()) return true;
    if (deleted.IsScalar() && (deleted.Scalar() == "false" || deleted.Scalar() == "False"))
      return true;
    return fail(deleted, prefix + "spec.deleted",
                "only \"false\" is accepted (a deleted affinity is not intent: leave it out)");
  }

  bool fail(const YAML::Node& at, std::string field, std::string reason) {
    ManifestError e;
    e.document = document_;
    e.resource = resource_;
    e.field = std::move(field);
    e.reason = std::move(reason);
    YAML::Mark mark = at.Mark();
    if (mark.is_null()) mark = line_hint_;
    if (!mark.is_null()) {
      e.line = static_cast<size_t>(mark.line) + 1;
      e.column = static_cast<size_t>(mark.column) + 1;
    }
    error_ = std::move(e);
    return false;
  }

  api::Intent& intent_;
  size_t document_;
  size_t& budget_;
  std::string resource_;
  const api::KindInfo* row_ = nullptr;
  YAML::Mark line_hint_ = YAML::Mark::null_mark();
  std::optional<ManifestError> error_;
};

bool starts_marker(std::string_view line, std::string_view marker) {
  return line.substr(0, 3) == marker &&
         (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
}

// Which document (1-based) a 0-based line falls in, counted the way a YAML stream splits: a
// "---" starts a document, and so does content after "..." or at the very beginning.
size_t document_at_line(std::string_view text, size_t line) {
  size_t count = 0;
  bool open = false;
  for (size_t n = 0; n <= line && !text.empty(); ++n) {
    const auto eol = text.find('\n');
    std::string_view l = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    if (starts_marker(l, "---")) {
      ++count;
      open = true;
    } else if (starts_marker(l, "...")) {
      open = false;
    } else if (!open) {
      const auto first = l.find_first_not_of(" \t\r");
      if (first != std::string_view::npos && l[first] != '#' && l[first] != '%') {
        ++count;
        open = true;
      }
    }
  }
  return std::max<size_t>(count, 1);
}

}  // namespace

std::string ManifestError::to_string() const {
  std::string out = file.empty() ? "" : file + ": ";
  if (document > 0) {
    out += "manifest document " + std::to_string(document);
    if (!resource.empty()) out += " (" + resource + ")";
    if (line > 0) out += ", line " + std::to_string(line);
    out += ": ";
  }
  if (!field.empty()) out += field + ": ";
  return out + reason;
}

std::variant<api::Intent, ManifestError> read_manifests(std::string_view yaml) {
  std::vector<YAML::Node> docs;
  try {
    docs = load_all_documents(std::string(yaml));
  } catch (const YAML::Exception& e) {
    ManifestError err;
    const size_t line = e.mark.is_null() ? 0 : static_cast<size_t>(e.mark.line);
    err.document = document_at_line(yaml, line);
    if (!e.mark.is_null()) {
      err.line = line + 1;
      err.column = static_cast<size_t>(e.mark.column) + 1;
    }
    err.reason = "YAML syntax: " + e.msg;
    return err;
  }
  api::Intent intent;
  // Without aliases a value takes at least a byte or two of text; this leaves room for anchors
  // used as people use them (a shared label set, a common spec).
  size_t budget = kValuesPerByte * yaml.size() + kValuesExtra;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (docs[i].IsNull()) continue;
    Reader reader(intent, i + 1, budget);
    try {
      if (!reader.read_document(docs[i])) return *reader.error();
    } catch (const YAML::Exception& e) {
      // Not expected (nodes are checked before use); keep the boundary exception-free anyway.
      ManifestError err;
      err.document = i + 1;
      err.reason = e.what();
      return err;
    }
  }
  return intent;
}

std::variant<api::Intent, ManifestError> read_manifest_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ManifestError err;
    err.file = path;
    err.reason = std::string("cannot open: ") + std::strerror(errno);
    return err;
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    ManifestError err;
    err.file = path;
    err.reason = std::string("cannot read: ") + std::strerror(errno);
    return err;
  }
  auto result = read_manifests(text.str());
  if (auto* err = std::get_if<ManifestError>(&result)) err->file = path;
  return result;
}

// --- writing ---

namespace {

// Strings a YAML reader (ours, Go's YAML 1.1) could take for another type are quoted, and so
// are strings a plain scalar would not carry whole: control characters (a plain "a\r" reads
// back as "a", the \r taken for part of a line break) and leading or trailing blanks.
bool needs_quotes(const std::string& s) {
  if (s.empty()) return true;
  if (std::any_of(s.begin(), s.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
      }))
    return true;
  if (s.front() == ' ' || s.back() == ' ') return true;
  static const std::set<std::string, std::less<>> kWords = {"true", "false", "yes", "no",   "on",
                                                            "off",  "y",     "n",   "null", "~"};
  std::string lower = s;
  for (auto& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (kWords.count(lower)) return true;
  if (s.find(':') != std::string::npos || s.find('#') != std::string::npos) return true;
  // Numbers (YAML 1.1 and 1.2 int and float forms); dotted IPs and versions stay plain.
  static const std::regex kNumber(
      R"(^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?|0x[0-9a-fA-F_]+|0o?[0-7_]+)([eE][-+]?[0-9]+)?$)");
  static const std::regex kSpecialFloat(R"(^[-+]?\.(inf|Inf|INF|nan|NaN|NAN)$)");
  return std::regex_match(s, kNumber) || std::regex_match(s, kSpecialFloat);
}

void emit_string(YAML::Emitter& out, const std::string& s) {
  if (needs_quotes(s)) out << YAML::DoubleQuoted;
  out << s;
}

void emit_message(YAML::Emitter& out, const pb::Message& msg);

void emit_value(YAML::Emitter& out, const pb::Message& msg, const pb::FieldDescriptor* f,
                int index) {
  const pb::Reflection* r = msg.GetReflection();
  const bool rep = index >= 0;
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      emit_message(out, rep ? r->GetRepeatedMessage(msg, f, index) : r->GetMessage(msg, f));
      break;
    case pb::FieldDescriptor::CPPTYPE_STRING:
      emit_string(out, rep ? r->GetRepeatedString(msg, f, index) : r->GetString(msg, f));
      break;
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      out << ((rep ? r->GetRepeatedBool(msg, f, index) : r->GetBool(msg, f)) ? "true" : "false");
      break;
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      out << (rep ? r->GetRepeatedUInt32(msg, f, index) : r->GetUInt32(msg, f));
      break;
    default:
      out << YAML::Null;
      break;
  }
}

bool is_set(const pb::Message& msg, const pb::FieldDescriptor* f) {
  const pb::Reflection* r = msg.GetReflection();
  if (f->is_repeated()) return r->FieldSize(msg, f) > 0;
  return r->HasField(msg, f);  // proto3 implicit fields: "has" means not the default
}

// The set fields of `msg` as keys of the mapping being emitted.
void emit_fields(YAML::Emitter& out, const pb::Message& msg) {
  const pb::Descriptor* d = msg.GetDescriptor();
  const pb::Reflection* r = msg.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (!is_set(msg, f)) continue;
    out << YAML::Key << f->json_name() << YAML::Value;
    if (f->is_map()) {
      std::vector<std::pair<std::string, std::string>> entries;
      for (int j = 0; j < r->FieldSize(msg, f); ++j) {
        const pb::Message& e = r->GetRepeatedMessage(msg, f, j);
        const pb::Reflection* er = e.GetReflection();
        entries.emplace_back(er->GetString(e, f->message_type()->FindFieldByName("key")),
                             er->GetString(e, f->message_type()->FindFieldByName("value")));
      }
      std::sort(entries.begin(), entries.end());
      out << YAML::BeginMap;
      for (const auto& [k, v] : entries) {
        out << YAML::Key;
        emit_string(out, k);
        out << YAML::Value;
        emit_string(out, v);
      }
      out << YAML::EndMap;
    } else if (f->is_repeated()) {
      out << YAML::BeginSeq;
      for (int j = 0; j < r->FieldSize(msg, f); ++j)
        emit_value(out, msg, f, j);
      out << YAML::EndSeq;
    } else {
      emit_value(out, msg, f, -1);
    }
  }
}

void emit_message(YAML::Emitter& out, const pb::Message& msg) {
  out << YAML::BeginMap;
  emit_fields(out, msg);
  out << YAML::EndMap;
}

}  // namespace

std::string write_manifests(const api::Intent& intent) {
  std::string text;
  const pb::Reflection* r = intent.GetReflection();
  for (const auto& row : api::all_kinds()) {
    const auto* f = api::intent_list_field(row);
    for (int i = 0; i < r->FieldSize(intent, f); ++i) {
      const pb::Message& msg = r->GetRepeatedMessage(intent, f, i);
      YAML::Emitter out;
      out << YAML::BeginMap;
      out << YAML::Key << "apiVersion" << YAML::Value << std::string(row.api_version);
      out << YAML::Key << "kind" << YAML::Value << std::string(row.kind);
      // The resource's own fields continue the same mapping.
      emit_fields(out, msg);
      out << YAML::EndMap;
      text += "---\n";
      text += out.c_str();
      text += "\n";
    }
  }
  return text;
}

}  // namespace tern::intent
