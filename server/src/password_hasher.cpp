#include "password_hasher.hpp"

#include "hex.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <charconv>
#include <optional>
#include <stdexcept>
#include <vector>

namespace parley::server {
namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kKeyBytes = 32;
constexpr std::uint64_t kMaxMem = 256ull * 1024 * 1024;

std::string to_hex(const std::vector<unsigned char>& bytes) {
  return server::to_hex(bytes.data(), bytes.size());
}

std::optional<std::vector<unsigned char>> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::vector<unsigned char> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    unsigned v = 0;
    auto [end, ec] = std::from_chars(hex.data() + 2 * i, hex.data() + 2 * i + 2, v, 16);
    if (ec != std::errc{} || end != hex.data() + 2 * i + 2) return std::nullopt;
    out[i] = static_cast<unsigned char>(v);
  }
  return out;
}

std::optional<std::vector<unsigned char>> derive(std::string_view password,
                                                 const std::vector<unsigned char>& salt,
                                                 ScryptParams p) {
  std::vector<unsigned char> key(kKeyBytes);
  if (EVP_PBE_scrypt(password.data(), password.size(), salt.data(), salt.size(), p.n, p.r, p.p,
                     kMaxMem, key.data(), key.size()) != 1) {
    return std::nullopt;
  }
  return key;
}

template <class T>
bool parse_number(std::string_view s, T& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && end == s.data() + s.size();
}

}  // namespace

std::string hash_password(std::string_view password, ScryptParams params) {
  std::vector<unsigned char> salt(kSaltBytes);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
    throw std::runtime_error("no randomness for a salt");
  auto key = derive(password, salt, params);
  if (!key) throw std::runtime_error("scrypt failed");
  return "scrypt$" + std::to_string(params.n) + "$" + std::to_string(params.r) + "$" +
         std::to_string(params.p) + "$" + to_hex(salt) + "$" + to_hex(*key);
}

bool verify_password(std::string_view password, std::string_view stored) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= stored.size(); ++i) {
    if (i == stored.size() || stored[i] == '$') {
      parts.push_back(stored.substr(start, i - start));
      start = i + 1;
    }
  }
  if (parts.size() != 6 || parts[0] != "scrypt") return false;
  ScryptParams p;
  if (!parse_number(parts[1], p.n) || !parse_number(parts[2], p.r) ||
      !parse_number(parts[3], p.p))
    return false;
  if (p.n < 2 || (p.n & (p.n - 1)) != 0 || p.n > (1u << 20) || p.r == 0 || p.r > 32 ||
      p.p == 0 || p.p > 16)
    return false;
  const auto salt = from_hex(parts[4]);
  const auto expected = from_hex(parts[5]);
  if (!salt || !expected || expected->size() != kKeyBytes) return false;
  const auto key = derive(password, *salt, p);
  return key && CRYPTO_memcmp(key->data(), expected->data(), kKeyBytes) == 0;
}

}  // namespace parley::server
