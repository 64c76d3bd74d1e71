#include "daemon/intent/yaml_stream.hpp"

#include <yaml-cpp/eventhandler.h>

#include <sstream>

namespace tern::intent {
namespace {

class DocumentCounter : public YAML::EventHandler {
 public:
  size_t documents = 0;
  YAML::Mark last = YAML::Mark::null_mark();

  void OnDocumentStart(const YAML::Mark& mark) override {
    ++documents;
    last = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { last = mark; }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

std::vector<YAML::Node> load_all_documents(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentCounter counter;
  // Every real document takes at least a few bytes ("---\n"); more documents than bytes is the
  // parser making no progress.
  const size_t most = text.size() + 2;
  while (parser.HandleNextDocument(counter)) {
    if (counter.documents > most) {
      throw YAML::ParserException(counter.last,
                                  "unexpected ',', ']' or '}' outside a flow collection");
    }
  }
  return YAML::LoadAll(text);
}

}  // namespace tern::intent
