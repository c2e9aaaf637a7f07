// Releases: semver, minisign signatures, the ustar writer, zstd patches, the manifest/index reader, the
// staging folder's lock and cleanup. The end-to-end tests (tests/e2e/release_*.sh) check the same against
// the real minisign, zstd and tar binaries.
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "base/minisign.h"
#include "base/semver.h"
#include "base/tar_writer.h"
#include "base/zstd_codec.h"
#include "base/zstd_patch.h"
#include "core/manifest.h"
#include "core/release_tree.h"
#include "test_util.h"

namespace fleetpack {
namespace {

using testing::TempDir;

TEST(Semver, AcceptsReleasesPreReleasesAndBuildMetadata) {
  for (const char* v : {"1.0.0", "0.0.0", "1.4.0-rc.1+build.7", "10.20.30+3.gabc1234.dirty"})
    EXPECT_TRUE(is_semver(v)) << v;
  for (const char* v : {"1.0", "01.0.0", "1.0.0-", "v1.0.0", "1.0.0+", "", "1.0.0 "})
    EXPECT_FALSE(is_semver(v)) << v;
}

TEST(Semver, MapsGitDescribe) {
  EXPECT_EQ(semver_from_git_describe("v1.2.3\n"), "1.2.3");
  EXPECT_EQ(semver_from_git_describe("v1.2.3-4-gabc1234"), "1.2.3+4.gabc1234");
  EXPECT_EQ(semver_from_git_describe("1.2.3-rc.1-4-gabc1234-dirty"), "1.2.3-rc.1+4.gabc1234.dirty");
  EXPECT_EQ(semver_from_git_describe("v1.2.3-dirty"), "1.2.3+dirty");
  EXPECT_EQ(semver_from_git_describe("release-7"), std::nullopt);
  EXPECT_EQ(semver_from_git_describe("abc1234"), std::nullopt);
}

TEST(Minisign, SignsAndVerifiesAndRejectsTampering) {
  MinisignKeyFiles files = minisign_generate();
  Diagnostics diags;
  MinisignSecretKey sk;
  ASSERT_TRUE(minisign_parse_secret_key("k.key", files.secret_text, sk, diags));
  auto pk = minisign_parse_public_key("k.pub", files.public_text, diags);
  ASSERT_TRUE(pk);
  EXPECT_EQ(minisign_key_id_hex(pk->key_id), files.key_id_hex);
  const std::string data = "{\"app\": \"demo\"}\n";
  std::string sig = minisign_sign(sk, data.data(), data.size(), "u", "t");
  EXPECT_EQ(sig, minisign_sign(sk, data.data(), data.size(), "u", "t")) << "signatures must be deterministic";
  EXPECT_EQ(minisign_verify(*pk, data.data(), data.size(), sig), std::nullopt);
  std::string other = data + " ";
  EXPECT_NE(minisign_verify(*pk, other.data(), other.size(), sig), std::nullopt);
  // Every byte of the signature file matters except the untrusted comment (checked by verify itself).
  size_t second_line = sig.find('\n') + 1;
  for (size_t i = second_line; i < sig.size(); ++i) {
    std::string bad = sig;
    bad[i] ^= 0x01;
    EXPECT_NE(minisign_verify(*pk, data.data(), data.size(), bad), std::nullopt) << "byte " << i;
  }
  // Nor does a base64 character replaced by a byte outside ASCII, which libsodium's decoder may read as a
  // valid 6-bit value ('/' as 0xd0 decoded to the same signature); every position, every such byte.
  const size_t third_line = sig.find('\n', second_line) + 1, fourth_line = sig.find('\n', third_line) + 1;
  for (size_t line : {second_line, fourth_line})
    for (size_t i = line; sig[i] != '\n'; ++i)
      for (int b = 0x80; b <= 0xff; ++b) {
        std::string bad = sig;
        bad[i] = static_cast<char>(b);
        ASSERT_NE(minisign_verify(*pk, data.data(), data.size(), bad), std::nullopt)
            << "byte " << i << " set to " << b;
      }
  // Another key's public half: named by key id.
  MinisignKeyFiles other_files = minisign_generate();
  auto other_pk = minisign_parse_public_key("o.pub", other_files.public_text, diags);
  auto why = minisign_verify(*other_pk, data.data(), data.size(), sig);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find(files.key_id_hex), std::string::npos) << *why;
}

TEST(Minisign, RefusesDamagedAndEncryptedKeys) {
  MinisignKeyFiles files = minisign_generate();
  std::string text = files.secret_text;
  size_t line = text.find('\n') + 1;
  text[line + 120] = text[line + 120] == 'A' ? 'B' : 'A';  // inside the secret key
  Diagnostics diags;
  MinisignSecretKey sk;
  EXPECT_FALSE(minisign_parse_secret_key("k.key", text, sk, diags));
  ASSERT_TRUE(diags.has_errors());
  EXPECT_EQ(diags.exit_code(), 3);
  EXPECT_EQ(diags.all().back().where.file, "k.key");
  // A key minisign encrypted (kdf "Sc") is refused with a hint, not misread.
  Diagnostics d2;
  // "RWRTY0Iy" decodes to "Ed" "Sc" "B2": the start of every password-protected minisign key.
  EXPECT_FALSE(minisign_parse_secret_key(
      "enc.key", "untrusted comment: x\nRWRTY0Iy" + std::string(203, 'A') + "=\n", sk, d2));
  ASSERT_TRUE(d2.has_errors());
  EXPECT_NE(d2.all().back().message.find("password-protected"), std::string::npos) << d2.all().back().message;
  Diagnostics d3;
  EXPECT_FALSE(minisign_parse_public_key("x.pub", "not a key\n", d3));
  EXPECT_EQ(d3.exit_code(), 3);
}

TEST(TarWriter, WritesDeterministicUstarHeaders) {
  std::string error;
  std::vector<TarEntry> entries = {{"1.0.0", true, 0755, {}},
                                   {"1.0.0/index.json", false, 0644, {'{', '}', '\n'}}};
  auto tar = tar_build(entries, 1700000000, error);
  ASSERT_TRUE(tar) << error;
  EXPECT_EQ(tar->size() % 10240, 0u);
  const uint8_t* h = tar->data() + 512;
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(h)), "1.0.0/index.json");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(h + 100)), "0000644");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(h + 108)), "0000000");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(h + 124)), "00000000003");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(h + 136)), "14524770400");
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(h + 257)), "ustar");
  EXPECT_EQ(*tar, *tar_build(entries, 1700000000, error));
  // Long paths use the prefix field; too long ones are refused by name.
  std::string long_dir(120, 'd');
  EXPECT_TRUE(tar_build({{long_dir + "/" + std::string(90, 'f'), false, 0644, {}}}, 0, error));
  EXPECT_FALSE(tar_build({{std::string(300, 'x'), false, 0644, {}}}, 0, error));
  EXPECT_NE(error.find("too long"), std::string::npos);
}

TEST(ZstdPatch, RebuildsTheNewFileAndIsSmall) {
  std::vector<uint8_t> old_bytes, new_bytes;
  uint32_t x = 12345;
  for (int i = 0; i < 200000; ++i)
    old_bytes.push_back(static_cast<uint8_t>((x = x * 1103515245 + 12345) >> 24));
  new_bytes = old_bytes;
  new_bytes[100000] ^= 0xff;
  new_bytes.insert(new_bytes.begin() + 5000, {1, 2, 3});
  auto patch = zstd_make_patch(old_bytes, new_bytes, 19);
  EXPECT_LT(patch.size(), 200u);  // random data: the full file does not compress at all
  EXPECT_EQ(zstd_frame_content_size(patch.data(), patch.size()), new_bytes.size());
  std::string error;
  auto back = zstd_decompress_bounded(patch.data(), patch.size(), new_bytes.size(), error, &old_bytes);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(*back, new_bytes);
  // Without the reference, or with another one, it does not give the new file.
  auto wrong = zstd_decompress_bounded(patch.data(), patch.size(), new_bytes.size(), error, &new_bytes);
  EXPECT_TRUE(!wrong || *wrong != new_bytes);
  EXPECT_FALSE(zstd_decompress_bounded(patch.data(), patch.size(), new_bytes.size(), error));
}

TEST(ZstdPatch, BoundedDecompressionRefusesBombsAndTruncation) {
  std::vector<uint8_t> zeros(1 << 20, 0);
  auto z = zstd_compress(zeros.data(), zeros.size(), 3);
  std::string error;
  EXPECT_FALSE(zstd_decompress_bounded(z.data(), z.size(), 1000, error));
  EXPECT_TRUE(zstd_decompress_bounded(z.data(), z.size(), zeros.size(), error));
  EXPECT_FALSE(zstd_decompress_bounded(z.data(), z.size() - 3, zeros.size(), error));
  EXPECT_FALSE(zstd_decompress_bounded(z.data(), 0, zeros.size(), error));
}

Manifest sample_manifest() {
  Manifest m;
  m.app = "demo";
  m.version = "1.0.0";
  m.profile = "modern";
  m.variant = std::string(64, 'a');
  m.target = "wasm";
  m.entry = "engine.wasm";
  m.rollout_percent = 10;
  m.files.push_back({"engine.wasm", std::string(64, 'b'), 100, 50, "zstd"});
  return m;
}

TEST(Manifest, RoundTripsInCanonicalForm) {
  std::string text = render_manifest(sample_manifest());
  EXPECT_EQ(text.back(), '\n');
  std::vector<std::string> problems;
  auto m = parse_manifest(text, problems);
  ASSERT_TRUE(m) << (problems.empty() ? "" : problems.front());
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(render_manifest(*m), text);
  EXPECT_EQ(m->rollout_percent, 10);
}

TEST(Manifest, ReaderNamesEveryProblem) {
  std::string text = render_manifest(sample_manifest());
  auto problems_of = [](const std::string& t) {
    std::vector<std::string> p;
    parse_manifest(t, p);
    std::string all;
    for (const auto& s : p) all += s + "\n";
    return all;
  };
  std::string t = text;
  t.replace(t.find("\"zstd\""), 6, "\"gzip\"");
  EXPECT_NE(problems_of(t).find("/files/0/encoding"), std::string::npos);
  t = text;
  t.replace(t.find("fleetpack.manifest/1"), 20, "fleetpack.manifest/2");
  EXPECT_NE(problems_of(t).find("/schema"), std::string::npos);
  t = text;
  t.replace(t.find("  \"app\""), 2, " ");  // whitespace only: still not what fleetpack wrote
  EXPECT_NE(problems_of(t).find("canonical"), std::string::npos);
  EXPECT_NE(problems_of("{\"schema\": ").find("invalid JSON"), std::string::npos);
  EXPECT_NE(problems_of("[]").find("expected an object"), std::string::npos);
}

TEST(Manifest, PathsStayInsideTheRelease) {
  for (const char* p : {"engine.wasm", "app/main.js", "a/b/c.js"}) EXPECT_TRUE(is_safe_relative_path(p)) << p;
  for (const char* p : {"", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a\\b", "a/"})
    EXPECT_FALSE(is_safe_relative_path(p)) << p;
}

TEST(ReleaseTree, PublishesWithFixedModesAndCleansAbandonedStaging) {
  TempDir tmp;
  fs::path rel = tmp.path() / "app" / "1.0.0";
  // What a killed build leaves: a staging folder nobody holds a lock on. A live one is kept.
  fs::create_directories(tmp.path() / "app" / ".1.0.0.tmp-999999-0" / "files");
  fs::create_directories(tmp.path() / "app" / ".1.0.0.tmp-1-1");
  int live = ::open((tmp.path() / "app" / ".1.0.0.tmp-1-1").c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_EQ(::flock(live, LOCK_EX), 0);
  mode_t old_umask = ::umask(077);
  Diagnostics diags;
  ReleaseTree tree{{"index.json", {'{', '}'}}, {"files/abc", {1, 2, 3}}};
  bool ok = publish_release_tree(tree, rel, diags);
  ::umask(old_umask);
  ASSERT_TRUE(ok);
  struct stat st {};
  ASSERT_EQ(::stat((rel / "files" / "abc").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  ASSERT_EQ(::stat((rel / "files").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  ASSERT_EQ(::stat(rel.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  EXPECT_FALSE(fs::exists(tmp.path() / "app" / ".1.0.0.tmp-999999-0"));
  EXPECT_TRUE(fs::exists(tmp.path() / "app" / ".1.0.0.tmp-1-1"));
  ::close(live);
  // Publishing again replaces the whole tree.
  ReleaseTree tree2{{"index.json", {'[', ']'}}};
  ASSERT_TRUE(publish_release_tree(tree2, rel, diags));
  EXPECT_FALSE(fs::exists(rel / "files"));
  EXPECT_FALSE(fs::exists(tmp.path() / "app" / ".1.0.0.tmp-1-1")) << "no longer locked: cleaned";
}

}  // namespace
}  // namespace fleetpack
