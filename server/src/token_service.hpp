// Signed access tokens: HS256 JSON Web Tokens made and checked through libjwt. A token
// names its user (sub), their role and when it stops being valid. The header's
// algorithm is checked before anything else, so a token that says "alg":"none" (or any
// algorithm but HS256) is refused whatever it carries.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::server {

struct TokenClaims {
  std::string user;           // sub
  std::string role = "user";  // "user", "admin" or "service"
  std::int64_t issued_at = 0;   // iat, seconds since the Unix epoch
  std::int64_t expires_at = 0;  // exp
};

struct TokenCheck {
  std::optional<TokenClaims> claims;  // set when the token is good
  const char* code = nullptr;         // an error_codes token_* code otherwise
  std::string reason;
};

class TokenService {
 public:
  // Longest token looked at; ours are a few hundred bytes.
  static constexpr std::size_t kMaxTokenBytes = 4096;

  // `secret` signs and checks every token (at least 32 bytes); `issuer` goes into iss
  // and must come back.
  TokenService(std::string secret, std::string issuer);

  std::string issue(const std::string& user, const std::string& role, std::chrono::seconds ttl,
                    std::int64_t now_s) const;
  TokenCheck verify(std::string_view token, std::int64_t now_s) const;

  // 32 random bytes from OpenSSL, hex encoded.
  static std::string random_secret();
  static std::int64_t now_s();

 private:
  std::string secret_;
  std::string issuer_;
};

}  // namespace parley::server
