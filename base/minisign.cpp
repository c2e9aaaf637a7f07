#include "base/minisign.h"

#include <cstring>
#include <vector>

#include <fmt/format.h>
#include <sodium.h>

namespace fleetpack {

namespace {

const char kComment[] = "untrusted comment: ";
const char kTrusted[] = "trusted comment: ";

std::string to_base64(const uint8_t* data, size_t size) {
  std::string out(sodium_base64_encoded_len(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), data, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

/// Decodes exactly `size` bytes, and only from their one canonical encoding, so that every change to the
/// text shows. libsodium's decoder alone is not enough: it maps some bytes outside the alphabet (0x80 and
/// up: its constant-time lookup sees them as negative) to 6-bit values, so a '/' changed to 0xd0 decoded
/// to the same signature (e2e.release_verify_tamper caught it, about one run in 30 with random keys).
bool from_base64(const std::string& text, uint8_t* out, size_t size) {
  size_t len = 0;
  if (sodium_base642bin(out, size, text.data(), text.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0)
    return false;
  return len == size && to_base64(out, size) == text;
}

/// Splits text into lines; `complete` is false when the last line lacks its newline.
std::vector<std::string> split_lines(const std::string& text, bool& complete) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(text.substr(start));
      complete = false;
      return lines;
    }
    std::string line = text.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
    start = nl + 1;
  }
  complete = true;
  return lines;
}

/// The base64 line of a key file: the line after the comment, or the only line.
std::string key_line(const std::string& text) {
  bool complete = true;
  auto lines = split_lines(text, complete);
  for (const auto& l : lines)
    if (!l.empty() && l.rfind(kComment, 0) != 0) return l;
  return {};
}

void secret_checksum(const uint8_t sig_alg[2], const MinisignSecretKey& k, uint8_t out[32]) {
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, 32);
  crypto_generichash_update(&st, sig_alg, 2);
  crypto_generichash_update(&st, k.key_id.data(), k.key_id.size());
  crypto_generichash_update(&st, k.key.data(), k.key.size());
  crypto_generichash_final(&st, out, 32);
}

// Secret key file layout (minisign.c SeckeyStruct): sig_alg "Ed", kdf_alg, chk_alg "B2", kdf salt (32),
// opslimit (8), memlimit (8), then key id (8), secret key (64), checksum (32).
constexpr size_t kSecretBytes = 2 + 2 + 2 + 32 + 8 + 8 + 8 + 64 + 32;
constexpr size_t kPublicBytes = 2 + 8 + 32;
constexpr size_t kSignatureBytes = 2 + 8 + 64;

}  // namespace

MinisignSecretKey::~MinisignSecretKey() { sodium_memzero(key.data(), key.size()); }

std::string minisign_key_id_hex(const std::array<uint8_t, 8>& id) {
  std::string out;
  for (size_t i = id.size(); i-- > 0;) out += fmt::format("{:02X}", id[i]);  // minisign prints it as LE u64
  return out;
}

MinisignKeyFiles minisign_generate() {
  if (sodium_init() < 0) return {};
  MinisignSecretKey sk;
  uint8_t pk[32];
  crypto_sign_keypair(pk, sk.key.data());
  randombytes_buf(sk.key_id.data(), sk.key_id.size());

  uint8_t raw[kSecretBytes] = {};
  const uint8_t sig_alg[2] = {'E', 'd'};
  size_t o = 0;
  std::memcpy(raw + o, sig_alg, 2), o += 2;
  o += 2;                          // kdf_alg 0x0000: not encrypted
  raw[o++] = 'B', raw[o++] = '2';  // checksum algorithm
  o += 32 + 8 + 8;                 // salt, opslimit, memlimit: unused without encryption
  std::memcpy(raw + o, sk.key_id.data(), 8), o += 8;
  std::memcpy(raw + o, sk.key.data(), 64), o += 64;
  secret_checksum(sig_alg, sk, raw + o);

  uint8_t pub[kPublicBytes];
  std::memcpy(pub, sig_alg, 2);
  std::memcpy(pub + 2, sk.key_id.data(), 8);
  std::memcpy(pub + 10, pk, 32);

  MinisignKeyFiles files;
  files.key_id_hex = minisign_key_id_hex(sk.key_id);
  std::string b64 = to_base64(raw, sizeof raw);
  files.secret_text = std::string(kComment) + "minisign secret key (unencrypted)\n" + b64 + "\n";
  sodium_memzero(raw, sizeof raw);
  sodium_memzero(b64.data(), b64.size());
  files.public_text = std::string(kComment) + "minisign public key " + files.key_id_hex + "\n" +
                      to_base64(pub, sizeof pub) + "\n";
  return files;
}

std::optional<MinisignPublicKey> minisign_parse_public_key(const std::string& file, const std::string& text,
                                                           Diagnostics& diags) {
  uint8_t raw[kPublicBytes];
  if (!from_base64(key_line(text), raw, sizeof raw) || raw[0] != 'E' || raw[1] != 'd') {
    diags.error(ErrorKind::InvalidInput, Location::file_only(file), "not a minisign public key",
                "give the PREFIX.pub that `fleetpack keygen` (or `minisign -G`) wrote");
    return std::nullopt;
  }
  MinisignPublicKey k;
  std::memcpy(k.key_id.data(), raw + 2, 8);
  std::memcpy(k.key.data(), raw + 10, 32);
  return k;
}

bool minisign_parse_secret_key(const std::string& file, const std::string& text, MinisignSecretKey& out,
                               Diagnostics& diags) {
  if (sodium_init() < 0) return false;
  uint8_t raw[kSecretBytes];
  std::string line = key_line(text);
  bool ok = from_base64(line, raw, sizeof raw) && raw[0] == 'E' && raw[1] == 'd';
  sodium_memzero(line.data(), line.size());
  if (!ok) {
    sodium_memzero(raw, sizeof raw);
    diags.error(ErrorKind::InvalidInput, Location::file_only(file), "not a minisign secret key",
                "give the PREFIX.key that `fleetpack keygen` wrote (PREFIX.pub is the public half)");
    return false;
  }
  if (raw[2] != 0 || raw[3] != 0) {
    sodium_memzero(raw, sizeof raw);
    diags.error(ErrorKind::InvalidInput, Location::file_only(file),
                "the secret key is password-protected, which fleetpack does not read",
                "create an unencrypted key with `fleetpack keygen --out PREFIX` (or `minisign -G -W`) and "
                "keep it in your CI's secret store");
    return false;
  }
  std::memcpy(out.key_id.data(), raw + 54, 8);
  std::memcpy(out.key.data(), raw + 62, 64);
  uint8_t chk[32];
  secret_checksum(raw, out, chk);
  // minisign 0.11 writes an all-zero checksum into the unencrypted keys of `minisign -G -W` (and does
  // not check it): accept that form too, so its keys sign releases as well.
  static const uint8_t kZero[32] = {};
  ok = raw[4] == 'B' && raw[5] == '2' &&
       (sodium_memcmp(chk, raw + 126, 32) == 0 || sodium_memcmp(kZero, raw + 126, 32) == 0);
  sodium_memzero(raw, sizeof raw);
  if (!ok) {
    diags.error(ErrorKind::InvalidInput, Location::file_only(file),
                "the secret key's checksum does not match",
                "the key file is damaged: use the file `fleetpack keygen` wrote, unchanged");
    return false;
  }
  return true;
}

std::string minisign_sign(const MinisignSecretKey& key, const void* data, size_t size,
                          const std::string& untrusted_comment, const std::string& trusted_comment) {
  uint8_t hash[crypto_generichash_BYTES_MAX];
  crypto_generichash(hash, sizeof hash, static_cast<const unsigned char*>(data), size, nullptr, 0);
  uint8_t sig[kSignatureBytes];
  sig[0] = 'E', sig[1] = 'D';  // prehashed
  std::memcpy(sig + 2, key.key_id.data(), 8);
  crypto_sign_detached(sig + 10, nullptr, hash, sizeof hash, key.key.data());
  // The global signature covers the signature and the trusted comment.
  std::vector<uint8_t> global_msg(sig + 10, sig + 10 + 64);
  global_msg.insert(global_msg.end(), trusted_comment.begin(), trusted_comment.end());
  uint8_t global[64];
  crypto_sign_detached(global, nullptr, global_msg.data(), global_msg.size(), key.key.data());
  return std::string(kComment) + untrusted_comment + "\n" + to_base64(sig, sizeof sig) + "\n" + kTrusted +
         trusted_comment + "\n" + to_base64(global, sizeof global) + "\n";
}

std::optional<std::string> minisign_verify(const MinisignPublicKey& key, const void* data, size_t size,
                                           const std::string& text) {
  if (sodium_init() < 0) return "libsodium failed to initialise";
  bool complete = true;
  auto lines = split_lines(text, complete);
  if (lines.size() != 4 || !complete) return "not a minisign signature (expected 4 lines)";
  if (lines[0].rfind(kComment, 0) != 0) return "the first line is not an untrusted comment";
  if (lines[2].rfind(kTrusted, 0) != 0) return "the third line is not a trusted comment";
  uint8_t sig[kSignatureBytes];
  if (!from_base64(lines[1], sig, sizeof sig)) return "the signature line is not valid base64 of a signature";
  uint8_t global[64];
  if (!from_base64(lines[3], global, sizeof global)) return "the global signature line is not valid base64";
  std::array<uint8_t, 8> id;
  std::memcpy(id.data(), sig + 2, 8);
  if (id != key.key_id)
    return fmt::format("signed with key {}, not with the given key {}", minisign_key_id_hex(id),
                       minisign_key_id_hex(key.key_id));
  uint8_t hash[crypto_generichash_BYTES_MAX];
  bool ok;
  if (sig[0] == 'E' && sig[1] == 'D') {
    crypto_generichash(hash, sizeof hash, static_cast<const unsigned char*>(data), size, nullptr, 0);
    ok = crypto_sign_verify_detached(sig + 10, hash, sizeof hash, key.key.data()) == 0;
  } else if (sig[0] == 'E' && sig[1] == 'd') {  // legacy: the whole file signed
    ok = crypto_sign_verify_detached(sig + 10, static_cast<const unsigned char*>(data), size,
                                     key.key.data()) == 0;
  } else {
    return "unknown signature algorithm";
  }
  if (!ok) return "the signature does not match the file's content";
  std::string trusted = lines[2].substr(sizeof kTrusted - 1);
  std::vector<uint8_t> global_msg(sig + 10, sig + 10 + 64);
  global_msg.insert(global_msg.end(), trusted.begin(), trusted.end());
  if (crypto_sign_verify_detached(global, global_msg.data(), global_msg.size(), key.key.data()) != 0)
    return "the global signature does not match (the trusted comment was changed)";
  return std::nullopt;
}

}  // namespace fleetpack
