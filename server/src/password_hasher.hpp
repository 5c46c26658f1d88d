// Passwords stored as scrypt hashes (OpenSSL's EVP_PBE_scrypt) with a random salt:
// "scrypt$N$r$p$<salt hex>$<hash hex>". Checking is constant-time; malformed stored
// values never match.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace parley::server {

struct ScryptParams {
  std::uint64_t n = 1u << 14;  // cost
  std::uint32_t r = 8;
  std::uint32_t p = 1;
};

std::string hash_password(std::string_view password, ScryptParams params = {});
bool verify_password(std::string_view password, std::string_view stored);

}  // namespace parley::server
