#include "daemon/intent/store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>
#include <optional>
#include <string>

#include "daemon/intent/crc32c.hpp"
#include "daemon/intent/store_format.hpp"
#include "tests/daemon/store_test_util.hpp"

namespace tern::intent {
namespace {

namespace fs = std::filesystem;
using testing::read_bytes;
using testing::TempDir;
using testing::write_bytes;

std::optional<IntentStore> open_ok(const fs::path& path) {
  auto result = IntentStore::open(path);
  if (auto* error = std::get_if<StoreError>(&result)) {
    ADD_FAILURE() << "open failed: " << error->message;
    return std::nullopt;
  }
  return std::get<IntentStore>(std::move(result));
}

std::optional<StoreError> open_error(const fs::path& path) {
  auto result = IntentStore::open(path);
  if (auto* error = std::get_if<StoreError>(&result)) return *error;
  return std::nullopt;
}

api::Intent sample_intent(const std::string& node) {
  api::Intent intent;
  intent.add_nodes()->mutable_metadata()->set_name(node);
  api::IPPool* pool = intent.add_ip_pools();
  pool->mutable_metadata()->set_name("default-ipv4-ippool");
  pool->mutable_spec()->set_cidr("192.168.0.0/16");
  pool->mutable_spec()->set_ipip_mode("Always");
  return intent;
}

TEST(Crc32c, MatchesTheCastagnoliCheckValue) {
  const char* text = "123456789";
  EXPECT_EQ(crc32c(std::as_bytes(std::span(text, std::strlen(text)))), 0xE3069283u);
  EXPECT_EQ(crc32c({}), 0u);
}

TEST(StoreFormat, HeaderIsMagicVersionChecksumLength) {
  auto encoded = encode_store(sample_intent("a"));
  const std::string& bytes = std::get<std::string>(encoded);
  ASSERT_GT(bytes.size(), kStoreHeaderSize);
  EXPECT_EQ(bytes.substr(0, 8), "TERNINT1");
  EXPECT_EQ(bytes.substr(8, 4), std::string("\x01\x00\x00\x00", 4));
  EXPECT_EQ(static_cast<unsigned char>(bytes[16]), bytes.size() - kStoreHeaderSize);
  auto decoded = decode_store(bytes);
  ASSERT_TRUE(std::holds_alternative<api::Intent>(decoded));
  EXPECT_EQ(std::get<api::Intent>(decoded).nodes(0).metadata().name(), "a");
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }
  fs::path store_path() const { return dir_.path() / "intent.pb"; }
  TempDir dir_;
};

TEST_F(StoreTest, MissingFileIsAFreshNodeAndOpenCreatesNoStore) {
  auto store = open_ok(store_path());
  ASSERT_TRUE(store);
  EXPECT_EQ(store->revision(), 0u);
  EXPECT_EQ(store->intent().ByteSizeLong(), 0u);
  EXPECT_FALSE(fs::exists(store_path()));
}

TEST_F(StoreTest, CommittedIntentSurvivesReopen) {
  {
    auto store = open_ok(store_path());
    ASSERT_TRUE(store);
    ASSERT_FALSE(store->commit(sample_intent("node-a")));
    EXPECT_EQ(store->intent().nodes(0).metadata().name(), "node-a");
  }
  auto reopened = open_ok(store_path());
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->revision(), 1u);
  ASSERT_EQ(reopened->intent().nodes_size(), 1);
  EXPECT_EQ(reopened->intent().nodes(0).metadata().name(), "node-a");
  EXPECT_EQ(reopened->intent().ip_pools(0).spec().cidr(), "192.168.0.0/16");
}

TEST_F(StoreTest, EveryCommitBumpsTheRevisionWhateverTheCallerSet) {
  auto store = open_ok(store_path());
  ASSERT_TRUE(store);
  for (std::uint64_t i = 1; i <= 5; ++i) {
    api::Intent next = sample_intent("n" + std::to_string(i));
    next.set_revision(1000);  // not the caller's to choose
    ASSERT_FALSE(store->commit(next));
    EXPECT_EQ(store->revision(), i);
  }
  store.reset();
  auto reopened = open_ok(store_path());
  ASSERT_TRUE(reopened);
  EXPECT_EQ(reopened->revision(), 5u);
  ASSERT_FALSE(reopened->commit(sample_intent("n6")));
  EXPECT_EQ(reopened->revision(), 6u);
}

TEST_F(StoreTest, CreatesAMissingParentDirectoryPrivateToTheOwner) {
  const fs::path path = dir_.path() / "var" / "lib" / "tern" / "intent.pb";
  auto store = open_ok(path);
  ASSERT_TRUE(store);
  ASSERT_FALSE(store->commit(sample_intent("a")));
  struct stat st {};
  ASSERT_EQ(::stat(path.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_TRUE(fs::is_regular_file(path));
}

TEST_F(StoreTest, LeftoverTempFileFromACrashIsIgnoredAndRemoved) {
  {
    auto store = open_ok(store_path());
    ASSERT_TRUE(store);
    ASSERT_FALSE(store->commit(sample_intent("durable")));
  }
  fs::path tmp = store_path();
  tmp += ".tmp";
  write_bytes(tmp, "TERNINT1 half a write");
  auto store = open_ok(store_path());
  ASSERT_TRUE(store);
  EXPECT_EQ(store->intent().nodes(0).metadata().name(), "durable");
  EXPECT_FALSE(fs::exists(tmp));
}

TEST_F(StoreTest, FailedRenameKeepsTheOldIntentAndSaysWhichStepFailed) {
  auto store = open_ok(store_path());
  ASSERT_TRUE(store);
  ASSERT_FALSE(store->commit(sample_intent("old")));
  // Tests run as root, so permissions cannot make rename fail; a non-empty directory can.
  fs::remove(store_path());
  fs::create_directory(store_path());
  write_bytes(store_path() / "occupant", "x");

  auto error = store->commit(sample_intent("new"));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind, StoreError::Kind::kIo);
  EXPECT_NE(error->message.find("rename"), std::string::npos) << error->message;
  EXPECT_NE(error->message.find(store_path().string()), std::string::npos) << error->message;
  EXPECT_EQ(store->revision(), 1u);
  EXPECT_EQ(store->intent().nodes(0).metadata().name(), "old");
  fs::path tmp = store_path();
  tmp += ".tmp";
  EXPECT_FALSE(fs::exists(tmp));

  fs::remove_all(store_path());
  ASSERT_FALSE(store->commit(sample_intent("new")));
  EXPECT_EQ(store->revision(), 2u);
}

TEST_F(StoreTest, FailedDirectoryCreationKeepsTheOldIntent) {
  const fs::path path = dir_.path() / "sub" / "intent.pb";
  auto store = open_ok(path);
  ASSERT_TRUE(store);
  ASSERT_FALSE(store->commit(sample_intent("old")));
  fs::remove_all(path.parent_path());
  write_bytes(path.parent_path(), "a file where the directory was");

  auto error = store->commit(sample_intent("new"));
  ASSERT_TRUE(error);
  EXPECT_NE(error->message.find("Not a directory"), std::string::npos) << error->message;
  EXPECT_EQ(store->intent().nodes(0).metadata().name(), "old");
  EXPECT_EQ(store->revision(), 1u);
}

TEST_F(StoreTest, SecondOpenIsRefusedWhileTheFirstHoldsTheLock) {
  auto first = open_ok(store_path());
  ASSERT_TRUE(first);
  auto error = open_error(store_path());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind, StoreError::Kind::kLocked);
  EXPECT_NE(error->message.find("in use"), std::string::npos) << error->message;
  EXPECT_NE(error->message.find("intent.pb.lock"), std::string::npos) << error->message;
  first.reset();
  EXPECT_TRUE(open_ok(store_path()));
}

TEST_F(StoreTest, UnreadableStoreIsRefusedAndLeftAlone) {
  fs::create_directory(store_path());
  auto error = open_error(store_path());
  ASSERT_TRUE(error);
  EXPECT_EQ(error->kind, StoreError::Kind::kIo);
  EXPECT_NE(error->message.find("refusing to start"), std::string::npos) << error->message;
  EXPECT_TRUE(fs::is_directory(store_path()));
}

// One way a store file can be damaged, and the words the refusal must contain.
struct Corruption {
  const char* name;
  std::string (*damage)(std::string valid);
  const char* expected;
};

void PrintTo(const Corruption& corruption, std::ostream* os) {
  *os << corruption.name;
}

std::string flip_byte_at(std::string bytes, size_t offset) {
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x20);
  return bytes;
}

const Corruption kCorruptions[] = {
    {"ZeroLength", [](std::string) { return std::string(); }, "empty"},
    {"TruncatedHeader", [](std::string v) { return v.substr(0, 13); }, "truncated header"},
    {"MagicOnly", [](std::string v) { return v.substr(0, 8); }, "truncated header"},
    {"TruncatedPayload", [](std::string v) { return v.substr(0, v.size() - 7); },
     "truncated payload"},
    {"HeaderWithoutPayload", [](std::string v) { return v.substr(0, kStoreHeaderSize); },
     "truncated payload"},
    {"FlippedPayloadByte", [](std::string v) { return flip_byte_at(v, v.size() - 3); },
     "checksum mismatch"},
    {"FlippedChecksumByte", [](std::string v) { return flip_byte_at(v, 13); }, "checksum mismatch"},
    {"BadMagic", [](std::string v) { return flip_byte_at(v, 0); }, "bad magic"},
    {"WrongVersion", [](std::string v) { return flip_byte_at(v, 8); },
     "unsupported format version 33"},
    {"TrailingBytes", [](std::string v) { return v + "extra"; }, "length mismatch"},
    {"Garbage",
     [](std::string) {
       return std::string(
           "\x7f"
           "ELF\x02\x01\x01 not a store at all");
     },
     "bad magic"},
    {"ChecksumGoodPayloadUnparsable",
     [](std::string) {
       // A valid header over bytes that are not protobuf (field 0 is never valid).
       const std::string payload("\x00\x00\x00", 3);
       const std::uint32_t crc = crc32c(std::as_bytes(std::span(payload.data(), payload.size())));
       std::string out = "TERNINT1";
       out += std::string("\x01\x00\x00\x00", 4);
       for (int i = 0; i < 4; ++i)
         out.push_back(static_cast<char>((crc >> (8 * i)) & 0xFF));
       out += std::string("\x03\x00\x00\x00\x00\x00\x00\x00", 8);
       return out + payload;
     },
     "does not parse"},
};

class StoreCorruptionTest : public StoreTest, public ::testing::WithParamInterface<Corruption> {};

TEST_P(StoreCorruptionTest, IsRefusedWithAClearMessageAndNeverOverwritten) {
  {
    auto store = open_ok(store_path());
    ASSERT_TRUE(store);
    ASSERT_FALSE(store->commit(sample_intent("precious")));
  }
  const std::string damaged = GetParam().damage(read_bytes(store_path()));
  write_bytes(store_path(), damaged);

  auto error = open_error(store_path());
  ASSERT_TRUE(error) << "a damaged store was accepted";
  EXPECT_EQ(error->kind, StoreError::Kind::kCorrupt);
  EXPECT_NE(error->message.find(GetParam().expected), std::string::npos) << error->message;
  EXPECT_NE(error->message.find(store_path().string()), std::string::npos) << error->message;
  EXPECT_NE(error->message.find("refusing to start"), std::string::npos) << error->message;
  // Asking again changes nothing either: the operator's evidence stays as it was.
  EXPECT_TRUE(open_error(store_path()));
  EXPECT_EQ(read_bytes(store_path()), damaged);
  fs::path tmp = store_path();
  tmp += ".tmp";
  EXPECT_FALSE(fs::exists(tmp));
}

INSTANTIATE_TEST_SUITE_P(Store, StoreCorruptionTest, ::testing::ValuesIn(kCorruptions),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace tern::intent
