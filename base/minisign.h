// Ed25519 signatures in minisign's formats (https://jedisct1.github.io/minisign/), through libsodium, so
// `minisign -V -p KEY.pub -m FILE` checks what fleetpack signs and fleetpack reads minisign's keys.
// Signatures use the prehashed algorithm "ED" (Ed25519 over the BLAKE2b-512 of the file) with a trusted
// comment covered by the global signature. Secret keys are written unencrypted (key derivation algorithm
// bytes 0x0000, what `minisign -G -W` writes): CI stores them in its secret store, not on a laptop.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "base/diagnostic.h"

namespace fleetpack {

struct MinisignPublicKey {
  std::array<uint8_t, 8> key_id{};
  std::array<uint8_t, 32> key{};
};

/// A secret key in memory; wiped when destroyed.
struct MinisignSecretKey {
  std::array<uint8_t, 8> key_id{};
  std::array<uint8_t, 64> key{};  ///< libsodium's Ed25519 secret key (seed + public key)
  MinisignSecretKey() = default;
  MinisignSecretKey(const MinisignSecretKey&) = delete;
  MinisignSecretKey& operator=(const MinisignSecretKey&) = delete;
  ~MinisignSecretKey();
};

/// The two key files' text (untrusted comment line + base64 line each).
struct MinisignKeyFiles {
  std::string secret_text;  ///< wipe after writing (sodium_memzero)
  std::string public_text;
  std::string key_id_hex;
};

/// A fresh random key pair.
MinisignKeyFiles minisign_generate();

/// Parses a public key file (or a bare base64 key line). Errors name `file` (exit 3).
std::optional<MinisignPublicKey> minisign_parse_public_key(const std::string& file, const std::string& text,
                                                           Diagnostics& diags);
/// Parses an unencrypted secret key file and checks its checksum. An encrypted key is refused with a hint.
/// The error never quotes the key's text.
bool minisign_parse_secret_key(const std::string& file, const std::string& text, MinisignSecretKey& out,
                               Diagnostics& diags);

/// The key id as minisign prints it (16 upper-case hex digits).
std::string minisign_key_id_hex(const std::array<uint8_t, 8>& id);

/// A .minisig file's text for `data`: untrusted comment, signature, trusted comment, global signature.
/// Deterministic (Ed25519 signatures are), so a signed release stays reproducible.
std::string minisign_sign(const MinisignSecretKey& key, const void* data, size_t size,
                          const std::string& untrusted_comment, const std::string& trusted_comment);

/// Checks a .minisig text against `data` and `key`. nullopt when valid, else what is wrong.
std::optional<std::string> minisign_verify(const MinisignPublicKey& key, const void* data, size_t size,
                                           const std::string& signature_text);

}  // namespace fleetpack
