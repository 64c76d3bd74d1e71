// tern_store_writer PATH: opens the intent store at PATH and commits revision after revision
// until killed, writing "acked <revision>" to stdout after each commit returns. The crash test
// kills it with SIGKILL and holds the store to every revision it saw acknowledged.

#include <unistd.h>

#include <cstdio>
#include <string>
#include <variant>

#include "daemon/intent/store.hpp"
#include "tests/daemon/store_writer_content.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: tern_store_writer PATH\n");
    return 2;
  }
  auto opened = tern::intent::IntentStore::open(argv[1]);
  if (auto* error = std::get_if<tern::intent::StoreError>(&opened)) {
    std::fprintf(stderr, "tern_store_writer: %s\n", error->message.c_str());
    return 1;
  }
  auto store = std::get<tern::intent::IntentStore>(std::move(opened));
  for (;;) {
    const std::uint64_t next = store.revision() + 1;
    if (auto error = store.commit(tern::intent::testing::writer_intent(next))) {
      std::fprintf(stderr, "tern_store_writer: %s\n", error->message.c_str());
      return 1;
    }
    // One write(2) per line, unbuffered: a line shorter than PIPE_BUF reaches the pipe whole,
    // and only after the commit returned.
    const std::string line = "acked " + std::to_string(next) + "\n";
    if (::write(STDOUT_FILENO, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
      return 1;
    }
  }
}
